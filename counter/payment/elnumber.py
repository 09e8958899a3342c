"""eL番号: the four numbers of an eL-QR code printed beside it for typing by hand (§3).

Printed as ``収納機関番号 納付番号 確認番号 納付区分`` separated by single spaces; the
納付番号 is zero-padded to its full 20 digits and cut into five groups of four from the
left, so that every slip shows the same shape and a reader can keep their place:

    31202 0000 0000 0000 0001 2345 123456 999
"""

from __future__ import annotations

from counter.payment.elqr import ElqrFields

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
