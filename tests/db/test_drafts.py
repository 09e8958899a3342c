"""Visits from their first step: numbered at once, drafts saved, parked, resumed, confirmed."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import birth_family, case_of

from counter.rules import plan
from db.drafts import (
    OPEN,
    PARKED,
    VisitNotOpen,
    cancel_visit,
    open_visits,
    save_draft,
    start_visit,
)
from db.visits import find_visit_id, get_visit, load_visit_for_slip, record_visit

DAY = date(2026, 11, 24)


def start(engine, device: str = "t1"):
    return start_visit(engine, municipality="312029", device_id=device, office_date=DAY)


def birth_plan(catalogue, profile):
    case = case_of("birth", "2026-11-20", birth_family())
    return case, plan(case, catalogue, profile, filed_on=DAY)


def test_a_started_visit_has_its_number_at_once_and_keeps_it_when_confirmed(
    engine, catalogue, profile
):
    first, second = start(engine), start(engine, "t2")
    assert (first.reception_number, second.reception_number) == (1, 2)
    assert [v.id for v in open_visits(engine, office_date=DAY)] == [first.id, second.id]
    assert [v.id for v in open_visits(engine, office_date=DAY, device_id="t2")] == [second.id]
    case, result = birth_plan(catalogue, profile)
    stored = record_visit(engine, case, result, profile, device_id="t1", visit_id=first.id)
    assert (stored.id, stored.reception_number) == (first.id, 1)
    assert get_visit(engine, first.id).procedure_ids  # the checklist is there
    assert [v.id for v in open_visits(engine, office_date=DAY)] == [second.id]
    unnumbered = record_visit(engine, case, result, profile, device_id="t1")
    assert unnumbered.reception_number == 3  # one sequence for both ways
    assert find_visit_id(engine, DAY, 1) == first.id
    with pytest.raises(VisitNotOpen, match="確定"):
        save_draft(engine, first.id, {"step": "event"})
    with pytest.raises(VisitNotOpen):
        record_visit(engine, case, result, profile, device_id="t1", visit_id=first.id)


def test_a_draft_is_kept_parked_and_resumed_on_another_terminal(engine):
    visit = start(engine)
    draft = {"step": "questions", "household_id": "H1", "head_name": "米子　太郎"}
    save_draft(engine, visit.id, draft)
    (reopened,) = open_visits(engine, office_date=DAY)
    assert (reopened.status, reopened.draft, reopened.head_name) == (OPEN, draft, "米子　太郎")
    save_draft(engine, visit.id, {**draft, "step": "plan"}, status=PARKED)
    assert open_visits(engine, office_date=DAY, status=OPEN) == []
    (parked,) = open_visits(engine, office_date=DAY, status=PARKED)
    assert parked.step == "plan"
    save_draft(engine, visit.id, parked.draft, device_id="t9")  # resumed elsewhere
    (resumed,) = open_visits(engine, office_date=DAY, device_id="t9")
    assert (resumed.status, resumed.reception_number) == (OPEN, 1)


def test_open_and_cancelled_visits_are_never_printed_or_numbered_again(engine):
    visit = start(engine)
    with pytest.raises(LookupError, match="まだ確定していない受付"):
        load_visit_for_slip(engine, visit.id)
    with pytest.raises(LookupError):
        find_visit_id(engine, DAY, visit.reception_number)
    cancel_visit(engine, visit.id)
    assert open_visits(engine, office_date=DAY) == []
    assert start(engine).reception_number == 2
    with pytest.raises(VisitNotOpen, match="取消"):
        save_draft(engine, visit.id, {})
