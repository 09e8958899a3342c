"""The department hand-off: what the counter hands on, each department's queue, and when a
visit is settled.

One-stop means the resident stays at the counter: a procedure the counter cannot finish is
handed to its department, which sees it in its queue on any terminal and marks it done.
Status changes are single conditional UPDATEs, so two terminals acting on the same line at
once cannot both win: the second gets a Japanese message instead of overwriting the first.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import cast

from sqlalchemy import ColumnElement, CursorResult, SQLColumnExpression, case, func, literal, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from counter.mynumber import redact
from counter.textnorm import TextFormatError, check_field_text
from db import audit
from db.models import (
    CHECKLIST_STATUSES,
    IssuedFormRow,
    StaffRow,
    VisitProcedureRow,
    VisitRow,
)
from db.visits import member_names, visit_cases

HANDED = "handed_to_department"
DONE_BY_DEPARTMENT = "done_by_department"
COUNTER_STATUSES = ("todo", "done_here", HANDED, "later", "not_needed")
SETTLED_STATUSES = frozenset({"done_here", DONE_BY_DEPARTMENT, "later", "not_needed"})


@dataclass(frozen=True)
class QueueLine:
    """A procedure waiting in a department's queue, with what the department needs to act."""

    visit_id: str
    procedure_id: str
    reception_number: int
    office_date: date
    events: tuple[str, ...]  # the visit's events, the first one first
    head_name: str
    address: str
    member_names: tuple[str, ...]
    procedure_name: str
    note: str
    handed_by: str | None  # the staff member's display name; None when nobody was signed in
    handed_at: datetime | None
    forms_path: str | None


@dataclass(frozen=True)
class VisitProgress:
    """How far a visit's checklist is: lines per status and whether all are settled.

    A line is *settled* when nobody has to act on it today: done at this counter, done by
    its department, not needed, or put off until later (the resident comes back another
    day; that is a decision, not an open task). Lines still 未処理 or handed to a
    department and not yet done keep the visit open. A visit with no lines is settled.
    """

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def settled(self) -> int:
        return sum(n for status, n in self.counts.items() if status in SETTLED_STATUSES)

    @property
    def handed(self) -> int:
        return self.counts.get(HANDED, 0)

    @property
    def all_done(self) -> bool:
        return self.settled == self.total


def departments_with_handoffs(engine: Engine) -> dict[str, int]:
    """Department name -> number of lines waiting for it, by name."""
    with Session(engine) as session:
        rows = session.exec(
            select(VisitProcedureRow.department, func.count())
            .where(VisitProcedureRow.checklist_status == HANDED)
            .group_by(VisitProcedureRow.department)
            .order_by(VisitProcedureRow.department)
        ).all()
    return {department: count for department, count in rows}


def department_queue(engine: Engine, department: str) -> list[QueueLine]:
    """Lines handed to ``department`` and not yet done, the longest-waiting first."""
    with Session(engine) as session:
        rows = session.exec(
            select(VisitProcedureRow, VisitRow, col(StaffRow.display_name))
            .join(VisitRow, col(VisitRow.id) == col(VisitProcedureRow.visit_id))
            .outerjoin(StaffRow, col(StaffRow.id) == col(VisitProcedureRow.updated_by))
            .where(
                col(VisitProcedureRow.department) == department,
                col(VisitProcedureRow.checklist_status) == HANDED,
            )
            .order_by(
                col(VisitProcedureRow.updated_at),
                col(VisitRow.office_date),
                col(VisitRow.reception_number),
                col(VisitProcedureRow.procedure_id),
            )
        ).all()
        forms = _forms_paths(session, {visit.id for _, visit, _ in rows})
    cases = {}
    lines = []
    for line, visit, staff_name in rows:
        if visit.id not in cases:
            cases[visit.id] = visit_cases(visit)
        stored = cases[visit.id]
        household = stored[0].household if stored else None  # a demo visit keeps none
        names = member_names(stored)
        head = household and (household.head or next(iter(household.members), None))
        lines.append(
            QueueLine(
                visit_id=visit.id,
                procedure_id=line.procedure_id,
                reception_number=visit.reception_number,
                office_date=visit.office_date,
                events=tuple(c.event for c in stored) or (visit.event,),
                head_name=head.name if head else "",
                address=household.address.text if household else "",
                member_names=tuple(names.get(m, m) for m in json.loads(line.members)),
                procedure_name=line.name,
                note=line.note,
                handed_by=staff_name,
                handed_at=line.updated_at,
                forms_path=forms.get(visit.id),
            )
        )
    return lines


def set_counter_status(
    engine: Engine,
    visit_id: str,
    procedure_id: str,
    status: str,
    *,
    staff_id: str | None,
    note: str,
    terminal: str = "",
) -> None:
    """The counter marks a line (done here, handed, later, not needed, or back to 未処理)
    and its note; the audit log records the change in the same transaction.

    A line its department has already marked done stays done: the counter cannot undo the
    department's work by pressing a key on a list that was not refreshed yet.
    """
    if status not in COUNTER_STATUSES:
        raise ValueError(f"窓口では状態「{CHECKLIST_STATUSES.get(status, status)}」にできません")
    note = checked_note(note)
    changed = _update_line(
        engine,
        visit_id,
        procedure_id,
        col(VisitProcedureRow.checklist_status) != DONE_BY_DEPARTMENT,
        status=status,
        note=note,
        staff_id=staff_id,
        terminal=terminal,
    )
    if not changed:
        name, current = _line_state(engine, visit_id, procedure_id)
        raise ValueError(f"「{name}」は{CHECKLIST_STATUSES[current]}のため変更できません")


def mark_done_by_department(
    engine: Engine,
    visit_id: str,
    procedure_id: str,
    staff_id: str | None,
    note: str = "",
    terminal: str = "",
) -> None:
    """The department finished a handed line. Refuses a line not handed (any more).

    The department's note is added after the counter's, so the hand-off note is kept.
    """
    note = checked_note(note.strip())
    combined: str | SQLColumnExpression[str] = (
        case(
            (col(VisitProcedureRow.note) == "", literal(note)),
            else_=col(VisitProcedureRow.note) + f"／担当課：{note}",
        )
        if note
        else col(VisitProcedureRow.note)
    )
    changed = _update_line(
        engine,
        visit_id,
        procedure_id,
        col(VisitProcedureRow.checklist_status) == HANDED,
        status=DONE_BY_DEPARTMENT,
        note=combined,
        staff_id=staff_id,
        terminal=terminal,
    )
    if not changed:
        name, current = _line_state(engine, visit_id, procedure_id)
        raise ValueError(
            f"「{name}」は担当課へ引き継がれていません（現在は{CHECKLIST_STATUSES[current]}）"
        )


def checked_note(note: str) -> str:
    """A note as it may be stored; ValueError (a Japanese line naming メモ) for control
    characters, a note longer than TEXT_LIMITS allow, or an individual number: a note is
    free text anyone with the checklist reads, and the number lives only in the vault."""
    try:
        check_field_text(note, "note")
    except TextFormatError as exc:
        raise ValueError(f"メモ: {exc}") from None
    if redact(note) != note:
        raise ValueError("メモ: 個人番号（12桁の番号）は書けません。番号を消してください")
    return note


def visit_progress(engine: Engine, visit_id: str) -> VisitProgress:
    with Session(engine) as session:
        if session.get(VisitRow, visit_id) is None:
            raise LookupError(f"受付 {visit_id} が見つかりません")
        statuses = session.exec(
            select(col(VisitProcedureRow.checklist_status)).where(
                col(VisitProcedureRow.visit_id) == visit_id
            )
        ).all()
    return progress_of(statuses)


def progress_of(statuses: Iterable[str]) -> VisitProgress:
    return VisitProgress(dict(Counter(statuses)))


def _update_line(
    engine: Engine,
    visit_id: str,
    procedure_id: str,
    allowed: ColumnElement[bool],
    *,
    status: str,
    note: str | SQLColumnExpression[str],
    staff_id: str | None,
    terminal: str,
) -> bool:
    """Change the line only where ``allowed`` still holds, recording the change in the
    audit log in the same transaction; True when it did."""
    with Session(engine) as session:
        result = cast(  # an UPDATE's result, which has its row count
            CursorResult,
            session.execute(
                update(VisitProcedureRow)
                .where(
                    col(VisitProcedureRow.visit_id) == visit_id,
                    col(VisitProcedureRow.procedure_id) == procedure_id,
                    allowed,
                )
                .values(
                    checklist_status=status,
                    note=note,
                    updated_by=staff_id,
                    updated_at=datetime.now(UTC),
                )
            ),
        )
        if result.rowcount == 1:
            audit.append(
                session,
                action="edit",
                staff_id=staff_id,
                terminal=terminal,
                visit_id=visit_id,
                detail=f"手続き {procedure_id}: {CHECKLIST_STATUSES[status]}",
            )
        session.commit()
        return result.rowcount == 1


def _line_state(engine: Engine, visit_id: str, procedure_id: str) -> tuple[str, str]:
    with Session(engine) as session:
        row = session.get(VisitProcedureRow, (visit_id, procedure_id))
    if row is None:
        raise LookupError(f"受付 {visit_id} に手続き {procedure_id} はありません")
    return row.name, row.checklist_status


def _forms_paths(session: Session, visit_ids: set[str]) -> dict[str, str]:
    """The PDF holding each visit's forms (one file per visit)."""
    if not visit_ids:
        return {}
    rows = session.exec(
        select(col(IssuedFormRow.visit_id), col(IssuedFormRow.file_path)).where(
            col(IssuedFormRow.visit_id).in_(visit_ids), col(IssuedFormRow.file_path).is_not(None)
        )
    ).all()
    return {visit_id: path for visit_id, path in rows if path is not None}
