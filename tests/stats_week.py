"""A hand-made week of visits whose every figure was worked out by hand (in the comments):
the database tests check each figure of it, the supervisor screen's tests what is shown."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from db import audit
from db.models import IssuedFormRow, PaymentCodeRow, VisitProcedureRow, VisitRow

START, END = date(2026, 11, 2), date(2026, 11, 8)  # 月曜日から日曜日
JST = timedelta(hours=9)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Japan-time moment of ``day`` as the aware UTC time the database keeps."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - JST


class Week:
    """Rows added straight to the tables, as confirmed visits leave them."""

    def __init__(self, session: Session) -> None:
        self.session, self.number = session, 0

    def visit(self, day, event, minutes, *, hour, status="confirmed", channel="counter",
              municipality="312029") -> str:  # fmt: skip
        self.number += 1
        opened = at(day, hour, self.number % 50)
        visit_id = str(uuid.uuid4())
        self.session.add(
            VisitRow(
                id=visit_id, device_id="t1", reception_number=self.number, office_date=day,
                municipality=municipality, household_id=f"H{self.number}", event=event,
                event_date=day, case_json="{}", plan_json="{}", status=status,
                created_at=opened, confirmed_at=opened + timedelta(minutes=minutes),
                channel=channel,
            )
        )  # fmt: skip
        self.session.flush()
        return visit_id

    def line(self, visit_id, name, department="市民課", handed=None, done=None) -> None:
        self.session.add(
            VisitProcedureRow(
                visit_id=visit_id, procedure_id=f"p-{name}-{uuid.uuid4().hex[:6]}", name=name,
                department=department, members="[]", plan_status="required",
                handed_at=handed, done_at=done,
                checklist_status="done_by_department" if done else "todo",
            )
        )  # fmt: skip

    def form(self, visit_id, prefilled, typed, blank, resident) -> None:
        self.session.add(
            IssuedFormRow(
                id=str(uuid.uuid4()), visit_id=visit_id, form_name="様式",
                prefilled_fields=prefilled, typed_fields=typed, blank_fields=blank,
                resident_fields=resident, created_at=datetime.now(UTC),
            )
        )  # fmt: skip

    def code(self, visit_id, amount, paid) -> None:
        self.number += 1
        self.session.add(
            PaymentCodeRow(
                id=str(uuid.uuid4()), visit_id=visit_id, collector="99999",
                payment_number=str(self.number), confirmation_number="000000", category="999",
                amount=amount, due_date=END, payable_until=END, payload="x",
                revenue_item="certificates", status="paid" if paid else "issued",
                paid_on=END if paid else None, paid_amount=amount if paid else None,
            )
        )  # fmt: skip


def fill_week(engine) -> None:
    """The week's visits, written straight to the tables, and three that are not counted."""
    with Session(engine) as session:
        w = Week(session)
        # 月 11/2, 9時台: 6 certificate visits of 2, 3, 4, 5, 6 and 20 minutes; each a 住民票
        # (and two an 印鑑登録証明書 too), one 300-yen code each, five of them paid.
        for n, minutes in enumerate([2, 3, 4, 5, 6, 20]):
            v = w.visit(date(2026, 11, 2), "certificate", minutes, hour=9)
            w.line(v, "住民票の写しの交付")
            if n < 2:
                w.line(v, "印鑑登録証明書の交付")
            w.code(v, 300, paid=n < 5)
        # 水 11/4, 13時台: 5 move-ins of 10, 12, 14, 30, 40 minutes, 3 lines each; 国保 handed
        # to 保険年金課 and done after 1, 2, 3, 4 and 26 hours; 児童手当 handed to
        # 子育て支援課 in two; one form of 20 prefilled, 2 typed, 1 blank field; its print.
        for n, (minutes, hours) in enumerate(
            zip([10, 12, 14, 30, 40], [1, 2, 3, 4, 26], strict=True)
        ):
            v = w.visit(date(2026, 11, 4), "move_in", minutes, hour=13)
            handed = at(date(2026, 11, 4), 14)
            w.line(v, "転入届")
            w.line(v, "国民健康保険", "保険年金課", handed, handed + timedelta(hours=hours))
            w.line(v, "児童手当", "子育て支援課", handed if n < 2 else None)
            w.form(v, 20, 2, 1, 0)
            audit.append(session, action="print", staff_id=None, terminal="t1", visit_id=v,
                         detail="届出書の印刷 x-forms.pdf")  # fmt: skip
            audit.append(session, action="print", staff_id=None, terminal="t1", visit_id=v,
                         detail="案内票の印刷 x.pdf")  # fmt: skip
        # 土 11/7 (closed: the holiday counter), 10時台: a birth of 25 minutes, 2 lines, one
        # form of 10 prefilled fields and 1 the resident wrote.
        v = w.visit(date(2026, 11, 7), "birth", 25, hour=10, channel="holiday")
        w.line(v, "出生届")
        w.line(v, "児童手当")
        w.form(v, 10, 0, 0, 1)
        # Not of the period or not counted: the day after, a parked visit, another city.
        w.visit(date(2026, 11, 9), "certificate", 3, hour=9)
        w.visit(date(2026, 11, 3), "certificate", 3, hour=9, status="parked")
        w.visit(date(2026, 11, 3), "certificate", 3, hour=9, municipality="282057")
        session.commit()
