"""The figures of a period, from a small hand-made week of visits whose every figure was
worked out by hand (in the comments), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from counter.stats import SUPPRESSED, Spread, as_json
from db import audit
from db.models import (
    IssuedFormRow,
    PaymentCodeRow,
    VisitProcedureRow,
    VisitRow,
)
from db.stats import figures

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


@pytest.fixture
def week(engine):
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
    return figures(engine, "312029", START, END)


def test_visits_by_day_event_channel_and_hour(week):
    assert week.visits == 12
    assert week.by_day == ((date(2026, 11, 2), 6), (date(2026, 11, 4), 5), (date(2026, 11, 7), 1))
    assert dict(week.by_event) == {"証明書の請求": 6, "転入": 5, "出生": 1}
    assert dict(week.certificates) == {"住民票の写しの交付": 6, "印鑑登録証明書の交付": 2}
    assert dict(week.channels) == {"窓口": 11, "休日窓口": 1}
    assert week.hours == ((0, 9, 6), (2, 13, 5), (5, 10, 1))


def test_minutes_per_visit_median_and_p90_by_nearest_rank(week):
    # all 12: 2 3 4 5 6 10 12 14 20 25 30 40 → median the 6th (10), p90 the 11th (30)
    assert week.minutes == Spread(12, pytest.approx(10.0), pytest.approx(30.0))
    by_event = dict(week.minutes_by_event)
    # certificates 2 3 4 5 6 20: the 3rd (4) and the 6th (20); move-ins: the 3rd and the 5th
    assert by_event["証明書の請求"] == Spread(6, pytest.approx(4.0), pytest.approx(20.0))
    assert by_event["転入"] == Spread(5, pytest.approx(14.0), pytest.approx(40.0))
    assert by_event["出生"].count == 1


def test_procedures_fields_forms_handoffs_and_codes(week):
    assert week.procedures == 8 + 15 + 2 and week.procedures_per_visit == 2.08
    fields = week.fields
    assert (fields.prefilled, fields.typed, fields.blank, fields.resident) == (110, 10, 5, 1)
    assert fields.no_writing_rate == 95.2  # (110 + 10) / 126
    assert (week.forms_issued, week.forms_printed) == (6, 5)
    handoffs = {h.department: h for h in week.handoffs}
    assert set(handoffs) == {"保険年金課", "子育て支援課"}
    kokuho = handoffs["保険年金課"]
    assert (kokuho.handed, kokuho.done, kokuho.waiting) == (5, 5, 0)
    # hours 1 2 3 4 26: the 3rd (3) and the 5th (26)
    assert kokuho.hours == Spread(5, pytest.approx(3.0), pytest.approx(26.0))
    assert (handoffs["子育て支援課"].handed, handoffs["子育て支援課"].done) == (2, 0)
    (item,) = week.revenue
    assert (item.issued, item.issued_amount, item.paid, item.paid_amount) == (6, 1800, 5, 1500)
    assert item.label == "戸籍・住民票などの証明手数料"


def test_the_export_suppresses_every_cell_under_five(week):
    data = as_json(week)
    assert data["visits_by_day"][2] == {"date": "2026-11-07", "visits": SUPPRESSED}
    assert {"event": "出生", "visits": SUPPRESSED} in data["visits_by_event"]
    birth = next(r for r in data["minutes_per_visit"]["by_event"] if r["event"] == "出生")
    assert birth["median"] == birth["p90"] == birth["count"] == SUPPRESSED
    assert {"certificate": "印鑑登録証明書の交付", "requests": SUPPRESSED} in data["certificates"]
    assert {"channel": "休日窓口", "visits": SUPPRESSED} in data["visits_by_channel"]
    kodomo = next(h for h in data["handoffs"] if h["department"] == "子育て支援課")
    assert kodomo["handed"] == kodomo["done"] == kodomo["waiting"] == SUPPRESSED
    kokuho = next(h for h in data["handoffs"] if h["department"] == "保険年金課")
    assert kokuho["hours_to_done"] == {"count": 5, "median": 3.0, "p90": 26.0}
    assert data["payment_codes"][0]["paid_yen"] == 1500
    assert data["visits_by_hour"][-1] == {"weekday": "土", "hour": 10, "visits": SUPPRESSED}
    assert data["visits"] == 12 and data["fields"]["no_writing_rate_percent"] == 95.2


def test_confirming_and_handing_off_record_what_the_figures_read(engine):
    """The facts come from the real paths: a visit confirmed on a Saturday is the
    holiday counter's, with its confirmation time; a line handed and then done keeps both
    times (a second hand-off does not move the first)."""
    from conftest import case_of, member

    from counter.catalogue import load_catalogue
    from counter.profile import load_profile
    from counter.rules import plan
    from db.visits import record_visit, set_checklist_status

    profile, saturday = load_profile("312029"), date(2026, 11, 7)
    case = case_of("move_in", "2026-11-06", [member("m1", subject=True)])
    visit = record_visit(engine, case, plan(case, load_catalogue(), profile, filed_on=saturday),
                         profile, device_id="t1")  # fmt: skip
    with Session(engine) as session:
        row = session.get(VisitRow, visit.id)
        assert row.channel == "holiday" and row.confirmed_at is not None
        line = session.exec(
            select(VisitProcedureRow).where(VisitProcedureRow.visit_id == visit.id)
        ).first()
    set_checklist_status(engine, visit.id, line.procedure_id, "handed_to_department")
    with Session(engine) as session:
        handed = session.get(VisitProcedureRow, (visit.id, line.procedure_id)).handed_at
    set_checklist_status(engine, visit.id, line.procedure_id, "handed_to_department")
    set_checklist_status(engine, visit.id, line.procedure_id, "done_by_department")
    with Session(engine) as session:
        done = session.get(VisitProcedureRow, (visit.id, line.procedure_id))
    assert done.handed_at == handed and done.done_at is not None and done.done_at >= handed
    (handoff,) = figures(engine, "312029", saturday, saturday).handoffs
    assert (handoff.handed, handoff.done) == (1, 1)


def test_each_form_issued_keeps_its_hand_written_and_resident_fields(engine, tmp_path):
    from conftest import case_of, member

    from counter.catalogue import load_catalogue
    from counter.profile import load_profile
    from counter.rules import plan
    from db.models import IssuedFormRow
    from workflows.documents import SlipFolder
    from workflows.visit import confirm_visit

    profile, today = load_profile("312029"), date(2026, 11, 4)
    case = case_of("move_in", "2026-11-01", [member("m1", subject=True)])
    confirmed = confirm_visit(
        engine, case, plan(case, load_catalogue(), profile, filed_on=today), profile,
        device_id="t1", keeper=SlipFolder(tmp_path / "slips"),
    )  # fmt: skip
    with Session(engine) as session:
        rows = session.exec(select(IssuedFormRow)).all()
    stored = {r.form_name: (r.prefilled_fields, r.typed_fields, r.blank_fields, r.resident_fields)
              for r in rows}  # fmt: skip
    made = {f.name: (f.prefilled_count, f.typed_count, f.blank_count, f.resident_count)
            for f in confirmed.forms}  # fmt: skip
    assert stored == made and sum(blank for _, _, blank, _ in made.values()) > 0
