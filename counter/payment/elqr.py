"""The eL-QR payload (地方税統一QRコード): 255 digits, built and checked (ELQR.md §1).

A slip carries the payment data twice (the QR and the printed eL番号), and a wrong digit
in either means money that cannot be reconciled. So the builder writes every fixed part,
both OCR-line check-digit pairs and the CRC, and the parser accepts only a payload in
which every one of them is right, naming the first wrong part in Japanese.

Positions below are 1-based, as in ELQR.md.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass
from datetime import date, datetime

from counter.payment.checkdigits import ocr_line_check_digits
from counter.payment.confirmation import canonical_payment_number
from counter.payment.errors import PaymentCodeError, is_ascii_digits, require_digits

ELQR_LENGTH = 255
MAX_AMOUNT = 99_999_999_999  # 11 digits of whole yen

# Fixed parts of the layout.
TAG_00 = "000201"  # payload format indicator
TAG_01 = "010212"  # point of initiation: dynamic
TAG_27_HEAD = "2796"  # merchant account template, 96 digits
TAG_27_00 = "000513800"  # identifier of the national body
TAG_27_01_HEAD = "0183"  # the MPN block: the two OCR lines, 39 + 44 digits
ACCOUNT = "0" * 11
FEE_BEARER = "2"
INSTITUTION_ID = "13800"
REVENUE_STAMP = "0"
RESERVED_UPPER = "0" * 5
LOWER_FLAG = "0"
RESERVED_LOWER = "0" * 7
TAG_54_HEAD = "5411"
TAG_62_HEAD = "6226"
TAG_80 = "8085" + "0" * 85  # purpose unknown; zeros in every sample seen
TAG_63_HEAD = "6305"

# The fixed runs between the variable parts, laid out once for the builder and the
# parser's whole-slice comparisons (1-based positions).
_HEAD = TAG_00 + TAG_01 + TAG_27_HEAD + TAG_27_00 + TAG_27_01_HEAD  # 1–29
_UPPER_FIXED = FEE_BEARER + INSTITUTION_ID + REVENUE_STAMP  # 54–60
_LOWER_END = RESERVED_LOWER + TAG_54_HEAD  # 106–116
_TAIL = TAG_80 + TAG_63_HEAD  # 158–250

_UPPER_LINE = slice(29, 68)  # positions 30–68
_LOWER_LINE = slice(68, 112)  # positions 69–112


@dataclass(frozen=True, kw_only=True, slots=True)
class ElqrFields:
    """The variable values of one eL-QR code.

    ``payment_number`` is kept without leading zeros (the QR zero-pads it to 20 digits,
    so ``"0012345"`` and ``"12345"`` are the same number).
    """

    amount: int  # yen
    category: str  # 納付区分, 3 digits
    payment_number: str  # 納付番号, up to 20 digits
    confirmation_number: str  # 確認番号, 6 digits
    collector: str  # 収納機関番号, 5 digits
    tax_office: str = "000"
    levy_year: int  # 賦課年度
    tax_year: int  # 課税年度
    period: str = "00"  # 期別
    due_date: date  # 納期限
    payable_until: date  # 支払期限

    def __post_init__(self) -> None:
        if (
            not isinstance(self.amount, int)
            or isinstance(self.amount, bool)
            or not 1 <= self.amount <= MAX_AMOUNT
        ):
            raise PaymentCodeError(
                "amount", f"金額は1円から{MAX_AMOUNT:,}円までの整数で指定してください"
            )
        require_digits(self.category, 3, "category", "納付区分")
        object.__setattr__(self, "payment_number", canonical_payment_number(self.payment_number))
        require_digits(self.confirmation_number, 6, "confirmation_number", "確認番号")
        require_digits(self.collector, 5, "collector", "収納機関番号")
        require_digits(self.tax_office, 3, "tax_office", "税務署等コード")
        _require_year(self.levy_year, "levy_year", "賦課年度")
        _require_year(self.tax_year, "tax_year", "課税年度")
        require_digits(self.period, 2, "period", "期別")
        _require_date(self.due_date, "due_date", "納期限")
        _require_date(self.payable_until, "payable_until", "支払期限")
        _require_payable_after_due(self.due_date, self.payable_until)


def build_elqr(fields: ElqrFields) -> str:
    """The 255-digit eL-QR payload for ``fields``, with check digits and CRC."""
    amount = f"{fields.amount:011d}"
    upper = f"{ACCOUNT}{amount}{_UPPER_FIXED}{fields.category}{RESERVED_UPPER}"
    lower = (
        f"{fields.payment_number:0>20}{fields.confirmation_number}{LOWER_FLAG}"
        f"{fields.collector}{fields.tax_office}{RESERVED_LOWER}"
    )
    body = (
        f"{_HEAD}{ocr_line_check_digits(upper)}{upper}{ocr_line_check_digits(lower)}{lower}"
        f"{TAG_54_HEAD}{amount}{TAG_62_HEAD}{fields.levy_year:04d}{fields.tax_year:04d}"
        f"{fields.period}{_yyyymmdd(fields.due_date)}{_yyyymmdd(fields.payable_until)}{_TAIL}"
    )
    payload = body + _crc(body)
    if len(payload) != ELQR_LENGTH:  # cannot happen with validated fields
        raise AssertionError(f"eL-QR payload has {len(payload)} digits")
    return payload


def parse_elqr(text: str) -> ElqrFields:
    """The fields of a valid eL-QR payload; anything else raises `PaymentCodeError`.

    A valid payload is recognised by whole-slice comparisons and the three checks
    (`_fields_if_valid`); anything else goes through `_checked_fields`, which takes
    the parts one by one so that the error names the first wrong one.
    """
    if not isinstance(text, str):
        raise TypeError(f"eL-QR payload must be str, not {type(text).__name__}")
    fields = _fields_if_valid(text)
    return fields if fields is not None else _checked_fields(text)


def _fields_if_valid(text: str) -> ElqrFields | None:
    """The fields when every part of ``text`` is right, else None (nothing is said why)."""
    if (
        len(text) != ELQR_LENGTH
        or not (text.isascii() and text.isdigit())
        or text[:29] != _HEAD
        or text[31:42] != ACCOUNT
        or text[53:60] != _UPPER_FIXED
        or text[63:68] != RESERVED_UPPER
        or text[96] != LOWER_FLAG
        or text[105:116] != _LOWER_END
        or text[127:131] != TAG_62_HEAD
        or text[157:250] != _TAIL
        or text[116:127] != text[42:53]
        or text[29:31] != ocr_line_check_digits(text[31:68])
        or text[68:70] != ocr_line_check_digits(text[70:112])
        or text[250:] != _crc(text[:250])
    ):
        return None
    try:  # Python 3.11 reads YYYYMMDD
        due_date = date.fromisoformat(text[141:149])
        payable_until = date.fromisoformat(text[149:157])
    except ValueError:
        return None
    amount, levy_year, tax_year = int(text[42:53]), int(text[131:135]), int(text[135:139])
    if amount < 1 or levy_year < 1 or tax_year < 1 or payable_until < due_date:
        return None
    return _fields_of(text, amount, levy_year, tax_year, due_date, payable_until)


def _checked_fields(text: str) -> ElqrFields:
    """The fields of ``text``, or the error naming its first wrong part.

    Checked in this order: length, characters, the fixed tags (structure), then every
    part in position order (check digits, fixed and reserved values, the amount of tag
    54 against the MPN block, years and dates), and the CRC last.
    """
    if len(text) != ELQR_LENGTH:
        raise PaymentCodeError("length", f"桁数が{ELQR_LENGTH}桁ではありません（{len(text)}桁）")
    if not is_ascii_digits(text):
        pos = next(i for i, c in enumerate(text, 1) if not ("0" <= c <= "9"))
        raise PaymentCodeError("characters", f"数字以外の文字が含まれています（{pos}桁目）")
    _expect(text, 1, TAG_00, "tag_00", "ペイロード形式指示子（タグ00）")
    _expect(text, 7, TAG_01, "tag_01", "起動方法（タグ01）")
    _expect(text, 13, TAG_27_HEAD, "tag_27", "タグ27の見出し")
    _expect(text, 17, TAG_27_00, "tag_27_00", "タグ27の識別子")
    _expect(text, 26, TAG_27_01_HEAD, "tag_27_01", "タグ27のMPN見出し")
    _expect(text, 113, TAG_54_HEAD, "tag_54", "タグ54の見出し")
    _expect(text, 128, TAG_62_HEAD, "tag_62", "タグ62の見出し")
    _expect(text, 158, TAG_80, "tag_80", "タグ80", shown="8085と85桁の0")
    _expect(text, 247, TAG_63_HEAD, "tag_63", "タグ63の見出し")

    _expect_check_digits(text, _UPPER_LINE, "upper_check_digits", "OCR上段（30〜68桁目）")
    _expect(text, 32, ACCOUNT, "account", "口座番号欄", shown="0")
    _expect(text, 54, FEE_BEARER, "fee_bearer", "料金負担区分")
    _expect(text, 55, INSTITUTION_ID, "institution_id", "機関識別番号")
    _expect(text, 60, REVENUE_STAMP, "revenue_stamp", "印紙区分")
    _expect(text, 64, RESERVED_UPPER, "reserved_upper", "OCR上段の予備欄", shown="0")
    _expect_check_digits(text, _LOWER_LINE, "lower_check_digits", "OCR下段（69〜112桁目）")
    _expect(text, 97, LOWER_FLAG, "lower_flag", "OCR下段の区分")
    _expect(text, 106, RESERVED_LOWER, "reserved_lower", "OCR下段の予備欄", shown="0")
    if text[116:127] != text[42:53]:
        raise PaymentCodeError("amount", "金額がタグ54と一致しません")
    amount = int(text[42:53])
    if amount < 1:
        raise PaymentCodeError("amount", "金額が0円です（43〜53桁目）")
    levy_year = _parse_year(text[131:135], "levy_year", "賦課年度")
    tax_year = _parse_year(text[135:139], "tax_year", "課税年度")
    due_date = _parse_date(text[141:149], "due_date", "納期限")
    payable_until = _parse_date(text[149:157], "payable_until", "支払期限")
    _require_payable_after_due(due_date, payable_until)
    if text[250:] != _crc(text[:250]):
        raise PaymentCodeError("crc", "CRCが一致しません")

    return _fields_of(text, amount, levy_year, tax_year, due_date, payable_until)


def _fields_of(
    text: str, amount: int, levy_year: int, tax_year: int, due_date: date, payable_until: date
) -> ElqrFields:
    return ElqrFields(
        amount=amount,
        category=text[60:63],
        payment_number=text[70:90],
        confirmation_number=text[90:96],
        collector=text[97:102],
        tax_office=text[102:105],
        levy_year=levy_year,
        tax_year=tax_year,
        period=text[139:141],
        due_date=due_date,
        payable_until=payable_until,
    )


def _crc(body: str) -> str:
    """CRC-16/CCITT-FALSE of positions 1–250 as five decimal digits."""
    return f"{binascii.crc_hqx(body.encode('ascii'), 0xFFFF):05d}"


def _yyyymmdd(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _expect(
    text: str, pos: int, expected: str, field: str, label: str, shown: str | None = None
) -> None:
    actual = text[pos - 1 : pos - 1 + len(expected)]
    if actual != expected:
        end = pos + len(expected) - 1
        where = f"{pos}桁目" if end == pos else f"{pos}〜{end}桁目"
        raise PaymentCodeError(field, f"{label}（{where}）が{shown or expected}ではありません")


def _expect_check_digits(text: str, line: slice, field: str, label: str) -> None:
    digits = text[line]
    if ocr_line_check_digits(digits[2:]) != digits[:2]:
        raise PaymentCodeError(field, f"{label}のチェックデジットが一致しません")


def _parse_year(digits: str, field: str, label: str) -> int:
    year = int(digits)
    if year < 1:
        raise PaymentCodeError(field, f"{label}が正しくありません（{digits}）")
    return year


def _parse_date(digits: str, field: str, label: str) -> date:
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise PaymentCodeError(field, f"{label}の日付が正しくありません（{digits}）") from None


def _require_year(year: int, field: str, label: str) -> None:
    if not isinstance(year, int) or isinstance(year, bool) or not 1 <= year <= 9999:
        raise PaymentCodeError(field, f"{label}は西暦4桁の年で指定してください（{year}）")


def _require_date(day: date, field: str, label: str) -> None:
    if not isinstance(day, date) or isinstance(day, datetime):
        raise PaymentCodeError(field, f"{label}は日付で指定してください（{day}）")


def _require_payable_after_due(due_date: date, payable_until: date) -> None:
    if payable_until < due_date:
        raise PaymentCodeError(
            "payable_until",
            f"支払期限（{payable_until.isoformat()}）が納期限（{due_date.isoformat()}）より前です",
        )
