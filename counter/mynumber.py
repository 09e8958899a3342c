"""The individual number (マイナンバー, 個人番号): checked, masked and kept out of text.

The number is 12 digits, the last a check digit (番号法施行令第8条). It is asked only on
a form that requires it, shown in full only in that one input, masked everywhere else,
never printed on a slip and never written to a log: ``redact`` removes any 12-digit run
from a text before it reaches a log or the audit trail, valid or mistyped alike.
"""

from __future__ import annotations

import re

from counter.textnorm import TextFormatError

LENGTH = 12
DIGITS = "0-9０-９"
SEPARATORS = " \u3000\\-‐－−ー"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
# Twelve digits in a row, or grouped 4-4-4 with a separator between every group (a date
# and a counter such as 20261124-0001 are not a number written 8-4).
_TWELVE = re.compile(
    rf"(?<![{DIGITS}])(?:[{DIGITS}]{{12}}|[{DIGITS}]{{4}}[{SEPARATORS}][{DIGITS}]{{4}}"
    rf"[{SEPARATORS}][{DIGITS}]{{4}})(?![{DIGITS}])"
)
REDACTED = "［個人番号］"


def check_digit(first_eleven: str) -> int:
    """The check digit of the first 11 digits: 11 − (Σ Pn×Qn mod 11), or 0 when the
    remainder is 0 or 1. Pn is the n-th digit from the right, Qn is n+1 up to n=6 and
    n−5 after."""
    if len(first_eleven) != LENGTH - 1 or not (first_eleven.isascii() and first_eleven.isdigit()):
        raise ValueError("check_digit needs 11 ASCII digits")
    total = 0
    for n in range(1, LENGTH):
        weight = n + 1 if n <= 6 else n - 5
        total += int(first_eleven[-n]) * weight
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid(number: str) -> bool:
    return (
        len(number) == LENGTH
        and number.isascii()
        and number.isdigit()
        and check_digit(number[:-1]) == int(number[-1])
    )


def normalize(text: str) -> str:
    """The number as 12 ASCII digits, from what staff typed (full width, spaces and
    hyphens allowed); a Japanese reason when it is not a valid number."""
    digits = re.sub(f"[{SEPARATORS}]", "", text.strip().translate(_FULL_WIDTH))
    if not (len(digits) == LENGTH and digits.isascii() and digits.isdigit()):
        raise TextFormatError("個人番号は12桁の数字で入力してください")
    if not is_valid(digits):
        raise TextFormatError("個人番号の検査数字が合いません（番号を確かめてください）")
    return digits


def mask(number: str) -> str:
    """What a screen may show: the last four digits only."""
    return "*" * (LENGTH - 4) + number[-4:]


def redact(text: str) -> str:
    """``text`` with every 12-digit run (ASCII or full width, plain or 4-4-4) replaced."""
    return _TWELVE.sub(REDACTED, text)
