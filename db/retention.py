"""The retention purge: closed visits lose their personal data after the city's period.

The counter keeps a copy of a household only while the visit is being handled (a slip
reprinted, a line handed to a department); the official records are in the city's own
systems. After ``[retention] visit_days`` a closed visit keeps what statistics need (its
events and dates, each procedure's department, status, deadline and fee) and its payment
codes (accounting records: amounts and numbers). Names, kana, member and household ids,
drafts, notes, the vault's individual numbers and the PDFs go. The audit log stays whole:
its hash chain must still verify.

A visit goes when its office day is before today − days and it is closed: confirmed with
every checklist line settled, or cancelled. An open or parked visit of such a day was
abandoned and goes too. A confirmed visit with a line still open is kept back and listed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, delete, exists, func, or_, update
from sqlalchemy import select as select_columns
from sqlalchemy.engine import Engine
from sqlalchemy.sql.expression import BindParameter
from sqlmodel import Session, col, select

from counter.progress import Progress, quiet
from db.checklist import HANDED, SETTLED_STATUSES
from db.drafts import CONFIRMED
from db.models import IssuedFormRow, MyNumberVaultRow, VisitProcedureRow, VisitRow

_CHUNK = 500  # visits per statement: well under every backend's parameter limit
PLAN_KEYS = ("municipality", "event", "event_date", "filed_on", "more_events", "total_fee")
PROCEDURE_KEYS = ("id", "department", "department_key", "status", "deadline", "fee", "case")
KEPT_HANDED = "担当課へ引き継ぎ中の手続きがあります"
KEPT_UNSETTLED = "未処理の手続きがあります"


@dataclass(frozen=True)
class PurgedVisit:
    id: str
    office_date: date
    reception_number: int
    status: str


@dataclass(frozen=True)
class KeptVisit:
    """A visit old enough to go that keeps its data, and why (the departments it waits on)."""

    id: str
    office_date: date
    reception_number: int
    reason: str
    departments: tuple[str, ...] = ()


@dataclass(frozen=True)
class PurgePlan:
    """What a purge on ``today`` with ``days`` removes and what it keeps back."""

    today: date
    days: int
    visits: tuple[PurgedVisit, ...]
    files: tuple[str, ...]  # the slip and forms PDFs the visits' rows name
    vault_rows: int
    kept: tuple[KeptVisit, ...]

    @property
    def cutoff(self) -> date:
        """Visits of an office day before this one go."""
        return self.today - timedelta(days=self.days)

    def visits_by_day(self) -> dict[date, int]:
        return dict(sorted(Counter(v.office_date for v in self.visits).items()))

    def kept_by_reason(self) -> dict[str, int]:
        return dict(Counter(k.reason for k in self.kept))


@dataclass(frozen=True)
class FileProblem:
    path: str
    reason: str


@dataclass(frozen=True)
class PurgeResult:
    plan: PurgePlan
    files_deleted: int
    files_missing: int  # named by a row but already gone
    file_problems: tuple[FileProblem, ...]


def purge_plan(
    engine: Engine, *, today: date, days: int, municipality: str | None = None
) -> PurgePlan:
    """What ``purge`` would do now; reads only."""
    with Session(engine) as session:
        return _plan(session, today, days, municipality, lock=False)


def purge(
    engine: Engine,
    *,
    today: date,
    days: int,
    terminal: str,
    staff_id: str | None = None,
    municipality: str | None = None,
    progress: Progress | None = None,
) -> PurgeResult:
    """Purge in one transaction with its audit row, then delete the files it named.

    The plan is made again inside the transaction (its visits locked), so what goes is
    what the database holds at that moment. A run with nothing to purge writes nothing.
    """
    from db.audit import append

    progress = progress or quiet()
    with Session(engine) as session:
        plan = _plan(session, today, days, municipality, lock=True)
        if not plan.visits:
            return PurgeResult(plan, 0, 0, ())
        progress.step("個人情報の削除", len(plan.visits))
        now = datetime.now(UTC)
        ids = [v.id for v in plan.visits]
        for start in range(0, len(ids), _CHUNK):
            _purge_visits(session, ids[start : start + _CHUNK], now)
            progress.advance(len(ids[start : start + _CHUNK]))
        append(
            session,
            action="purge",
            staff_id=staff_id,
            terminal=terminal,
            detail=(
                f"受付 {len(plan.visits)}件・ファイル {len(plan.files)}件・"
                f"個人番号 {plan.vault_rows}件・対象外 {len(plan.kept)}件"
                f"（保存期間 {days}日）"
            ),
        )
        session.commit()
    deleted, missing, problems = _delete_files(plan.files, progress)
    return PurgeResult(plan, deleted, missing, problems)


def statistics_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """A stored plan reduced to what statistics need: no names, member ids or reasons."""
    kept = {key: plan[key] for key in PLAN_KEYS if key in plan}
    if "procedures" in plan:
        kept["procedures"] = [
            {key: p[key] for key in PROCEDURE_KEYS if key in p} for p in plan["procedures"]
        ]
    return kept


def _plan(
    session: Session, today: date, days: int, municipality: str | None, *, lock: bool
) -> PurgePlan:
    if days < 1:
        raise ValueError(f"保存日数は1日以上です（{days}）")
    old = _old_enough(today - timedelta(days=days), municipality)
    statement = (
        select_columns(  # SQLModel's select types at most four columns
            col(VisitRow.id),
            col(VisitRow.office_date),
            col(VisitRow.reception_number),
            col(VisitRow.status),
            col(VisitRow.slip_path),
        )
        .where(old, _closed())
        .order_by(col(VisitRow.office_date), col(VisitRow.reception_number))
    )
    rows = session.execute(statement.with_for_update() if lock else statement).all()
    going = select(col(VisitRow.id)).where(old, _closed())
    forms = session.exec(
        select(col(IssuedFormRow.file_path)).where(col(IssuedFormRow.visit_id).in_(going))
    ).all()
    vault_rows = session.exec(
        select(func.count(col(MyNumberVaultRow.id))).where(
            col(MyNumberVaultRow.visit_id).in_(going)
        )
    ).one()
    return PurgePlan(
        today=today,
        days=days,
        visits=tuple(PurgedVisit(*row[:4]) for row in rows),
        files=tuple(sorted({path for path in (*(row[4] for row in rows), *forms) if path})),
        vault_rows=vault_rows,
        kept=_kept(session, old),
    )


def _old_enough(cutoff: date, municipality: str | None) -> ColumnElement[bool]:
    """Visits of an office day before ``cutoff`` that still hold their personal data."""
    condition = and_(col(VisitRow.office_date) < cutoff, col(VisitRow.purged_at).is_(None))
    if municipality is not None:
        condition = and_(condition, col(VisitRow.municipality) == municipality)
    return condition


def _closed() -> ColumnElement[bool]:
    """Not confirmed (cancelled, or open/parked and abandoned), or every line settled."""
    unsettled = exists().where(
        col(VisitProcedureRow.visit_id) == col(VisitRow.id),
        col(VisitProcedureRow.checklist_status).not_in(SETTLED_STATUSES),
    )
    return or_(col(VisitRow.status) != CONFIRMED, ~unsettled)


def _kept(session: Session, old: ColumnElement[bool]) -> tuple[KeptVisit, ...]:
    rows = session.execute(
        select_columns(
            col(VisitRow.id),
            col(VisitRow.office_date),
            col(VisitRow.reception_number),
            col(VisitProcedureRow.checklist_status),
            col(VisitProcedureRow.department),
        )
        .join(VisitProcedureRow, col(VisitProcedureRow.visit_id) == col(VisitRow.id))
        .where(
            old,
            col(VisitRow.status) == CONFIRMED,
            col(VisitProcedureRow.checklist_status).not_in(SETTLED_STATUSES),
        )
        .order_by(
            col(VisitRow.office_date),
            col(VisitRow.reception_number),
            col(VisitProcedureRow.department),
        )
    ).all()
    visits: dict[str, tuple[date, int]] = {}
    waiting: dict[str, list[str]] = {}
    for visit_id, office_date, reception_number, status, department in rows:
        visits[visit_id] = (office_date, reception_number)
        departments = waiting.setdefault(visit_id, [])
        if status == HANDED and department not in departments:
            departments.append(department)
    return tuple(
        KeptVisit(
            visit_id,
            office_date,
            reception_number,
            KEPT_HANDED if waiting[visit_id] else KEPT_UNSETTLED,
            tuple(waiting[visit_id]),
        )
        for visit_id, (office_date, reception_number) in visits.items()
    )


def _purge_visits(session: Session, ids: list[str], now: datetime) -> None:
    """Remove the personal data of these visits, in the caller's transaction."""
    # Literal ids, as in db.importer: PostgreSQL plans a long bound IN list badly.
    chunk: BindParameter[list[str]] = bindparam("ids", expanding=True, literal_execute=True)
    plans = session.exec(
        select(col(VisitRow.id), col(VisitRow.plan_json)).where(col(VisitRow.id).in_(chunk)),
        params={"ids": ids},
    )
    session.execute(  # an ORM bulk UPDATE by primary key: one executemany
        update(VisitRow),
        [
            {
                "id": visit_id,
                "case_json": "{}",
                "more_cases_json": None,
                "draft_json": None,
                "household_id": None,
                "plan_json": json.dumps(
                    statistics_plan(json.loads(plan_json or "{}")), ensure_ascii=False
                ),
                "slip_path": None,
                "purged_at": now,
            }
            for visit_id, plan_json in plans.all()
        ],
    )
    session.execute(
        update(VisitProcedureRow)
        .where(col(VisitProcedureRow.visit_id).in_(chunk))
        .values(members="[]", note=""),
        {"ids": ids},
    )
    session.execute(
        update(IssuedFormRow).where(col(IssuedFormRow.visit_id).in_(chunk)).values(file_path=None),
        {"ids": ids},
    )
    session.execute(
        delete(MyNumberVaultRow).where(col(MyNumberVaultRow.visit_id).in_(chunk)), {"ids": ids}
    )


def _delete_files(
    paths: Sequence[str], progress: Progress
) -> tuple[int, int, tuple[FileProblem, ...]]:
    """Delete each PDF; one that cannot be deleted is reported, the others still go.
    Only PDFs: a path read from the database is never trusted to name anything else."""
    if paths:
        progress.step("ファイルの削除", len(paths))
    deleted = missing = 0
    problems = []
    for path in paths:
        if Path(path).suffix.lower() != ".pdf":
            problems.append(FileProblem(path, "PDF ではないため削除しません"))
        else:
            try:
                Path(path).unlink()
                deleted += 1
            except FileNotFoundError:
                missing += 1
            except OSError as exc:
                problems.append(FileProblem(path, _not_deleted(exc)))
        progress.advance()
    return deleted, missing, tuple(problems)


def _not_deleted(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "削除する権限がありません"
    if isinstance(exc, IsADirectoryError):
        return "フォルダのため削除しません"
    return f"削除できません（{type(exc).__name__}）"
