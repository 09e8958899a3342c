"""Reading the resident register CSV (docs/register-csv.md) into households.

Pure: text in, ``Household`` objects out, no SQL. Unlike the household interchange
format, which stops at the first problem, a register file is thousands of rows typed or
exported by someone else, so every row is checked and ALL problems are reported at once,
each as ``line N: field: reason`` (N is the physical line in the file, the header is
line 1) so that the file can be fixed in one pass.

Names, addresses, 本籍 and 旧氏 are taken exactly as written (no stripping, no NFKC: U+3000
and compatibility ideographs such as U+F929 are kept). Only codes, dates, フリガナ and the
fixed vocabularies are normalised, each by the helper made for that kind of field.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from counter.honseki import (
    NOT_JAPANESE_MESSAGE,
    check_former_surname,
    check_honseki_text,
    is_blank,
    normalize_municipality_code,
)
from counter.household import (
    HEALTH_INSURANCES,
    MEMBER_FLAGS,
    RELATIONS,
    SEXES,
    Address,
    Honseki,
    Household,
    Member,
)
from counter.progress import Progress, quiet
from counter.residence import (
    FOREIGN_FIELDS,
    JAPANESE_MESSAGE,
    check_residence_text,
    normalize_card_number,
)
from counter.textnorm import (
    TextFormatError,
    check_field_text,
    normalize_kana,
    normalize_postal_code,
    shown,
)
from counter.wareki import DateFormatError, parse_date

MAX_REGISTER_BYTES = 512 << 20
"""The largest register file read (512 MB: about three million residents at ~170 bytes a
row); docs/register-csv.md says so."""

REQUIRED_COLUMNS = (
    "household_id",
    "resident_id",
    "relation",
    "name",
    "kana",
    "birth_date",
    "sex",
    "postal_code",
    "address",
    "health_insurance",
)
FACT_COLUMNS = ("resident_since", "honseki_municipality", "honseki_text", "former_surname")
"""For certificates: 住定日, 本籍 (its municipality's code and the 本籍 as written), 旧氏."""
RESIDENCE_COLUMNS = FOREIGN_FIELDS
"""A foreign resident's 在留資格 (or 区分), 在留期間, its 満了の日 and 在留カード等の番号."""
OPTIONAL_COLUMNS = (*MEMBER_FLAGS, "nationality", *FACT_COLUMNS, *RESIDENCE_COLUMNS)
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)

HOUSEHOLD_ID_MAX = 40  # db.models.HouseholdRow.id
RESIDENT_ID_MAX = 48  # db.models.ResidentRow.id

TRUE_VALUES = frozenset({"1", "true", "はい"})
FALSE_VALUES = frozenset({"", "0", "false", "いいえ"})

HONSEKI_WITHOUT_CODE = (
    "本籍（honseki_text）があるときは、その地方公共団体コード（6桁）も書いてください"
)
CODE_WITHOUT_HONSEKI = "本籍の地方公共団体コードがあるときは、本籍（honseki_text）も書いてください"

SAVE_AS_UTF8 = "Excel なら「CSV UTF-8（コンマ区切り）」で保存し直してください"
_ID = re.compile(r"[0-9A-Za-z._-]+")
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))
_CHOONPU_BETWEEN = re.compile(r"(?<=[0-9A-Za-z])ー+(?=[0-9A-Za-z])")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff61-\uff9f]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_V = TypeVar("_V")


@dataclass(frozen=True)
class CsvProblem:
    """One problem in the file. ``line`` is the physical line (header = 1)."""

    line: int
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        parts = [f"{self.line}行目"] if self.line else []
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class RegisterCsvError(ValueError):
    """Every problem found in a register file, in line order."""

    def __init__(self, problems: list[CsvProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)  # stable: column order kept
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


def decode_register_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM) bytes → text; anything else is a RegisterCsvError.

    Shift_JIS (Excel's plain 「CSV（コンマ区切り）」) and UTF-16 (「Unicode テキスト」)
    are recognised and the message says how to save the file as UTF-8 instead.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        message = f"UTF-16 のファイルです。UTF-8 で保存してください（{SAVE_AS_UTF8}）"
        raise RegisterCsvError([CsvProblem(1, "", message)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    if not _looks_like_shift_jis(data):
        message = f"UTF-8 のテキストではありません。UTF-8 で保存してください（{SAVE_AS_UTF8}）"
    else:
        message = (
            f"Shift_JIS で保存されたファイルのようです。UTF-8 で保存してください（{SAVE_AS_UTF8}）"
        )
    raise RegisterCsvError([CsvProblem(line, "", message)])


def _looks_like_shift_jis(data: bytes) -> bool:
    """Decodes as cp932, has Japanese in it and no private-use (vendor) characters."""
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return False
    if _PRIVATE_USE.search(text):
        return False
    return bool(_JAPANESE.search(text))


def normalize_id(text: str, limit: int) -> str:
    """A register id: NFKC (full-width digits and letters), every dash → ``-``.

    Raises TextFormatError (message for staff) if blank, too long or not made of
    ASCII letters, digits and ``. _ -`` only. Hyphens are kept: ``H000001-1`` and
    ``H0000011`` are different residents.
    """
    s = unicodedata.normalize("NFKC", text).strip().translate(_DASHES)
    s = _CHOONPU_BETWEEN.sub("-", s)
    if not s:
        raise TextFormatError("空欄です")
    if not _ID.fullmatch(s):
        raise TextFormatError("ID は半角の英数字と - _ . で書いてください")
    if len(s) > limit:
        raise TextFormatError(f"ID は{limit}文字までです")
    return s


def parse_flag(text: str) -> bool:
    """``1``/``0``, ``true``/``false``, ``はい``/``いいえ`` (any width or case); blank = False."""
    s = unicodedata.normalize("NFKC", text).strip().lower()
    if s in TRUE_VALUES:
        return True
    if s in FALSE_VALUES:
        return False
    raise TextFormatError("1 / 0、true / false、はい / いいえ のどれかにしてください（空欄は 0）")


@dataclass
class _Row:
    """What one data row gave; fields that failed are missing from ``values``."""

    line: int
    values: dict[str, object]
    ok: bool = True


class _Reader:
    def __init__(self, today: date, progress: Progress) -> None:
        self.today = today
        self.progress = progress
        self.problems: list[CsvProblem] = []

    def problem(self, line: int, column: str, message: str) -> None:
        self.problems.append(CsvProblem(line, column, message))

    # --- header --------------------------------------------------------------------------

    def header(self, cells: list[str]) -> list[str] | None:
        names = [unicodedata.normalize("NFKC", c).strip().lower() for c in cells]
        if not set(names) & set(COLUMNS):
            self.problem(
                1, "", f"1行目が見出しの行ではありません（{','.join(REQUIRED_COLUMNS)} などの列名）"
            )
            return None
        seen: set[str] = set()
        for name, cell in zip(names, cells, strict=True):
            if not name:
                self.problem(1, "", "見出しが空欄の列があります")
            elif name not in COLUMNS:
                self.problem(
                    1, shown(cell.strip()), "この列は書式にありません（docs/register-csv.md）"
                )
            elif name in seen:
                self.problem(1, name, "同じ見出しの列が2つあります")
            seen.add(name)
        for name in REQUIRED_COLUMNS:
            if name not in seen:
                self.problem(1, name, "必須の列がありません")
        return None if self.problems else names

    # --- one data row --------------------------------------------------------------------

    def row(self, line: int, header: list[str], cells: list[str]) -> _Row:
        result = _Row(line, {})
        if len(cells) != len(header):
            self.problem(line, "", f"列の数が{len(cells)}個です（見出しは{len(header)}個）")
            result.ok = False
            return result
        raw = dict(zip(header, cells, strict=True))

        def check(column: str, convert) -> None:
            try:
                result.values[column] = convert(raw.get(column, ""))
            except (TextFormatError, DateFormatError) as exc:
                self.problem(line, column, str(exc))
                result.ok = False

        check("household_id", lambda s: normalize_id(s, HOUSEHOLD_ID_MAX))
        check("resident_id", lambda s: normalize_id(s, RESIDENT_ID_MAX))
        check("relation", lambda s: _choice(s, RELATIONS))
        check("name", lambda s: _exact(s, "name"))
        check("kana", _kana)
        check("birth_date", self._birth_date)
        check("sex", lambda s: _choice(s, SEXES))
        check("postal_code", _postal_code)
        check("address", lambda s: _exact(s, "address", line_breaks=True))
        check("health_insurance", lambda s: _choice(s, HEALTH_INSURANCES))
        for flag in MEMBER_FLAGS:
            check(flag, parse_flag)
        check("nationality", _nationality)
        check("resident_since", self._resident_since)
        check("honseki_municipality", _optional(normalize_municipality_code))
        check("honseki_text", _optional(check_honseki_text))
        check("former_surname", check_former_surname)
        check("residence_status", check_residence_text)
        check("residence_period", check_residence_text)
        check("residence_expiry", self._residence_expiry)
        check("residence_card_number", normalize_card_number)
        self._across_columns(result)
        return result

    def _across_columns(self, result: _Row) -> None:
        """What one column says of another: 住定日 not before birth, a 本籍 whole (code and
        text) and only for a Japanese national. ``values["honseki"]`` is the result."""
        values, line = result.values, result.line
        since, birth = values.get("resident_since"), values.get("birth_date")
        if isinstance(since, date) and isinstance(birth, date) and since < birth:
            self.problem(line, "resident_since", "生年月日（birth_date）より前の日付です")
            result.ok = False
        expiry = values.get("residence_expiry")
        if isinstance(expiry, date) and isinstance(birth, date) and expiry < birth:
            self.problem(line, "residence_expiry", "生年月日（birth_date）より前の日付です")
            result.ok = False
        if values.get("nationality") == "JP":
            for column in RESIDENCE_COLUMNS:
                if values.get(column) not in ("", None):
                    self.problem(line, column, JAPANESE_MESSAGE)
                    result.ok = False
        if "honseki_municipality" not in values or "honseki_text" not in values:
            return  # reported already
        code, text = values["honseki_municipality"], values["honseki_text"]
        values["honseki"] = None
        if code is None and text is None:
            return
        nationality = str(values.get("nationality", "JP"))  # a bad one is reported already
        if code is None:
            self.problem(line, "honseki_municipality", HONSEKI_WITHOUT_CODE)
        elif text is None:
            self.problem(line, "honseki_text", CODE_WITHOUT_HONSEKI)
        elif nationality != "JP":
            message = NOT_JAPANESE_MESSAGE.format(nationality=nationality)
            self.problem(line, "honseki_text", message)
        else:
            values["honseki"] = Honseki(municipality=str(code), text=str(text))
            return
        result.ok = False

    def _birth_date(self, text: str) -> date:
        if not text.strip():
            raise DateFormatError("空欄です")
        result = parse_date(text)
        if result > self.today:
            raise DateFormatError(f"今日（{self.today.isoformat()}）より後の日付です")
        return result

    def _resident_since(self, text: str) -> date | None:
        """住定日: optional; a day that exists, inside its era, not after today."""
        return None if is_blank(text) else self._birth_date(text)

    def _residence_expiry(self, text: str) -> date | None:
        """在留期間の満了の日: optional; a day that exists (it may lie in the future)."""
        return None if is_blank(text) else parse_date(text)

    # --- across rows ---------------------------------------------------------------------

    def households(self, rows: list[_Row]) -> list[Household]:
        first_line_of: dict[str, int] = {}
        for row in rows:
            resident_id = row.values.get("resident_id")
            if resident_id is None:
                continue
            if resident_id in first_line_of:
                first = first_line_of[str(resident_id)]
                message = f"「{resident_id}」が重複しています（{first}行目と同じ）"
                self.problem(row.line, "resident_id", message)
            else:
                first_line_of[str(resident_id)] = row.line

        groups: dict[str, list[_Row]] = {}
        for row in rows:
            household_id = row.values.get("household_id")
            if household_id is not None:
                groups.setdefault(str(household_id), []).append(row)
        self.progress.step("世帯ごとの確認", len(groups), "世帯")
        households = []
        for household_id, members in groups.items():
            self._check_household(household_id, members)
            if not self.problems:  # after one problem only checking goes on
                households.append(
                    Household(
                        address=Address(
                            postal_code=str(members[0].values["postal_code"]),
                            text=str(members[0].values["address"]),
                        ),
                        members=tuple(_member(r.values) for r in members),
                        household_id=household_id,
                    )
                )
            self.progress.advance()
        return [] if self.problems else households

    def _check_household(self, household_id: str, members: list[_Row]) -> None:
        heads = [r for r in members if r.values.get("relation") == "head"]
        if not heads and all("relation" in r.values for r in members):
            self.problem(
                members[0].line,
                "relation",
                f"世帯「{household_id}」に世帯主（head）がいません。ちょうど1人にしてください",
            )
        for extra in heads[1:]:
            self.problem(
                extra.line,
                "relation",
                f"世帯「{household_id}」の世帯主（head）は {heads[0].line}行目にもいます。"
                "ちょうど1人にしてください",
            )
        for column, what in (("postal_code", "郵便番号"), ("address", "住所")):
            reference = next((r for r in members if column in r.values), None)
            if reference is None:
                continue
            for row in members:
                if column in row.values and row.values[column] != reference.values[column]:
                    self.problem(
                        row.line,
                        column,
                        f"同じ世帯「{household_id}」の{reference.line}行目と{what}が違います"
                        "（世帯の全員で同じにしてください）",
                    )


def parse_register_csv(
    text: str, *, today: date | None = None, progress: Progress | None = None
) -> list[Household]:
    """Read a register CSV (already decoded, see ``decode_register_bytes``).

    Households come in the order their first row appears; members in file order.
    ``today`` (default: the real today) bounds birth dates. Raises RegisterCsvError
    with every problem found if anything is wrong; then nothing is returned.
    150,000 residents take seconds: ``progress`` hears of each line and household.
    """
    progress = progress or quiet()
    reader = _Reader(today or date.today(), progress)
    source = io.StringIO(text.removeprefix("\ufeff"), newline="")
    records = csv.reader(source, strict=True)
    header: list[str] | None = None
    rows: list[_Row] = []
    line = 1
    progress.step("住民データの読み込み", _physical_lines(text), "行")
    try:
        for cells in records:
            start, line = line, records.line_num + 1
            progress.advance(line - start)
            if not any(c.strip() for c in cells):
                if header is None and start == 1:
                    header = []  # a blank first line: reported below as a missing header
                    break
                continue
            if header is None:
                header = reader.header(cells)
                if header is None:
                    raise RegisterCsvError(reader.problems)
                continue
            rows.append(reader.row(start, header, cells))
    except csv.Error as exc:
        reader.problem(line, "", f"{csv_error_reason(exc)}。この行から先は読めません")
        raise RegisterCsvError(reader.problems) from None
    if not header:
        raise RegisterCsvError([CsvProblem(1, "", "1行目に見出しの行がありません")])
    if not rows and not reader.problems:
        reader.problem(2, "", "住民の行がありません")
    households = reader.households(rows)
    if reader.problems:
        raise RegisterCsvError(reader.problems)
    return households


def csv_error_reason(exc: csv.Error) -> str:
    """Why the csv module stopped, for staff: a cell longer than it reads, or else (the
    only other way a strict reader fails on text) a quote left open."""
    if "field larger than field limit" in str(exc):
        return f"1つの項目が長すぎます（{csv.field_size_limit():,}文字まで）"
    return '引用符（"）の対応が取れていません'


def _physical_lines(text: str) -> int:
    """Lines as the csv module counts them: LF, CRLF and a lone CR each end one."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (not text.endswith(("\n", "\r")))


def _exact(text: str, kind: str, *, line_breaks: bool = False) -> str:
    """Names and addresses: required, otherwise taken exactly as written, without control
    characters (``check_field_text``) but for line breaks in an address, and no longer
    than the field takes."""
    if not text.strip():
        raise TextFormatError("空欄です")
    return check_field_text(text, kind, line_breaks=line_breaks)


def _kana(text: str) -> str:
    kana = normalize_kana(text)
    if not kana:
        raise TextFormatError("空欄です")
    return check_field_text(kana, "kana")


def _postal_code(text: str) -> str:
    if not text.strip():
        raise TextFormatError("空欄です")
    return normalize_postal_code(text)


def _optional(convert: Callable[[str], _V]) -> Callable[[str], _V | None]:
    """An optional column: a blank cell (spaces only, U+3000 too) is None."""
    return lambda text: None if is_blank(text) else convert(text)


def _choice(text: str, allowed: dict[str, str]) -> str:
    value = unicodedata.normalize("NFKC", text).strip().lower()
    if not value:
        raise TextFormatError(f"空欄です（{' / '.join(allowed)}）")
    if value not in allowed:
        raise TextFormatError(f"「{shown(text.strip())}」は使えません（{' / '.join(allowed)}）")
    return value


def _nationality(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).strip().upper() or "JP"
    if not (len(value) == 2 and value.isascii() and value.isalpha()):
        raise TextFormatError("国籍は2文字の国コードです（例: JP、空欄は JP）")
    return value


def _member(values: dict[str, object]) -> Member:
    return Member(
        id=str(values["resident_id"]),
        name=str(values["name"]),
        kana=str(values["kana"]),
        birth_date=values["birth_date"],  # type: ignore[arg-type]
        sex=str(values["sex"]),
        relation=str(values["relation"]),
        health_insurance=str(values["health_insurance"]),
        nationality=str(values["nationality"]),
        **{flag: bool(values[flag]) for flag in MEMBER_FLAGS},
        resident_since=values["resident_since"],  # type: ignore[arg-type]
        honseki=values["honseki"],  # type: ignore[arg-type]
        former_surname=str(values["former_surname"]),
        residence_status=str(values["residence_status"]),
        residence_period=str(values["residence_period"]),
        residence_expiry=values["residence_expiry"],  # type: ignore[arg-type]
        residence_card_number=str(values["residence_card_number"]),
    )


def format_register_csv(households: Iterable[Household]) -> str:
    """Households → register CSV text (all columns, flags as 1/0, dates as ISO).

    The inverse of ``parse_register_csv`` for valid households; used to hand the demo
    register or a test fixture over in the documented layout.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for household in households:
        for m in household.members:
            writer.writerow(
                [
                    household.household_id or "",
                    m.id,
                    m.relation,
                    m.name,
                    m.kana,
                    m.birth_date.isoformat(),
                    m.sex,
                    household.address.postal_code,
                    household.address.text,
                    m.health_insurance,
                    *(int(getattr(m, flag)) for flag in MEMBER_FLAGS),
                    m.nationality,
                    m.resident_since.isoformat() if m.resident_since else "",
                    m.honseki.municipality if m.honseki else "",
                    m.honseki.text if m.honseki else "",
                    m.former_surname,
                    m.residence_status,
                    m.residence_period,
                    m.residence_expiry.isoformat() if m.residence_expiry else "",
                    m.residence_card_number,
                ]
            )
    return out.getvalue()
