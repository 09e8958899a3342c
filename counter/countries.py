"""国籍・地域: the stored ISO 3166-1 code and the Japanese name people read.

The register and the household format keep the two-letter code (``VN``); forms, slips
and screens show the name (``ベトナム``), from ``data/countries.tsv``. Staff may type
either, in any width or case: ``ｖｎ``, ``VN`` and ``ベトナム`` are the same country.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from counter.textnorm import TextFormatError

TABLE = Path(__file__).parent / "data" / "countries.tsv"
UNKNOWN = (
    "国籍・地域: 「{text}」はわかりません。"
    "2文字の国コード（例: VN）か国名（例: ベトナム）で入力してください"
)


@cache
def _names() -> dict[str, str]:
    rows = (line.split("\t") for line in TABLE.read_text(encoding="utf-8").splitlines())
    return {row[0]: row[1] for row in rows if len(row) == 2 and not row[0].startswith("#")}


def country_name(code: str) -> str:
    """The Japanese name of ``code``; an unknown code is shown as it is."""
    return _names().get(code, code)


def country_code(text: str) -> str:
    """The code of what staff typed: a code (any width or case) or a Japanese name."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if typed.upper() in _names():
        return typed.upper()
    for code, name in _names().items():
        if typed == name:
            return code
    shown = typed[:30] + ("…" if len(typed) > 30 else "")
    raise TextFormatError(UNKNOWN.format(text=shown))
