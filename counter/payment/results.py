"""Reading a payment-result file (docs/payment-results.md) for reconciliation (消込).

Pure: text in, ``PaymentResult`` values out, no SQL. A result file comes from a bank or
the national collection system, not from staff, so a malformed one is refused whole: every
bad line is reported as ``N行目: 項目名: 理由`` (N is the physical line, the header is
line 1) and nothing is returned, so a half-read file can never mark codes paid.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from counter.payment import MAX_AMOUNT, PaymentCodeError, canonical_payment_number
from counter.payment.errors import is_ascii_digits
from counter.register_csv import csv_error_reason
from counter.textnorm import TextFormatError, normalize_digits, shown
from counter.wareki import DateFormatError, parse_date

MAX_RESULTS_BYTES = 128 << 20
"""The largest payment-result file read (128 MB: over a million result lines);
docs/payment-results.md says so."""

COLUMNS = ("payment_number", "confirmation_number", "amount", "paid_on", "channel")
LABELS = {
    "payment_number": "納付番号",
    "confirmation_number": "確認番号",
    "amount": "金額",
    "paid_on": "納付日",
    "channel": "納付経路",
}
CHANNELS = {
    "bank": "金融機関（窓口・ATM）",
    "internet_banking": "インターネットバンキング・ペイジー",
    "smartphone_app": "スマホ決済アプリ",
    "credit_card": "クレジットカード（地方税お支払サイト）",
    "convenience_store": "コンビニエンスストア",
    "counter": "市役所・支所の窓口",
    "other": "その他",
}
MAX_LISTED_PROBLEMS = 20

_AMOUNT = re.compile(r"[0-9]{1,3}(,[0-9]{3})+|[0-9]+")
_CHANNEL_BY_NAME = {key: key for key in CHANNELS} | {
    unicodedata.normalize("NFKC", label).lower(): key for key, label in CHANNELS.items()
}


@dataclass(frozen=True)
class PaymentResult:
    """One paid code as the bank reports it. ``payment_number`` has no leading zeros."""

    line: int
    payment_number: str
    confirmation_number: str
    amount: int
    paid_on: date
    channel: str


@dataclass(frozen=True)
class ResultProblem:
    """One bad line; ``field`` is the Japanese name of the column, or "" for the line."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        parts = [f"{self.line}行目", *([self.field] if self.field else []), self.message]
        return ": ".join(parts)


class PaymentResultsError(ValueError):
    """A result file that cannot be read; lists the first MAX_LISTED_PROBLEMS problems."""

    def __init__(self, problems: list[ResultProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)  # stable: column order kept
        listed = [str(p) for p in self.problems[:MAX_LISTED_PROBLEMS]]
        hidden = len(self.problems) - len(listed)
        if hidden:
            listed.append(f"ほか {hidden} 件")
        super().__init__("\n".join(listed))


def file_digest(data: bytes) -> str:
    """SHA-256 of the file as read: how a second run of the same file is recognised."""
    return hashlib.sha256(data).hexdigest()


def decode_results(data: bytes) -> str:
    """UTF-8 bytes (BOM allowed) → text; anything else is a PaymentResultsError."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        message = "UTF-16 のファイルです。UTF-8 で保存してください"
        raise PaymentResultsError([ResultProblem(1, "", message)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    message = "UTF-8 のテキストではありません（Shift_JIS など）。UTF-8 で保存してください"
    raise PaymentResultsError([ResultProblem(line, "", message)])


def parse_results(text: str, *, today: date | None = None) -> list[PaymentResult]:
    """Read a result file (already decoded). ``today`` (default: the real today) bounds
    paid dates. Raises PaymentResultsError listing every bad line; returns nothing then."""
    today = today or date.today()
    problems: list[ResultProblem] = []
    records = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    header: list[str] | None = None
    results: list[PaymentResult] = []
    line = 1
    try:
        for cells in records:
            start, line = line, records.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = _header(start, cells)
                continue
            row = _row(start, header, cells, today, problems)
            if row is not None:
                results.append(row)
    except csv.Error as exc:
        problems.append(ResultProblem(line, "", csv_error_reason(exc)))
    if header is None and not problems:
        problems.append(ResultProblem(1, "", f"見出しの行がありません（{','.join(COLUMNS)}）"))
    if problems:
        raise PaymentResultsError(problems)
    return results


def _header(line: int, cells: list[str]) -> list[str]:
    names = [unicodedata.normalize("NFKC", c).strip().lower() for c in cells]
    if sorted(names) != sorted(COLUMNS):
        message = f"見出しは {','.join(COLUMNS)} の5列にしてください（docs/payment-results.md）"
        raise PaymentResultsError([ResultProblem(line, "", message)])
    return names


def _row(
    line: int, header: list[str], cells: list[str], today: date, problems: list[ResultProblem]
) -> PaymentResult | None:
    if len(cells) != len(header):
        message = f"列の数が{len(cells)}個です（見出しは{len(header)}個）"
        problems.append(ResultProblem(line, "", message))
        return None
    raw = dict(zip(header, cells, strict=True))
    readers = {
        "payment_number": _payment_number,
        "confirmation_number": _confirmation_number,
        "amount": _amount,
        "paid_on": lambda s: _paid_on(s, today),
        "channel": _channel,
    }
    values: dict[str, Any] = {}
    for column, read in readers.items():
        try:
            if not raw[column].strip():
                raise TextFormatError("空欄です")
            values[column] = read(raw[column])
        except (TextFormatError, DateFormatError) as exc:
            problems.append(ResultProblem(line, LABELS[column], str(exc)))
    if len(values) != len(readers):
        return None
    return PaymentResult(line=line, **values)


def _payment_number(text: str) -> str:
    try:
        return canonical_payment_number(normalize_digits(text))
    except PaymentCodeError:
        raise TextFormatError(f"「{shown(text.strip())}」: 20桁以内の数字にしてください") from None


def _confirmation_number(text: str) -> str:
    digits = normalize_digits(text)
    if not (is_ascii_digits(digits) and len(digits) == 6):
        raise TextFormatError(f"「{shown(text.strip())}」: 6桁の数字にしてください")
    return digits


def _amount(text: str) -> int:
    s = unicodedata.normalize("NFKC", text).strip()
    if not _AMOUNT.fullmatch(s):
        message = f"「{shown(text.strip())}」: 円単位の整数にしてください（例: 350、1,200）"
        raise TextFormatError(message)
    digits = s.replace(",", "").lstrip("0") or "0"
    # Python refuses int() of more than 4,300 digits; any amount that long is out of range.
    amount = int(digits) if len(digits) <= len(str(MAX_AMOUNT)) else MAX_AMOUNT + 1
    if not 0 < amount <= MAX_AMOUNT:
        raise TextFormatError(f"1円から{MAX_AMOUNT:,}円までにしてください")
    return amount


def _paid_on(text: str, today: date) -> date:
    paid_on = parse_date(text)
    if paid_on > today:
        raise DateFormatError(f"今日（{today.isoformat()}）より後の日付です")
    return paid_on


def _channel(text: str) -> str:
    key = _CHANNEL_BY_NAME.get(unicodedata.normalize("NFKC", text).strip().lower())
    if key is None:
        raise TextFormatError(f"「{shown(text.strip())}」は使えません（{' / '.join(CHANNELS)}）")
    return key
