"""Per-field normalisation of what staff type: codes, postal codes and フリガナ.

An IME hands over full-width digits (``６８３－０８２３``), half-width katakana and
hiragana; stored values and search keys must not depend on that. Each function here
is for one kind of field and is applied to that field only.

NAMES ARE NEVER NORMALISED BY ANYTHING IN THIS MODULE. 氏名 (kanji) are stored exactly
as typed: NFKC/NFC would rewrite compatibility ideographs (U+F929 朗 → U+6717 朗) and
change a person's legal name. Do not add a name function here and do not pass a name
to any function below; only the フリガナ (kana) field goes through ``normalize_kana``.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv


class TextFormatError(ValueError):
    """A field value that cannot be normalised; the message is for staff."""


_DASHES = re.compile(r"[-‐‑‒–—―−]")
_CHOONPU_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])ー+(?=[0-9])")
_WHITESPACE = re.compile(r"\s+")
# C0 and C1 controls (NUL, tab, line breaks, DEL …) and lone surrogates (what bytes that are
# not UTF-8 become under ``surrogateescape``, or a JSON ``\\ud800`` escape).
_UNUSABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_UNUSABLE_BUT_LINE_BREAKS = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Marks that turn the direction of the text after them (U+202E shows 「ABC」 as 「CBA」): a
# name holding one prints as another name; and whoever reads a log or a terminal is fooled.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
BIDI_MESSAGE = "文字の向きを変える制御文字（U+202E など）は使えません（{position}文字目）"
TEXT_LIMITS = {"name": 60, "kana": 120, "address": 200, "display_name": 64, "note": 200}
"""The longest text each kind of field takes: as long as a register's longest names and
addresses, and what a form's box and the slip still print."""
_POSTAL = re.compile(r"[0-9]{7}")
_KANA = frozenset(chr(c) for c in range(0x30A1, 0x30FB)) | set("ヽヾー・")
_SMALL_TO_LARGE = str.maketrans(
    "ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ",
    "アイウエオツヤユヨワカケクシストヌハヒフヘホムラリルレロ",
)
POSTAL_CODE_MESSAGE = "郵便番号は7桁の数字で入力してください（例: 683-0823）"
KANA_MESSAGE = "カナはひらがなまたはカタカナで入力してください"
UNUSABLE_MESSAGE = "改行・タブなどの制御文字か、壊れた文字があります（{position}文字目）"
SHOWN_LIMIT = 30
PHONE_MESSAGE = "電話番号は0から始まる10桁か11桁の数字で入力してください（例: 0859-23-5111）"
NUMBER_MESSAGE = "数字だけで入力してください"
_PHONE_SHAPE = re.compile(r"0[0-9]{0,4}(-[0-9]{1,4}){0,2}")


def check_plain_text(text: str, *, line_breaks: bool = False) -> str:
    """``text`` unchanged when it has no control character and no lone surrogate, else
    TextFormatError naming the position of the first. ``line_breaks`` lets LF and CR
    through (an address cell of Excel's may hold them).

    For names, addresses and ids, which are otherwise taken exactly as written: such a
    character cannot be printed on a slip, PostgreSQL refuses NUL and a lone surrogate
    cannot be encoded at all, so it would fail only later, half-way through a write.
    """
    unusable = _UNUSABLE_BUT_LINE_BREAKS if line_breaks else _UNUSABLE
    if found := unusable.search(text):
        raise TextFormatError(UNUSABLE_MESSAGE.format(position=found.start() + 1))
    if found := _BIDI.search(text):
        raise TextFormatError(BIDI_MESSAGE.format(position=found.start() + 1))
    return text


def check_field_text(text: str, kind: str, *, line_breaks: bool = False) -> str:
    """``text`` unchanged when it is plain (``check_plain_text``) and no longer than its
    kind of field takes (``TEXT_LIMITS``); else TextFormatError saying which."""
    check_plain_text(text, line_breaks=line_breaks)
    limit = TEXT_LIMITS[kind]
    if len(text) > limit:
        raise TextFormatError(f"{limit}文字以内にしてください（{len(text):,}文字あります）")
    return text


def shown(text: str, limit: int = SHOWN_LIMIT) -> str:
    """``text`` as a message may quote it back to staff: controls and lone surrogates as
    U+FFFD, cut to ``limit`` characters with ``…``. A quoted value can then neither
    break the message into lines nor make printing it fail."""
    s = _UNUSABLE.sub("\ufffd", text)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def normalize_digits(text: str) -> str:
    """For codes (phone, postal, ids): NFKC, drop all whitespace and hyphens.

    Removes every kind of dash (``-‐‑‒–—―−－``) and ``ー`` when it stands between digits
    (an IME in kana mode types ``090ー1234``). Letters are NFKC'd but kept.
    """
    s = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))
    return _CHOONPU_BETWEEN_DIGITS.sub("", _DASHES.sub("", s))


_MINUS = frozenset("-‐‑‒–—―−－ー▲△")  # every way a minus is written, 会計 marks included
_WHOLE = re.compile(r"[0-9]{1,3}(,[0-9]{3})*|[0-9]+")
MAX_DIGITS = 15


def parse_whole_number(text: str, *, least: int, most: int) -> int:
    """A count or an amount as typed (any width, commas between thousands): the number
    with its sign and value unchanged. A minus, a fraction, a number outside
    ``least``..``most`` or anything not a number raises TextFormatError saying which —
    never dropped or rounded into another number (``-350`` is not ``350``)."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if not typed:
        raise TextFormatError("数を入力してください")
    if typed[0] in _MINUS:
        raise TextFormatError("マイナスの数は使えません")
    if "." in typed:
        raise TextFormatError("小数は使えません。整数で入力してください")
    if not _WHOLE.fullmatch(typed):
        raise TextFormatError("数字だけで入力してください（桁区切りのカンマは使えます）")
    digits = typed.replace(",", "")
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise TextFormatError(f"{most:,}以下の数にしてください")
    value = int(digits)
    if value < least:
        raise TextFormatError(f"{least:,}以上の数にしてください")
    if value > most:
        raise TextFormatError(f"{most:,}以下の数にしてください")
    return value


def normalize_phone(text: str) -> str:
    """``０８５９－２３－５１１１`` → ``0859-23-5111``: the digits in ASCII, the groups as
    typed (an area code cannot be told from the digits alone), joined by ``-``.

    Raises TextFormatError unless it is 10 or 11 digits starting with 0.
    """
    digits = normalize_digits(text)
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (10, 11):
        raise TextFormatError(PHONE_MESSAGE)
    if not digits.startswith("0"):
        raise TextFormatError(PHONE_MESSAGE)
    grouped = _DASHES.sub("-", unicodedata.normalize("NFKC", text).strip())
    grouped = _CHOONPU_BETWEEN_DIGITS.sub("-", _WHITESPACE.sub("-", grouped))
    return grouped if _PHONE_SHAPE.fullmatch(grouped) else digits


def normalize_number(text: str) -> str:
    """A registration or recipient number: ASCII digits only (widths, spaces, dashes
    removed); raises TextFormatError if anything else is left."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if typed[:1] in _MINUS:  # a dash between digits is layout; a leading one is a minus
        raise TextFormatError("マイナスの数は使えません")
    digits = normalize_digits(typed)
    if not digits.isascii() or not digits.isdigit():
        raise TextFormatError(NUMBER_MESSAGE)
    return digits


def normalize_postal_code(text: str) -> str:
    """``〒６８３－０８２３`` → ``6830823``; raises TextFormatError unless 7 digits."""
    s = normalize_digits(text).removeprefix("〒")
    if not _POSTAL.fullmatch(s):
        raise TextFormatError(POSTAL_CODE_MESSAGE)
    return s


def format_postal_code(code: str) -> str:
    """``6830823`` (or anything ``normalize_postal_code`` accepts) → ``683-0823``."""
    s = normalize_postal_code(code)
    return f"{s[:3]}-{s[3:]}"


def _to_katakana(text: str) -> str:
    # h2z: half-width katakana (ｶﾞ → ガ); NFC: combining marks (カ + U+3099 → ガ).
    # NFC is safe here only because kanji are rejected afterwards.
    s = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    return jaconv.hira2kata(unicodedata.normalize("NFC", s))


def normalize_kana(text: str) -> str:
    """The stored form of 氏名のフリガナ: full-width katakana, parts split by one U+3000.

    ``やまだ  ﾀﾛｳ`` → ``ヤマダ　タロウ``. Keeps ``ー``, ``ヴ`` and ``・``. Blank input gives
    ``""`` (whether the field is required is the caller's decision). Raises
    TextFormatError if anything else (kanji, latin, digits) is left.
    """
    s = _WHITESPACE.sub("\u3000", _to_katakana(text).strip())
    if any(c not in _KANA and c != "\u3000" for c in s):
        raise TextFormatError(KANA_MESSAGE)
    return s


def kana_search_key(text: str) -> str:
    """Key to index and query フリガナ: katakana, small kana made large, no spaces.

    ``ジョン・ヴァン　ハッター`` → ``ジヨンヴアンハツター``. Voiced and semi-voiced marks and
    ``ー`` are kept; ``・``, spaces and anything not kana are dropped. Never raises.
    """
    s = _to_katakana(text).translate(_SMALL_TO_LARGE)
    return "".join(c for c in s if c in _KANA and c != "・")


def is_kana(text: str) -> bool:
    """True if ``normalize_kana`` accepts ``text`` and it is not blank."""
    try:
        return bool(normalize_kana(text))
    except TextFormatError:
        return False
