"""The 44-digit GS1-128 convenience-store code (コンビニ収納用バーコード, ELQR.md §4).

A slip up to ¥999,999 may carry this barcode besides the eL-QR, for stores whose
registers read only the convenience-store code. Like the eL-QR it is built from
validated fields and read back only when every part is right, naming the first wrong
part in Japanese.

Layout: ``91`` + company code (6) + free field (21) + reissue count (1) + payment
deadline YYMMDD (6, read as 20YY) + revenue-stamp flag (1) + amount (6) + check digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from counter.payment.checkdigits import gs1_check_digit
from counter.payment.errors import PaymentCodeError, is_ascii_digits, require_digits

GS1_LENGTH = 44
GS1_PREFIX = "91"  # application identifier of the 収納代行 code
GS1_MAX_AMOUNT = 999_999  # 6 digits of whole yen
_FIRST_DEADLINE = date(2000, 1, 1)  # YYMMDD is read as 20YY
_LAST_DEADLINE = date(2099, 12, 31)


@dataclass(frozen=True, kw_only=True, slots=True)
class Gs1Fields:
    """The variable values of one convenience-store code."""

    company_code: str  # 企業コード (assigned by the collecting agent), 6 digits
    free_field: str  # 自由使用欄 (the biller's own reference), 21 digits
    reissue: int  # 再発行区分: how often the slip was reissued, 0–9
    deadline: date  # 支払期限日
    revenue_stamp: bool  # 印紙フラグ
    amount: int  # yen, 1–999,999

    def __post_init__(self) -> None:
        require_digits(self.company_code, 6, "company_code", "企業コード")
        require_digits(self.free_field, 21, "free_field", "自由使用欄")
        if (
            not isinstance(self.reissue, int)
            or isinstance(self.reissue, bool)
            or not (0 <= self.reissue <= 9)
        ):
            raise PaymentCodeError(
                "reissue", f"再発行区分は0〜9で指定してください（{self.reissue}）"
            )
        if (
            not isinstance(self.deadline, date)
            or isinstance(self.deadline, datetime)
            or not _FIRST_DEADLINE <= self.deadline <= _LAST_DEADLINE
        ):
            raise PaymentCodeError(
                "deadline",
                f"支払期限日は2000年から2099年の日付で指定してください（{self.deadline}）",
            )
        if not isinstance(self.revenue_stamp, bool):
            raise PaymentCodeError("revenue_stamp", "印紙フラグはTrueかFalseで指定してください")
        if (
            not isinstance(self.amount, int)
            or isinstance(self.amount, bool)
            or not 1 <= self.amount <= GS1_MAX_AMOUNT
        ):
            raise PaymentCodeError(
                "amount", f"金額は1円から{GS1_MAX_AMOUNT:,}円までの整数で指定してください"
            )


def build_gs1(fields: Gs1Fields) -> str:
    """The 44 digits of the convenience-store code for ``fields``, check digit included."""
    data = (
        f"{GS1_PREFIX}{fields.company_code}{fields.free_field}{fields.reissue}"
        f"{fields.deadline:%y%m%d}{int(fields.revenue_stamp)}{fields.amount:06d}"
    )
    return data + gs1_check_digit(data)


def parse_gs1(text: str) -> Gs1Fields:
    """The fields of a valid convenience-store code; anything else raises `PaymentCodeError`.

    Checked in this order: length, characters, the prefix ``91``, the deadline, the
    revenue-stamp flag, the amount, and the check digit last.
    """
    if not isinstance(text, str):
        raise TypeError(f"GS1-128 code must be str, not {type(text).__name__}")
    if len(text) != GS1_LENGTH:
        raise PaymentCodeError("length", f"桁数が{GS1_LENGTH}桁ではありません（{len(text)}桁）")
    if not is_ascii_digits(text):
        pos = next(i for i, c in enumerate(text, 1) if not ("0" <= c <= "9"))
        raise PaymentCodeError("characters", f"数字以外の文字が含まれています（{pos}桁目）")
    if not text.startswith(GS1_PREFIX):
        raise PaymentCodeError("prefix", f"先頭（1〜2桁目）が{GS1_PREFIX}ではありません")
    deadline_digits = text[30:36]
    try:
        deadline = date(
            2000 + int(deadline_digits[:2]), int(deadline_digits[2:4]), int(deadline_digits[4:])
        )
    except ValueError:
        raise PaymentCodeError(
            "deadline", f"支払期限日（31〜36桁目）の日付が正しくありません（{deadline_digits}）"
        ) from None
    if text[36] not in "01":
        raise PaymentCodeError(
            "revenue_stamp", f"印紙フラグ（37桁目）が0か1ではありません（{text[36]}）"
        )
    amount = int(text[37:43])
    if amount < 1:
        raise PaymentCodeError("amount", "金額（38〜43桁目）が0円です")
    if gs1_check_digit(text[:43]) != text[43]:
        raise PaymentCodeError("check_digit", "チェックデジット（44桁目）が一致しません")
    return Gs1Fields(
        company_code=text[2:8],
        free_field=text[8:29],
        reissue=int(text[29]),
        deadline=deadline,
        revenue_stamp=text[36] == "1",
        amount=amount,
    )
