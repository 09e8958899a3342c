"""Storing a confirmed visit: the case, its plan, its checklist and its payment code.

Everything of one visit is written in one transaction, numbers included, so a visit is
either stored whole or not at all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from counter.billing import IssuedCode, bills_for_plan, confirmation_key
from counter.demo_visits import DEVICE as DEMO_DEVICE
from counter.household import EventCase
from counter.interchange import event_case_to_dict, parse_event_case
from counter.payment import parse_elqr
from counter.plan import REFUSED, Plan, PlannedProcedure
from counter.profile import MunicipalityProfile
from counter.wareki import format_wareki
from db import audit
from db.drafts import CONFIRMED, new_visit_row, open_visit_row
from db.models import (
    CHECKLIST_STATUSES,
    COUNTER,
    HOLIDAY,
    IssuedFormRow,
    PaymentCodeRow,
    VisitProcedureRow,
    VisitRow,
)
from db.payments import add_code


@dataclass(frozen=True)
class StoredVisit:
    id: str
    reception_number: int
    office_date: date
    payments: tuple[IssuedCode, ...]


class PaymentKeyMissing(RuntimeError):
    """A real (not demo) profile issues codes only with the city's confirmation key."""


def record_visit(
    engine: Engine,
    case: EventCase,
    plan: Plan,
    profile: MunicipalityProfile,
    *,
    device_id: str,
    payment_key: bytes | None = None,
    visit_id: str | None = None,
    more_cases: Sequence[EventCase] = (),
) -> StoredVisit:
    """Store the visit whole: its checklist and one payment code per revenue item.

    ``case`` is the visit's first event and ``more_cases`` its further ones, which ``plan``
    covers (``counter.rules.plan_visit``). A procedure the plan lists for two events (国保
    for the parents who moved in and for the newborn) is one line of the checklist.

    ``visit_id`` names a visit started earlier (``db.drafts.start_visit``): it keeps its
    受付番号 and becomes confirmed; without it a new visit is numbered here.
    ``payment_key`` derives the confirmation numbers; it lives outside the database. A demo
    profile uses the published demo key; a real one refuses to issue codes without a key.
    """
    bills = bills_for_plan(plan, profile)
    key = confirmation_key(profile, payment_key)
    if bills and key is None:
        raise PaymentKeyMissing(
            "お支払い用コードの確認番号の鍵がありません"
            "（鍵ファイルを COUNTER_PAYMENT_KEY_FILE で指定してください）"
        )
    with Session(engine) as session:
        if visit_id is None:
            row = new_visit_row(session, profile.code, plan.filed_on, device_id)
        else:
            row = open_visit_row(session, visit_id)
        visit_id, reception, office_date = row.id, row.reception_number, row.office_date
        row.device_id = device_id
        row.household_id = case.household.household_id
        row.event = case.event
        row.event_date = case.event_date
        row.case_json = json.dumps(event_case_to_dict(case), ensure_ascii=False)
        row.more_cases_json = (
            json.dumps([event_case_to_dict(c) for c in more_cases], ensure_ascii=False)
            if more_cases
            else None
        )
        row.plan_json = json.dumps(plan.to_json(), ensure_ascii=False)
        row.total_fee = plan.total_fee
        row.status = CONFIRMED
        row.draft_json = None
        row.updated_at = row.confirmed_at = datetime.now(UTC)
        # A visit on a day the office is closed was served at a holiday counter (休日窓口);
        # an outreach laptop's visits are marked when the office takes them in.
        row.channel = COUNTER if profile.calendar.is_open(row.office_date) else HOLIDAY
        session.add(row)
        session.flush()
        for lines in checklist_lines(plan):
            first = lines[0]
            dated = [p.deadline for p in lines if p.deadline is not None]
            session.add(
                VisitProcedureRow(
                    visit_id=visit_id,
                    procedure_id=first.id,
                    name=first.name,
                    department=first.department,
                    members=json.dumps(list(dict.fromkeys(m for p in lines for m in p.members))),
                    plan_status=(
                        "required" if any(p.status == "required" for p in lines) else first.status
                    ),
                    deadline=min(dated) if dated else None,
                    fee=sum(p.fee for p in lines),
                    # A certificate not issued here leaves nothing to do at any counter.
                    checklist_status=(
                        "not_needed" if all(p.status == REFUSED for p in lines) else "todo"
                    ),
                )
            )
        demo = profile.payment_demo
        payments = (  # no key only when there is nothing to pay (refused above)
            [add_code(session, bill, key=key, demo=demo, visit_id=visit_id) for bill in bills]
            if key is not None
            else []
        )
        audit.append(
            session,
            action="edit",
            staff_id=row.staff_id,
            terminal=device_id,
            visit_id=visit_id,
            detail=f"受付の確定（受付番号 {reception}、手続き {len(plan.procedures)}件）",
        )
        session.commit()
    return StoredVisit(
        id=visit_id,
        reception_number=reception,
        office_date=office_date,
        payments=tuple(payments),
    )


def checklist_lines(plan: Plan) -> list[list[PlannedProcedure]]:
    """The plan's lines by procedure, in plan order: one checklist line per procedure."""
    lines: dict[str, list[PlannedProcedure]] = {}
    for p in plan.procedures:
        lines.setdefault(p.id, []).append(p)
    return list(lines.values())


def set_slip_path(engine: Engine, visit_id: str, path: str) -> None:
    with Session(engine) as session:
        visit = session.get(VisitRow, visit_id)
        if visit is None:
            raise LookupError(visit_id)
        visit.slip_path = path
        session.add(visit)
        session.commit()


@dataclass(frozen=True)
class IssuedForm:
    """A form printed for a visit: how many fields came from data, how many staff typed."""

    name: str
    prefilled_fields: int
    typed_fields: int
    file_path: str | None = None
    blank_fields: int = 0  # left for the counter to write by hand
    resident_fields: int = 0  # left for the resident to write (the no-writing counter: none)


def record_issued_forms(engine: Engine, visit_id: str, forms: list[IssuedForm]) -> None:
    """Store the visit's printed forms in one transaction (all or none)."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        for form in forms:
            session.add(
                IssuedFormRow(
                    id=str(uuid.uuid4()),
                    visit_id=visit_id,
                    form_name=form.name,
                    file_path=form.file_path,
                    prefilled_fields=form.prefilled_fields,
                    typed_fields=form.typed_fields,
                    blank_fields=form.blank_fields,
                    resident_fields=form.resident_fields,
                    created_at=now,
                )
            )
        session.commit()


def issued_forms(engine: Engine, visit_id: str) -> list[IssuedForm]:
    with Session(engine) as session:
        rows = session.exec(
            select(IssuedFormRow)
            .where(IssuedFormRow.visit_id == visit_id)
            .order_by(col(IssuedFormRow.created_at), col(IssuedFormRow.form_name))
        ).all()
    return [
        IssuedForm(
            row.form_name,
            row.prefilled_fields,
            row.typed_fields,
            row.file_path,
            row.blank_fields,
            row.resident_fields,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class VisitSummary:
    id: str
    reception_number: int
    event: str
    household_id: str | None
    procedure_ids: tuple[str, ...]
    total_fee: int
    payment_payloads: tuple[str, ...]
    slip_path: str | None


def get_visit(engine: Engine, visit_id: str) -> VisitSummary:
    with Session(engine) as session:
        visit = session.get(VisitRow, visit_id)
        if visit is None:
            raise LookupError(f"受付 {visit_id} が見つかりません")
        procedures = session.exec(
            select(VisitProcedureRow.procedure_id).where(VisitProcedureRow.visit_id == visit_id)
        ).all()
        codes = _payment_codes(session, visit_id)
        return VisitSummary(
            id=visit.id,
            reception_number=visit.reception_number,
            event=visit.event,
            household_id=visit.household_id,
            procedure_ids=tuple(sorted(procedures)),
            total_fee=visit.total_fee,
            payment_payloads=tuple(code.payload for code in codes),
            slip_path=visit.slip_path,
        )


@dataclass(frozen=True)
class ChecklistLine:
    procedure_id: str
    name: str
    department: str
    status: str
    note: str
    updated_by: str | None
    updated_at: datetime | None


def set_checklist_status(
    engine: Engine,
    visit_id: str,
    procedure_id: str,
    status: str,
    *,
    staff_id: str | None = None,
    note: str = "",
) -> None:
    """Mark one line of a visit's checklist (done here, handed to a department, ...)."""
    if status not in CHECKLIST_STATUSES:
        raise ValueError(f"状態「{status}」は使えません（{' / '.join(CHECKLIST_STATUSES)}）")
    with Session(engine) as session:
        row = session.get(VisitProcedureRow, (visit_id, procedure_id))
        if row is None:
            raise LookupError(f"受付 {visit_id} に手続き {procedure_id} はありません")
        row.checklist_status = status
        row.note = note
        row.updated_by = staff_id
        row.updated_at = datetime.now(UTC)
        # The first hand-off and the department's done, for how long lines wait (db.stats).
        if status == "handed_to_department" and row.handed_at is None:
            row.handed_at = row.updated_at
        if status == "done_by_department":
            row.done_at = row.updated_at
        session.add(row)
        session.commit()


def checklist(engine: Engine, visit_id: str) -> list[ChecklistLine]:
    """The visit's lines in the order of its plan, as staff saw them on the plan screen."""
    with Session(engine) as session:
        rows = session.exec(
            select(VisitProcedureRow).where(VisitProcedureRow.visit_id == visit_id)
        ).all()
        visit = session.get(VisitRow, visit_id)
        stored = json.loads(visit.plan_json) if visit else {}
        order = {p["id"]: i for i, p in enumerate(stored.get("procedures", []))}
        rows = sorted(rows, key=lambda r: (order.get(r.procedure_id, len(order)), r.procedure_id))
        return [
            ChecklistLine(
                procedure_id=r.procedure_id,
                name=r.name,
                department=r.department,
                status=r.checklist_status,
                note=r.note,
                updated_by=r.updated_by,
                updated_at=r.updated_at,
            )
            for r in rows
        ]


@dataclass(frozen=True)
class VisitForSlip:
    """A stored visit as the slip needs it: the case, the plan and the payment codes."""

    id: str
    reception_number: int
    office_date: date
    municipality: str
    case: EventCase
    plan: Plan
    payments: tuple[IssuedCode, ...]
    more_cases: tuple[EventCase, ...] = ()


def find_visit_id(engine: Engine, office_date: date, reception_number: int) -> str:
    """The visit with this reception number on this office day (numbers restart daily)."""
    with Session(engine) as session:
        ids = session.exec(
            select(VisitRow.id).where(
                VisitRow.office_date == office_date,
                VisitRow.reception_number == reception_number,
                VisitRow.status == CONFIRMED,
            )
        ).all()
    if len(ids) != 1:
        when = format_wareki(office_date)
        raise LookupError(f"受付が見つかりません：{when} 受付番号 {reception_number}")
    return ids[0]


def load_visit_for_slip(engine: Engine, visit_id: str) -> VisitForSlip:
    """Read back what was stored at confirmation, so a reprint says what the first slip said.

    The plan comes from the stored plan JSON, not from planning again: a catalogue or fee
    changed since then must not change a slip already handed to a resident.
    """
    with Session(engine) as session:
        visit = session.get(VisitRow, visit_id)
        if visit is None:
            raise LookupError(f"受付が見つかりません：{visit_id}")
        if visit.status != CONFIRMED:
            raise LookupError(f"まだ確定していない受付です（受付番号 {visit.reception_number}）")
        if visit.purged_at is not None:
            raise LookupError(
                f"保存期間を過ぎて個人情報を削除した受付です（受付番号 {visit.reception_number}）"
            )
        if visit.device_id == DEMO_DEVICE:
            raise LookupError(
                f"見本の受付（demo-data）で案内票はありません（受付番号 {visit.reception_number}）"
            )
        codes = _payment_codes(session, visit_id)
        case, *more = visit_cases(visit)
        return VisitForSlip(
            id=visit.id,
            reception_number=visit.reception_number,
            office_date=visit.office_date,
            municipality=visit.municipality,
            case=case,
            plan=Plan.from_json(json.loads(visit.plan_json), member_names([case, *more])),
            payments=codes,
            more_cases=tuple(more),
        )


def visit_cases(visit: VisitRow) -> list[EventCase]:
    """The stored visit's events, the first one first; none for a demo visit, which keeps
    no case (db.demo_visits)."""
    if visit.device_id == DEMO_DEVICE:
        return []
    more = json.loads(visit.more_cases_json) if visit.more_cases_json else []
    return [parse_event_case(json.loads(visit.case_json)), *map(parse_event_case, more)]


def member_names(cases: Sequence[EventCase]) -> dict[str, str]:
    """Each member id's name across a visit's events (a newborn is in the later ones)."""
    return {m.id: m.name for case in cases for m in case.household.members}


def _payment_codes(session: Session, visit_id: str) -> tuple[IssuedCode, ...]:
    """The visit's codes in the order they were issued (numbers grow within a visit)."""
    rows = session.exec(
        select(PaymentCodeRow.revenue_item, PaymentCodeRow.payload)
        .where(PaymentCodeRow.visit_id == visit_id)
        .order_by(func.length(PaymentCodeRow.payment_number), PaymentCodeRow.payment_number)
    ).all()
    return tuple(IssuedCode(item, parse_elqr(payload), payload) for item, payload in rows)
