"""届出期間経過: a 届出 filed after its legal period, and what that means for the resident.

The words are data (``data/late_filing.toml``) with their statute: the counter takes a
late 届出 all the same and never decides the 過料, which is the summary court's (戸籍法137条,
住基法52条2項). The plan, the slip and the form each say so for the lines it concerns.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LATE_FILING_FILE = Path(__file__).parent / "data" / "late_filing.toml"


@dataclass(frozen=True)
class LateFiling:
    kind: str
    label: str  # what the paper says: 届出期間経過
    basis: str  # the statute, for staff and the department that receives the form
    text: str  # what it means for the resident, in plain words
    source: str
    unconfirmed: tuple[str, ...] = ()


@cache
def late_filings() -> dict[str, LateFiling]:
    """Every kind of late filing the catalogue may name, by kind."""
    data = tomllib.loads(LATE_FILING_FILE.read_text(encoding="utf-8"))
    return {
        kind: LateFiling(kind=kind, **{**item, "unconfirmed": tuple(item.get("unconfirmed", ()))})
        for kind, item in data.items()
    }
