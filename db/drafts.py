"""A visit from its first step: numbered at once, its draft saved at every step.

Staff start a visit when they open a household; the 受付番号 is given then and shown on
every screen. What they enter is saved as the draft, so a visit can be parked (the
resident fetches a document while the next one steps up) and resumed on any terminal,
and after a crash or power cut the terminal offers its open visit back. Confirming turns
the same row into the stored visit (``db.visits.record_visit(visit_id=...)``).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.models import VisitRow
from db.sequences import allocate

OPEN, PARKED, CONFIRMED, CANCELLED = "open", "parked", "confirmed", "cancelled"
VISIT_STATUSES = {OPEN: "受付中", PARKED: "保留中", CONFIRMED: "確定", CANCELLED: "取消"}


class VisitNotOpen(LookupError):
    """The visit was confirmed or cancelled meanwhile (perhaps on another terminal)."""


@dataclass(frozen=True)
class OpenVisit:
    id: str
    reception_number: int
    office_date: date
    status: str
    device_id: str
    draft: dict[str, Any]
    updated_at: datetime | None

    @property
    def head_name(self) -> str:
        return str(self.draft.get("head_name", ""))

    @property
    def step(self) -> str:
        return str(self.draft.get("step", "event"))

    @property
    def events(self) -> tuple[str, ...]:
        """The events entered so far (the one at hand last), as event keys."""
        cases = [*(self.draft.get("earlier") or ()), self.draft.get("case")]
        return tuple(str(case["event"]) for case in cases if case)


def start_visit(
    engine: Engine,
    *,
    municipality: str,
    device_id: str,
    office_date: date,
    staff_id: str | None = None,
) -> OpenVisit:
    """A new open visit with its 受付番号 (unique per office and day across terminals),
    served by ``staff_id``."""
    with Session(engine) as session:
        row = new_visit_row(session, municipality, office_date, device_id)
        row.status, row.draft_json, row.staff_id = OPEN, "{}", staff_id
        session.add(row)
        session.commit()
        visit_id, reception, now = row.id, row.reception_number, row.updated_at
    return OpenVisit(visit_id, reception, office_date, OPEN, device_id, {}, now)


def save_draft(
    engine: Engine,
    visit_id: str,
    draft: dict[str, Any],
    *,
    status: str = OPEN,
    device_id: str | None = None,
) -> None:
    """Keep what was entered so far; ``status`` parks or reopens the visit, ``device_id``
    moves it to the terminal that resumed it."""
    if status not in (OPEN, PARKED):
        raise ValueError(f"下書きの状態は {OPEN} か {PARKED} です（{status}）")
    with Session(engine) as session:
        row = open_visit_row(session, visit_id)
        row.draft_json = json.dumps(draft, ensure_ascii=False)
        row.status = status
        row.updated_at = datetime.now(UTC)
        if device_id is not None:
            row.device_id = device_id
        session.add(row)
        session.commit()


def cancel_visit(engine: Engine, visit_id: str) -> None:
    """The resident left: the visit is kept as cancelled, its number is not given again."""
    with Session(engine) as session:
        row = open_visit_row(session, visit_id)
        row.status = CANCELLED
        row.updated_at = datetime.now(UTC)
        session.add(row)
        session.commit()


def open_visits(
    engine: Engine, *, office_date: date, device_id: str | None = None, status: str | None = None
) -> list[OpenVisit]:
    """Open and parked visits of the day (of one terminal, or of one status), oldest first."""
    statement = select(VisitRow).where(
        VisitRow.office_date == office_date, col(VisitRow.status).in_((OPEN, PARKED))
    )
    if device_id is not None:
        statement = statement.where(VisitRow.device_id == device_id)
    if status is not None:
        statement = statement.where(VisitRow.status == status)
    with Session(engine) as session:
        rows = session.exec(statement.order_by(col(VisitRow.reception_number))).all()
        return [
            OpenVisit(
                id=row.id,
                reception_number=row.reception_number,
                office_date=row.office_date,
                status=row.status,
                device_id=row.device_id,
                draft=json.loads(row.draft_json or "{}"),
                updated_at=row.updated_at,
            )
            for row in rows
        ]


def new_visit_row(
    session: Session, municipality: str, office_date: date, device_id: str
) -> VisitRow:
    """A visit row with its 受付番号, allocated in ``session``'s transaction."""
    now = datetime.now(UTC)
    return VisitRow(
        id=str(uuid.uuid4()),
        device_id=device_id,
        reception_number=allocate(session, f"reception:{municipality}:{office_date.isoformat()}"),
        office_date=office_date,
        municipality=municipality,
        event="",
        event_date=office_date,
        case_json="{}",
        plan_json="{}",
        created_at=now,
        updated_at=now,
    )


def open_visit_row(session: Session, visit_id: str) -> VisitRow:
    """The row of an open or parked visit, else VisitNotOpen with a Japanese reason."""
    row = session.get(VisitRow, visit_id)
    if row is None or row.status not in (OPEN, PARKED):
        state = VISIT_STATUSES.get(row.status, row.status) if row else "見つかりません"
        raise VisitNotOpen(f"この受付はもう続けられません（{state}）")
    return row
