"""本籍 and 旧氏 as the register CSV and the household format take them.

The 本籍's municipality is a code: normalised like every code (``３１２０２９`` →
``312029``) and its check digit checked. The 本籍 itself and the 旧氏 are written words:
taken exactly as given (never NFKC), only refused when they hold a control or
direction-changing character or are longer than their kind of field.
"""

from __future__ import annotations

from functools import lru_cache

from counter.payment.checkdigits import is_valid_local_government_code
from counter.textnorm import TextFormatError, check_field_text, normalize_digits

CODE_MESSAGE = "{what}は6桁の数字です（例: 312029）"
CHECK_DIGIT_MESSAGE = "地方公共団体コード「{code}」の検査数字が合いません"
NOT_JAPANESE_MESSAGE = "本籍は日本国籍の方だけに書きます（国籍が「{nationality}」です）"
TEXT_KIND = "address"
"""A 本籍 is as long as an address may be (``counter.textnorm.TEXT_LIMITS``)."""


def is_blank(text: str) -> bool:
    """An optional cell or value left empty: nothing but spaces (U+3000 too). A tab or
    another control character is not blank: it is refused where it stands."""
    return not text.strip(" \u3000")


@lru_cache(maxsize=4096)  # a register names few cities, on every row of a family
def normalize_municipality_code(text: str, what: str = "本籍の地方公共団体コード") -> str:
    """The 6-digit 全国地方公共団体コード in ASCII digits (any width, spaces and hyphens
    dropped); TextFormatError unless it is 6 digits with a right check digit. ``what``
    names the field in the message (a 本籍, a household's city, a terminal's setting)."""
    code = normalize_digits(text)
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        raise TextFormatError(CODE_MESSAGE.format(what=what))
    if not is_valid_local_government_code(code):
        raise TextFormatError(CHECK_DIGIT_MESSAGE.format(code=code))
    return code


def check_honseki_text(text: str) -> str:
    """The 本籍 exactly as written, on one line; TextFormatError when blank, holding a
    control or direction character, or longer than an address."""
    if is_blank(text):
        raise TextFormatError("空欄です")
    return check_field_text(text, TEXT_KIND)


def check_former_surname(text: str) -> str:
    """The 旧氏 exactly as written (a name: same characters and length as a name); a
    blank one is ``""`` (the register holds none)."""
    if is_blank(text):
        return ""
    return check_field_text(text, "name")
