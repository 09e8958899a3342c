"""The figures of a period, from a small hand-made week of visits whose every figure was
worked out by hand (tests/stats_week.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select
from stats_week import END, START, fill_week

from counter.stats import SUPPRESSED, Spread, as_json
from db.models import VisitProcedureRow, VisitRow
from db.stats import figures


@pytest.fixture
def week(engine):
    fill_week(engine)
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


def test_durations_are_ranked_to_the_tenth_they_are_shown_in(engine):
    """The database counts durations by tenth of a minute (or hour): the median and 90%
    are those of the rounded times, the figure shown. 1 min 1 s → 1.0, 2 min 20 s → 2.3,
    2 min 58 s → 3.0, 7 min 2 s → 7.0, 100 min → 100.0: median the 3rd, 90% the 5th."""
    from stats_week import Week

    with Session(engine) as session:
        week = Week(session)
        for seconds in (61, 140, 178, 422, 6000):
            week.visit(START, "move_in", seconds / 60, hour=10)
        session.commit()
    result = figures(engine, "312029", START, END)
    assert result.minutes == Spread(5, 3.0, 100.0)
    assert dict(result.minutes_by_event)["転入"] == Spread(5, 3.0, 100.0)
