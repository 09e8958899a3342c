"""Check digits of the payment codes (ELQR.md §2, §4, §5).

Each algorithm lives here once, so that the eL-QR builder, the parser, the GS1-128
barcode and the settings screen (local government code) all agree on it.
"""

from __future__ import annotations

import operator
from functools import cache
from itertools import cycle, islice

from counter.payment.errors import PaymentCodeError, given, is_ascii_digits, require_digits

_CD2_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)
_CD1_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)
_LGC_WEIGHTS = (6, 5, 4, 3, 2)


def ocr_line_check_digits(data: str) -> str:
    """The two check digits ``CD1CD2`` of an OCR line of the standard payment slip.

    ``data`` is the line from position 3 to its end (37 digits for the 39-digit upper
    line, 42 for the 44-digit lower line); the result goes in positions 1–2.
    A weight cycle advances only on the positions it applies to (odd ones for CD2,
    even ones for CD1).

    Every eL-QR made or read computes this twice, so it works on bytes (digit values
    after one ``translate``) with the weights laid out per line length beforehand: about
    a third of the time of a digit-by-digit loop.
    """
    if not is_ascii_digits(data):
        raise PaymentCodeError("ocr_line", f"OCR行のデータは数字で指定してください{given(data)}")
    values = data.encode("ascii").translate(_DIGIT_VALUES)
    odd = values[0::2]  # line positions 3, 5, 7, …
    even = values[1::2]  # line positions 4, 6, 8, …
    cd2_weights, cd1_weights = _line_weights(len(values))
    cd2 = (sum(map(operator.mul, odd, cd2_weights)) + sum(even)) % 10
    # CD1 weighs the even positions 2 (CD2 itself, weight 2), 4, 6, … and adds the odd ones.
    weighted = 2 * cd2 + sum(map(operator.mul, even, cd1_weights))
    cd1 = (weighted + sum(odd)) % 11 % 10  # a remainder of 10 is written 0
    return f"{cd1}{cd2}"


_DIGIT_VALUES = bytes.maketrans(b"0123456789", bytes(range(10)))


@cache
def _line_weights(length: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """CD2 weights of the odd positions 3, 5, …; CD1 weights of the even positions 4, 6, …"""
    cd2_weights = tuple(islice(cycle(_CD2_WEIGHTS), (length + 1) // 2))
    cd1_weights = tuple(islice(cycle(_CD1_WEIGHTS), 1, length // 2 + 1))  # position 2 took 2
    return cd2_weights, cd1_weights


def gs1_check_digit(data43: str) -> str:
    """Modulus-10 check digit of the 44-digit convenience-store GS1-128 code.

    Weights 3, 1, 3, 1 … from the rightmost of the 43 data digits leftwards.
    """
    require_digits(data43, 43, "gs1", "コンビニ収納用バーコードのデータ")
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(data43)))
    return str((10 - total % 10) % 10)


def local_government_code(code5: str) -> str:
    """The 6-digit 地方公共団体コード: the 5-digit code followed by its check digit."""
    require_digits(code5, 5, "local_government_code", "地方公共団体コード（5桁）")
    total = sum(int(c) * w for c, w in zip(code5, _LGC_WEIGHTS, strict=True))
    return f"{code5}{(11 - total % 11) % 10}"


def is_valid_local_government_code(code6: str) -> bool:
    """True when ``code6`` is six ASCII digits whose last digit checks the first five."""
    if not (is_ascii_digits(code6) and len(code6) == 6):
        return False
    return local_government_code(code6[:5]) == code6
