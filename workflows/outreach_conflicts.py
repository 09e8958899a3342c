"""What a hand-back could not settle alone, settled by a supervisor, each in the audit log.

A newcomer held because the office registered someone of the same name and birth date
meanwhile is either registered as another person (its held rows added, never over a
row of the office) or taken as that resident (the laptop's visits moved to the office's
household, the held rows dropped). A household the office changed since checkout is
marked reviewed: the visit stands as it was made on the road.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db import audit
from db.models import (
    CONFLICT_KINDS,
    CONFLICT_RESOLUTIONS,
    HouseholdRow,
    OutreachCheckoutRow,
    OutreachConflictRow,
    OutreachImportRow,
    VisitRow,
)
from workflows.outreach import add_household_rows

CHOICES = {
    "newcomer_exists": ("register", "use_office"),
    "household_changed": ("reviewed",),
}


class SettleRefused(ValueError):
    """The conflict cannot be settled that way (a Japanese line); nothing changed."""


@dataclass(frozen=True)
class Conflict:
    """One open conflict as the screen and the command list it."""

    id: str
    kind: str
    kind_label: str
    area: str
    imported_at: datetime
    household_id: str
    office_household_id: str | None
    visit_id: str | None
    detail: str
    choices: tuple[str, ...]


def open_conflicts(engine: Engine) -> list[Conflict]:
    """The conflicts not settled yet, oldest import first."""
    with Session(engine) as session:
        rows = session.exec(
            select(OutreachConflictRow, OutreachImportRow, OutreachCheckoutRow)
            .join(OutreachImportRow, col(OutreachImportRow.id) == OutreachConflictRow.import_id)
            .join(OutreachCheckoutRow, col(OutreachCheckoutRow.id) == OutreachImportRow.checkout_id)
            .where(col(OutreachConflictRow.settled_at).is_(None))
            .order_by(col(OutreachImportRow.imported_at), col(OutreachConflictRow.household_id))
        ).all()
    return [
        Conflict(
            id=conflict.id,
            kind=conflict.kind,
            kind_label=CONFLICT_KINDS[conflict.kind],
            area=checkout.area,
            imported_at=imported.imported_at,
            household_id=conflict.household_id,
            office_household_id=conflict.office_household_id,
            visit_id=conflict.visit_id,
            detail=conflict.detail,
            choices=CHOICES[conflict.kind],
        )
        for conflict, imported, checkout in rows
    ]


def settle(
    engine: Engine, conflict_id: str, resolution: str, *, staff_id: str, terminal: str
) -> str:
    """Settle one conflict as ``resolution``; what was done, in Japanese."""
    with Session(engine.execution_options(write_lock=True)) as session:
        conflict = session.get(OutreachConflictRow, conflict_id)
        if conflict is None:
            raise SettleRefused(f"確認待ち {conflict_id[:8]} はありません")
        if conflict.settled_at is not None:
            raise SettleRefused("この確認待ちは既に処理されています")
        if resolution not in CHOICES[conflict.kind]:
            allowed = "、".join(CHOICES[conflict.kind])
            raise SettleRefused(f"この確認待ちには {allowed} のどれかを選んでください")
        if resolution == "register":
            _register_held(session, conflict)
        elif resolution == "use_office":
            _use_office(session, conflict)
        conflict.settled_at = datetime.now(UTC)
        conflict.settled_by = staff_id
        conflict.resolution = resolution
        session.add(conflict)
        said = f"{CONFLICT_KINDS[conflict.kind]}: {CONFLICT_RESOLUTIONS[resolution]}"
        audit.append(
            session,
            action="edit",
            staff_id=staff_id,
            terminal=terminal,
            visit_id=conflict.visit_id,
            detail=f"出張の確認待ちの処理（世帯 {conflict.household_id}）{said}",
        )
        session.commit()
    return said


def _held(conflict: OutreachConflictRow) -> dict:
    return json.loads(conflict.held_json or "{}")


def _register_held(session: Session, conflict: OutreachConflictRow) -> None:
    held = _held(conflict)
    household = held["household"]
    if session.get(HouseholdRow, household["id"]) is not None:
        raise SettleRefused(f"世帯 {household['id']} は既に登録されています（上書きはしません）")
    add_household_rows(session, household, held["residents"])


def _use_office(session: Session, conflict: OutreachConflictRow) -> None:
    session.execute(
        update(VisitRow)
        .where(col(VisitRow.household_id) == conflict.household_id)
        .values(household_id=conflict.office_household_id)
    )
