"""Confirming a visit: store it, then write its slip. Runs inside a thread worker.

The visit is committed before the PDF is made, so a failing printer or disk never loses
a confirmed visit; the slip path is added when the file exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from counter.household import EventCase
from counter.plan import Plan
from counter.profile import MunicipalityProfile
from counter.slip import build_slip
from db.visits import StoredVisit, record_visit, set_slip_path
from forms.slip_pdf import render_slip


@dataclass(frozen=True)
class ConfirmedVisit:
    visit: StoredVisit
    slip_path: Path


def confirm_visit(
    engine: Engine,
    case: EventCase,
    plan: Plan,
    profile: MunicipalityProfile,
    *,
    device_id: str,
    slip_dir: Path,
) -> ConfirmedVisit:
    visit = record_visit(engine, case, plan, profile, device_id=device_id)
    slip = build_slip(
        plan,
        case,
        profile,
        reception_number=visit.reception_number,
        issued_on=plan.filed_on,
        payment=visit.payment,
        payload=visit.payload,
    )
    name = f"{visit.office_date:%Y%m%d}-{visit.reception_number:04d}-{visit.id[:8]}.pdf"
    path = render_slip(slip, slip_dir / name)
    set_slip_path(engine, visit.id, str(path))
    return ConfirmedVisit(visit=visit, slip_path=path)
