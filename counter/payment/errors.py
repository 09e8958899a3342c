"""The one error type of the payment codes, and the digit checks every module shares.

A wrong payment code must never reach a slip, and the counter staff must be told in
Japanese which part of it is wrong; `PaymentCodeError.field` names that part for code
(tests, logs), the message names it for people.
"""

from __future__ import annotations


class PaymentCodeError(ValueError):
    """A payment code, or a value meant for one, is not valid.

    ``field`` is a stable identifier of the first wrong part (``"length"``, ``"crc"``,
    ``"amount"`` …); the message is Japanese and meant for the screen.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def is_ascii_digits(text: str) -> bool:
    """True when ``text`` is non-empty and only ``0``–``9`` (full-width digits are not)."""
    return isinstance(text, str) and text.isascii() and text.isdigit()


def require_digits(value: str, length: int, field: str, label: str) -> str:
    """Return ``value`` when it is exactly ``length`` ASCII digits, else raise."""
    if not (is_ascii_digits(value) and len(value) == length):
        raise PaymentCodeError(field, f"{label}は{length}桁の数字で指定してください{given(value)}")
    return value


def given(value: object) -> str:
    """What was given, for a message: ``（「123」）`` quoted safely, or nothing for a value
    that is not a string. Borrows ``counter.textnorm`` only when a message is made, so
    that importing ``counter.payment`` stays standard-library only."""
    if not isinstance(value, str):
        return ""
    from counter.textnorm import shown

    return f"（「{shown(value)}」）"
