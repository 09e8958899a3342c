"""A visit of several events stored on both backends: its events read back for a reprint,
its checklist has one line per procedure, and a department sees every event."""

from __future__ import annotations

import json
from datetime import date

from conftest import birth_family, case_of, member, spouse
from sqlmodel import Session

from counter.rules import plan_visit
from db.checklist import department_queue, set_counter_status
from db.drafts import start_visit
from db.models import VisitRow
from db.visits import checklist, load_visit_for_slip, record_visit

FILED_ON = date(2026, 11, 24)
PARENT = {
    "name": "米子　一郎",
    "relation": "parent",
    "birth_date": "1940-01-01",
    "health_insurance": "late_elderly",
}


def test_a_move_in_and_a_birth_are_one_visit_under_one_number(engine, catalogue, profile):
    move = case_of(
        "move_in",
        "2026-11-16",
        [member("m1", subject=True), spouse(subject=True)],
        previous_address={"postal_code": "6800011", "text": "鳥取県鳥取市東町一丁目220番地"},
    )
    birth = case_of("birth", "2026-11-20", birth_family())
    visit_plan = plan_visit([move, birth], catalogue, profile, filed_on=FILED_ON)
    started = start_visit(engine, municipality="312029", device_id="t1", office_date=FILED_ON)
    stored = record_visit(
        engine, move, visit_plan, profile, device_id="t1", visit_id=started.id, more_cases=[birth]
    )
    assert stored.reception_number == started.reception_number == 1

    with Session(engine) as session:
        row = session.get(VisitRow, stored.id)
        assert (row.event, row.status) == ("move_in", "confirmed")
        assert [c["event"] for c in json.loads(row.more_cases_json)] == ["birth"]

    again = load_visit_for_slip(engine, stored.id)
    assert again.case == move and again.more_cases == (birth,)
    assert again.plan == visit_plan  # the newborn's name comes from the second event
    ids = [line.procedure_id for line in checklist(engine, stored.id)]
    assert ids == [p.id for p in visit_plan.procedures]


def test_two_deaths_share_a_checklist_line_per_procedure(engine, catalogue, profile):
    first = case_of(
        "death", "2026-11-20", [member("m1", subject=True), spouse(), member("m3", **PARENT)]
    )
    second = case_of(
        "death", "2026-11-22", [member("m1"), spouse(), member("m3", subject=True, **PARENT)]
    )
    visit_plan = plan_visit([first, second], catalogue, profile, filed_on=FILED_ON)
    stored = record_visit(engine, first, visit_plan, profile, device_id="t1", more_cases=[second])

    lines = {line.procedure_id: line for line in checklist(engine, stored.id)}
    assert len(lines) == len({p.id for p in visit_plan.procedures})
    death = lines["death_registration"]
    set_counter_status(
        engine, stored.id, "death_registration", "handed_to_department", staff_id=None, note=""
    )
    [queued] = department_queue(engine, death.department)
    assert queued.events == ("death", "death")
    assert queued.member_names == ("米子　太郎", "米子　一郎")
