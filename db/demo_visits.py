"""Storing demo visits (``counter demo-data --visits``) in bulk, as confirmed visits leave
the tables: the visit, its checklist lines, its forms' field counts and its payment
codes (demo codes, confirmation numbers from the published demo key).

One transaction, never beside real residents (the same check as demo households, in
it). Each visit takes its 受付番号 from its office day's counter and each code its
納付番号 from the collector's, as a block, so a number is never given twice. The
visits keep no case, no plan and no person (``case_json`` and ``plan_json`` are empty,
as after the retention purge): only what the figures count, the device id saying where
they came from (counter.demo_visits.DEVICE), and the demo household each is of. One
audit row says how many were made. Importing the real register removes them with the
demo households (``remove_demo_visits``): no fictional visit is counted beside real ones.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Table, delete, insert
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from counter.billing import DEMO_KEY
from counter.demo_visits import DEVICE, DemoForm, LineFacts, PaymentFacts, VisitFacts
from counter.progress import Progress, quiet
from db import audit
from db.models import (
    HouseholdRow,
    IssuedFormRow,
    PaymentCodeRow,
    VisitProcedureRow,
    VisitRow,
)
from db.register import refuse_beside_real_residents
from db.sequences import reserve

BATCH = 5_000
_VISIT: Table = VisitRow.__table__  # type: ignore[attr-defined]
_LINE: Table = VisitProcedureRow.__table__  # type: ignore[attr-defined]
_FORM: Table = IssuedFormRow.__table__  # type: ignore[attr-defined]
_CODE: Table = PaymentCodeRow.__table__  # type: ignore[attr-defined]


def save_demo_visits(
    engine: Engine,
    municipality: str,
    make: Callable[[Sequence[str]], Sequence[VisitFacts]],
    *,
    progress: Progress | None = None,
    audit_as: tuple[str | None, str] | None = None,
) -> int:
    """Store the visits ``make`` draws for the register's demo households (their ids, or
    none), in one transaction with their audit row when ``audit_as`` (staff id,
    terminal) says who asked; how many. DemoRefused before anything is made when the
    database holds real residents."""
    progress = progress or quiet()
    with Session(engine.execution_options(write_lock=True)) as session:
        refuse_beside_real_residents(session, "見本の受付")
        households = session.exec(
            select(HouseholdRow.id)
            .where(col(HouseholdRow.demo).is_(True))
            .order_by(col(HouseholdRow.id))
        ).all()
        visits = make(households)
        progress.step("見本の受付の登録", len(visits), "件")
        rows = _Rows(session, municipality, visits)
        for start in range(0, len(visits), BATCH):
            rows.insert(visits[start : start + BATCH])
            progress.advance(len(visits[start : start + BATCH]))
        if audit_as is not None:
            audit.append(
                session,
                action="edit",
                staff_id=audit_as[0],
                terminal=audit_as[1],
                detail=f"見本の受付の登録 {len(visits)}件",
            )
        session.commit()
    return len(visits)


def remove_demo_visits(connection: Connection) -> int:
    """Delete every demo visit with its lines, forms and codes, in the caller's
    transaction; how many visits went. Nothing is written when there is none."""
    demo = select(col(VisitRow.id)).where(col(VisitRow.device_id) == DEVICE)
    if connection.execute(demo.limit(1)).first() is None:
        return 0
    for table in (_CODE, _FORM, _LINE):
        connection.execute(delete(table).where(table.c.visit_id.in_(demo)))
    return connection.execute(delete(_VISIT).where(_VISIT.c.device_id == DEVICE)).rowcount


class _Rows:
    """The rows of each visit, numbered from blocks taken out of the counters at once."""

    def __init__(self, session: Session, municipality: str, visits: Sequence[VisitFacts]):
        self.session, self.municipality = session, municipality
        per_day = Counter(v.office_date for v in visits)
        self.next_reception: dict[date, int] = {
            day: reserve(session, f"reception:{municipality}:{day.isoformat()}", n)[0]
            for day, n in sorted(per_day.items())
        }
        codes = [p.bill.collector for v in visits for p in v.payments]
        self.next_payment = {
            collector: reserve(session, f"payment:{collector}", n)[0]
            for collector, n in sorted(Counter(codes).items())
        }

    def insert(self, visits: Sequence[VisitFacts]) -> None:
        made: dict[Table, list[dict[str, Any]]] = {_VISIT: [], _LINE: [], _FORM: [], _CODE: []}
        for visit in visits:
            visit_id = str(uuid.uuid4())
            made[_VISIT].append(self.visit(visit_id, visit))
            made[_LINE] += [self.line(visit_id, f) for f in visit.lines]
            made[_FORM] += [self.form(visit_id, visit, f) for f in visit.forms]
            made[_CODE] += [self.code(visit_id, p) for p in visit.payments]
        for table, rows in made.items():
            if rows:
                self.session.execute(insert(table), rows)

    def visit(self, visit_id: str, v: VisitFacts) -> dict[str, Any]:
        number = self.next_reception[v.office_date]
        self.next_reception[v.office_date] = number + 1
        return {
            "id": visit_id, "device_id": DEVICE, "reception_number": number,
            "office_date": v.office_date, "municipality": self.municipality,
            "household_id": v.household_id, "event": v.event, "event_date": v.event_date,
            "case_json": "{}", "more_cases_json": None, "plan_json": "{}",
            "total_fee": v.total_fee, "status": "confirmed", "slip_path": None,
            "created_at": v.opened, "draft_json": None, "updated_at": v.confirmed,
            "staff_id": None, "purged_at": None, "confirmed_at": v.confirmed,
            "channel": v.channel,
        }  # fmt: skip

    @staticmethod
    def line(visit_id: str, f: LineFacts) -> dict[str, Any]:
        return {
            "visit_id": visit_id, "procedure_id": f.line.procedure_id, "name": f.line.name,
            "department": f.line.department, "members": "[]", "plan_status": "required",
            "checklist_status": f.status, "deadline": None, "fee": f.line.fee, "note": "",
            "updated_by": None, "updated_at": f.updated_at, "handed_at": f.handed_at,
            "done_at": f.done_at,
        }  # fmt: skip

    @staticmethod
    def form(visit_id: str, v: VisitFacts, f: DemoForm) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()), "visit_id": visit_id, "form_name": f.name,
            "procedure_id": None, "file_path": None, "prefilled_fields": f.prefilled,
            "typed_fields": f.typed, "blank_fields": f.blank, "resident_fields": f.resident,
            "created_at": v.confirmed,
        }  # fmt: skip

    def code(self, visit_id: str, p: PaymentFacts) -> dict[str, Any]:
        number = self.next_payment[p.bill.collector]
        self.next_payment[p.bill.collector] = number + 1
        issued = p.bill.issue(str(number), DEMO_KEY)
        fields = issued.fields
        return {
            "id": str(uuid.uuid4()), "visit_id": visit_id, "collector": fields.collector,
            "payment_number": fields.payment_number,
            "confirmation_number": fields.confirmation_number, "category": fields.category,
            "amount": fields.amount, "due_date": fields.due_date,
            "payable_until": fields.payable_until, "payload": issued.payload, "demo": True,
            "status": "paid" if p.paid_on else "issued", "revenue_item": p.bill.item,
            "paid_on": p.paid_on, "paid_amount": fields.amount if p.paid_on else None,
            "paid_channel": p.channel, "reconciled_at": p.reconciled_at,
            "result_file_id": None,
        }  # fmt: skip
