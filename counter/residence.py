"""A foreign resident's facts as the register CSV and the household format take them.

住民基本台帳法30条の45 has the register hold, for a foreign resident, the 在留資格 (or
特別永住者), the 在留期間の満了の日 and the 在留カード等の番号; the 住民異動届 asks for the
same. The 在留資格 is a written word: taken exactly as given (never NFKC). The card
number is a code: normalised (any width, spaces and hyphens dropped, upper case) and
checked to be 12 letters and digits as the card prints it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from counter.honseki import is_blank
from counter.household import Member
from counter.textnorm import TextFormatError, check_field_text

CARD_NUMBER_LENGTH = 12
CARD_NUMBER_MESSAGE = "在留カード等の番号は英数字12文字です（例: AB12345678CD）"
JAPANESE_MESSAGE = (
    "在留資格・在留期間・在留カード等の番号は外国籍の方だけに書きます（国籍が「JP」です）"
)
FOREIGN_FIELDS = (
    "residence_status",
    "residence_period",
    "residence_expiry",
    "residence_card_number",
)


def check_residence_text(text: str) -> str:
    """The 在留資格 (「永住者」「技術・人文知識・国際業務」, or 「特別永住者」) or the 在留期間
    (「3年」「6月」), exactly as written; ``""`` when blank (永住者 have no period).
    Refused only when it holds a control character or is longer than a name."""
    if is_blank(text):
        return ""
    return check_field_text(text, "name")


def normalize_card_number(text: str) -> str:
    """The 在留カード等の番号 in ASCII upper case (``ａｂ１２３４５６７８ｃｄ`` →
    ``AB12345678CD``); ``""`` when blank; TextFormatError unless 12 letters and digits."""
    if is_blank(text):
        return ""
    code = unicodedata.normalize("NFKC", text).upper()
    code = "".join(c for c in code if not c.isspace() and c not in "-‐‑‒–—―−")
    if len(code) != CARD_NUMBER_LENGTH or not (code.isascii() and code.isalnum()):
        raise TextFormatError(CARD_NUMBER_MESSAGE)
    return code


def without_residence(member: Member) -> Member:
    """The member without a foreign resident's facts: what a Japanese national holds."""
    return replace(
        member,
        residence_status="",
        residence_period="",
        residence_expiry=None,
        residence_card_number="",
    )
