"""A stored visit's guidance slip made again, and printed: exactly what was stored (its
plan, its payment codes), in the layout and language asked for, each step in the audit
log. Used by `counter slip`; the screens reprint through the same function."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from counter.profile import load_profile
from counter.slip import build_slip
from db.audit import record
from db.visits import VisitForSlip
from forms.printing import PrintResult, print_pdf
from forms.slip_pdf import render_slip


@dataclass(frozen=True)
class Reprint:
    path: Path
    printed: PrintResult | None = None  # None when it was not sent to a printer


def reprint_slip(
    engine: Engine,
    visit: VisitForSlip,
    out: Path,
    *,
    staff_id: str,
    terminal: str,
    layout: str = "a4",
    large_print: bool = False,
    language: str = "ja",
    queue: str | None = None,
    send_to_printer: bool = False,
) -> Reprint:
    """Write ``visit``'s slip to ``out`` (recorded as an export) and, when asked, send it
    to ``queue`` (recorded as a print when it printed). Raises ProfileError for a visit
    of a city this terminal has no profile of, OSError when ``out`` cannot be written."""
    profile = load_profile(visit.municipality)
    slip = build_slip(
        visit.plan,
        visit.case,
        profile,
        reception_number=visit.reception_number,
        issued_on=visit.office_date,
        payments=visit.payments,
    )
    path = render_slip(slip, out, layout=layout, large_print=large_print, language=language)
    who = {"staff_id": staff_id, "terminal": terminal, "visit_id": visit.id}
    record(engine, action="export", detail=f"案内票の再作成 {path.name}", **who)
    if not send_to_printer:
        return Reprint(path)
    result = print_pdf(path, queue)
    if result.printed:
        record(engine, action="print", detail=f"案内票の再印刷 {path.name}", **who)
    return Reprint(path, result)
