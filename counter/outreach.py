"""What an outreach laptop is checked out for: the area of its route, as staff type it.

Pure rules, so the command and its tests read ``--area`` the same way: a 7-digit postal
code, a shorter postal prefix (``683``, ``683-08``) or a town name (``加茂町``), each
typed in any width, with or without the hyphen.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from counter.textnorm import TextFormatError, check_plain_text, normalize_digits

POSTAL = "postal"
PREFIX = "prefix"
TOWN = "town"
DEFAULT_RECEPTION_BLOCK = 200
DEFAULT_PAYMENT_BLOCK = 500


@dataclass(frozen=True)
class AreaTerm:
    """One ``--area``: a kind (postal, prefix or town) and the value compared."""

    kind: str
    value: str
    typed: str


def parse_area(text: str) -> AreaTerm:
    """The term of one ``--area``; TextFormatError (Japanese) for an empty or unusable one."""
    typed = text.strip(" \u3000\t")
    if not typed:
        raise TextFormatError("--area が空です（郵便番号、その頭の数字、町名のどれか）")
    check_plain_text(typed)
    digits = normalize_digits(typed)
    if digits.isascii() and digits.isdigit():
        if len(digits) > 7:
            raise TextFormatError(f"郵便番号は7桁です（{typed}）")
        return AreaTerm(POSTAL if len(digits) == 7 else PREFIX, digits, typed)
    if any(ch.isdigit() for ch in digits) and not any(ch.isalpha() for ch in digits):
        raise TextFormatError(f"郵便番号として読めません（{typed}）")
    return AreaTerm(TOWN, unicodedata.normalize("NFKC", typed), typed)


def describe_area(terms: list[AreaTerm]) -> str:
    """The area as the office records it and the laptop shows it: the terms as typed."""
    return "、".join(term.typed for term in terms)


def register_fingerprint(
    household: Mapping[str, Any], residents: Sequence[Mapping[str, Any]]
) -> str:
    """SHA-256 of a household's register rows (the household and its residents in id
    order): equal at checkout and at hand-back only if the office changed nothing."""
    rows = [dict(household), *sorted((dict(r) for r in residents), key=lambda r: str(r["id"]))]
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
