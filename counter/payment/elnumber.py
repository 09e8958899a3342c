"""eL番号: the four numbers of an eL-QR code printed beside it for typing by hand (§3).

Printed as ``収納機関番号 納付番号 確認番号 納付区分`` separated by single spaces; the
納付番号 is zero-padded to its full 20 digits and cut into five groups of four from the
left, so that every slip shows the same shape and a reader can keep their place:

    31202 0000 0000 0000 0001 2345 123456 999

`parse_el_number` reads it back as staff or residents type it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from counter.payment.confirmation import canonical_payment_number
from counter.payment.elqr import ElqrFields
from counter.payment.errors import PaymentCodeError, is_ascii_digits, require_digits

LABELS = ("収納機関番号", "納付番号", "確認番号", "納付区分")


def grouped_payment_number(payment_number: str) -> str:
    """The 納付番号 zero-padded to 20 digits, in five groups of four."""
    padded = payment_number.zfill(20)
    return " ".join(padded[i : i + 4] for i in range(0, 20, 4))


def el_number_parts(fields: ElqrFields) -> dict[str, str]:
    """The four parts keyed by their Japanese labels, in printing order."""
    values = (
        fields.collector,
        grouped_payment_number(fields.payment_number),
        fields.confirmation_number,
        fields.category,
    )
    return dict(zip(LABELS, values, strict=True))


def el_number(fields: ElqrFields) -> str:
    """The eL番号 on one line, e.g. ``31202 0000 0000 0000 0001 2345 123456 999``."""
    return " ".join(el_number_parts(fields).values())


class ElNumber(NamedTuple):
    """The four values of an eL番号; ``payment_number`` without leading zeros, as in the QR."""

    collector: str  # 収納機関番号, 5 digits
    payment_number: str  # 納付番号, up to 20 digits
    confirmation_number: str  # 確認番号, 6 digits
    category: str  # 納付区分, 3 digits


_GROUP = re.compile(r"[0-9]+")
_FIXED_DIGITS = 5 + 6 + 3  # all but the 納付番号


def parse_el_number(text: str) -> ElNumber:
    """The four values of an eL番号 as typed; otherwise `PaymentCodeError` naming the part.

    Accepts the printed form, with any spaces or hyphens (full-width too) between the
    groups, or all the digits run together. When the groups are separated, the first
    is the 収納機関番号, the last two the 確認番号 and 納付区分, and everything between
    is the 納付番号 (however it is grouped); run together, only the 納付番号 can vary in
    length, so the parts are cut from both ends.
    """
    # textnorm needs jaconv; imported here so that counter.payment stays standard-library only
    from counter.textnorm import normalize_digits

    digits = normalize_digits(text)
    if not is_ascii_digits(digits):
        raise PaymentCodeError(
            "characters", "eL番号は数字で入力してください（区切りは空白かハイフン）"
        )
    groups = _GROUP.findall(unicodedata.normalize("NFKC", text))
    if len(groups) == 1:
        if not _FIXED_DIGITS < len(digits) <= _FIXED_DIGITS + 20:
            raise PaymentCodeError(
                "length",
                f"eL番号は{_FIXED_DIGITS + 1}〜{_FIXED_DIGITS + 20}桁です（{len(digits)}桁）",
            )
        groups = [digits[:5], digits[5:-9], digits[-9:-3], digits[-3:]]
    elif len(groups) < 4:
        raise PaymentCodeError(
            "format",
            "eL番号は収納機関番号・納付番号・確認番号・納付区分を空白で区切って入力してください",
        )
    collector = require_digits(groups[0], 5, "collector", LABELS[0])
    payment_number = canonical_payment_number("".join(groups[1:-2]))
    confirmation = require_digits(groups[-2], 6, "confirmation_number", LABELS[2])
    category = require_digits(groups[-1], 3, "category", LABELS[3])
    return ElNumber(collector, payment_number, confirmation, category)
