"""The department hand-off on both backends: queues, marking done, and a visit's progress,
including two terminals (two engines) on one database."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import add_clerk, birth_family, case_of

from counter.rules import plan
from db.checklist import (
    department_queue,
    departments_with_handoffs,
    mark_done_by_department,
    set_counter_status,
    visit_progress,
)
from db.engine import make_engine
from db.visits import IssuedForm, checklist, record_issued_forms, record_visit

FILED_ON = date(2026, 11, 24)


@pytest.fixture
def visit(engine, catalogue, profile):
    """A stored 出生 visit of 米子　太郎's household, with its forms PDF recorded."""
    case = case_of("birth", "2026-11-20", birth_family())
    stored = record_visit(
        engine, case, plan(case, catalogue, profile, filed_on=FILED_ON), profile, device_id="t1"
    )
    record_issued_forms(engine, stored.id, [IssuedForm("出生届", 10, 1, "/slips/v1-forms.pdf")])
    return stored


def lines_of(engine, visit_id):
    return {line.procedure_id: line for line in checklist(engine, visit_id)}


def hand(engine, visit_id, procedure_id, note="", staff_id=None):
    set_counter_status(
        engine, visit_id, procedure_id, "handed_to_department", staff_id=staff_id, note=note
    )


def settle_all_but(engine, visit_id, *keep):
    for procedure_id in lines_of(engine, visit_id):
        if procedure_id not in keep:
            set_counter_status(engine, visit_id, procedure_id, "done_here", staff_id=None, note="")


def test_a_handed_line_is_in_its_departments_queue_with_the_visit_data(engine, visit):
    add_clerk(engine, "s1", "田中")
    department = lines_of(engine, visit.id)["nhi_join_birth"].department
    assert department_queue(engine, department) == []
    hand(engine, visit.id, "nhi_join_birth", note="保険証は郵送を希望", staff_id="s1")

    assert departments_with_handoffs(engine) == {department: 1}
    [line] = department_queue(engine, department)
    assert (line.visit_id, line.procedure_id) == (visit.id, "nhi_join_birth")
    assert (line.reception_number, line.office_date) == (visit.reception_number, FILED_ON)
    assert line.head_name == "米子　太郎"
    assert line.address == "鳥取県米子市加茂町二丁目1番地"
    assert "米子　陽翔" in line.member_names
    assert line.procedure_name == lines_of(engine, visit.id)["nhi_join_birth"].name
    assert line.note == "保険証は郵送を希望"
    assert line.handed_by == "田中" and line.handed_at is not None
    assert line.forms_path == "/slips/v1-forms.pdf"
    assert line.events == ("birth",)
    # other departments' queues stay empty
    others = {line.department for line in checklist(engine, visit.id)} - {department}
    assert all(department_queue(engine, other) == [] for other in others)


def test_the_queue_is_oldest_first_and_done_lines_leave_it(engine, visit, catalogue, profile):
    case = case_of("birth", "2026-11-20", birth_family())
    later_visit = record_visit(
        engine, case, plan(case, catalogue, profile, filed_on=FILED_ON), profile, device_id="t2"
    )
    hand(engine, later_visit.id, "nhi_join_birth")
    hand(engine, visit.id, "nhi_join_birth")
    department = lines_of(engine, visit.id)["nhi_join_birth"].department
    queue = department_queue(engine, department)
    assert [line.visit_id for line in queue] == [later_visit.id, visit.id]
    assert queue[0].forms_path is None  # that visit printed no forms

    mark_done_by_department(engine, later_visit.id, "nhi_join_birth", None, "")
    assert [line.visit_id for line in department_queue(engine, department)] == [visit.id]
    assert departments_with_handoffs(engine) == {department: 1}
    assert lines_of(engine, later_visit.id)["nhi_join_birth"].status == "done_by_department"


def test_marking_done_refuses_a_line_not_handed_and_writes_nothing(engine, visit):
    before = lines_of(engine, visit.id)["nhi_join_birth"]
    with pytest.raises(ValueError, match="担当課へ引き継がれていません（現在は未処理）"):
        mark_done_by_department(engine, visit.id, "nhi_join_birth", None, "済")
    assert lines_of(engine, visit.id)["nhi_join_birth"] == before
    with pytest.raises(LookupError, match="手続き no_such_procedure はありません"):
        mark_done_by_department(engine, visit.id, "no_such_procedure", None, "")

    hand(engine, visit.id, "nhi_join_birth", note="郵送希望")
    mark_done_by_department(engine, visit.id, "nhi_join_birth", None, "保険証を交付")
    line = lines_of(engine, visit.id)["nhi_join_birth"]
    assert (line.status, line.note) == ("done_by_department", "郵送希望／担当課：保険証を交付")
    # a second terminal pressing F10 on a stale list: refused, the first one's note kept
    with pytest.raises(ValueError, match="現在は担当課で完了"):
        mark_done_by_department(engine, visit.id, "nhi_join_birth", None, "二重")
    assert lines_of(engine, visit.id)["nhi_join_birth"].note == "郵送希望／担当課：保険証を交付"


def test_the_counter_cannot_overwrite_what_a_department_finished(engine, visit):
    hand(engine, visit.id, "nhi_join_birth")
    mark_done_by_department(engine, visit.id, "nhi_join_birth", None)
    with pytest.raises(ValueError, match="担当課で完了のため変更できません"):
        set_counter_status(engine, visit.id, "nhi_join_birth", "later", staff_id=None, note="")
    with pytest.raises(ValueError, match="窓口では"):
        set_counter_status(
            engine, visit.id, "birth_registration", "done_by_department", staff_id=None, note=""
        )
    assert lines_of(engine, visit.id)["nhi_join_birth"].status == "done_by_department"
    assert lines_of(engine, visit.id)["birth_registration"].status == "todo"


def test_progress_counts_each_status_and_settles_with_later_and_not_needed(engine, visit):
    total = len(lines_of(engine, visit.id))
    progress = visit_progress(engine, visit.id)
    assert (progress.total, progress.settled, progress.handed) == (total, 0, 0)
    assert not progress.all_done

    settle_all_but(
        engine, visit.id, "nhi_join_birth", "birth_registration", "child_allowance_claim_birth"
    )
    set_counter_status(engine, visit.id, "birth_registration", "later", staff_id=None, note="")
    set_counter_status(
        engine, visit.id, "child_allowance_claim_birth", "not_needed", staff_id=None, note=""
    )
    hand(engine, visit.id, "nhi_join_birth")
    progress = visit_progress(engine, visit.id)
    assert progress.counts == {
        "done_here": total - 3,
        "later": 1,
        "not_needed": 1,
        "handed_to_department": 1,
    }
    assert (progress.settled, progress.handed, progress.all_done) == (total - 1, 1, False)

    mark_done_by_department(engine, visit.id, "nhi_join_birth", None)
    progress = visit_progress(engine, visit.id)
    assert (progress.settled, progress.handed, progress.all_done) == (total, 0, True)
    with pytest.raises(LookupError, match="見つかりません"):
        visit_progress(engine, "no-such-visit")


def test_two_terminals_hand_off_and_finish_one_visit(database_url, catalogue, profile):
    counter = make_engine(database_url)
    department_terminal = make_engine(database_url)
    try:
        case = case_of("birth", "2026-11-20", birth_family())
        result = plan(case, catalogue, profile, filed_on=FILED_ON)
        visit = record_visit(counter, case, result, profile, device_id="counter-1")
        settle_all_but(counter, visit.id, "nhi_join_birth")
        hand(counter, visit.id, "nhi_join_birth", note="窓口で待機中")
        assert not visit_progress(counter, visit.id).all_done

        department = next(p.department for p in result.procedures if p.id == "nhi_join_birth")
        assert department in departments_with_handoffs(department_terminal)
        [line] = department_queue(department_terminal, department)
        assert (line.visit_id, line.note) == (visit.id, "窓口で待機中")
        mark_done_by_department(department_terminal, line.visit_id, line.procedure_id, None)

        assert visit_progress(counter, visit.id).all_done
        assert department_queue(counter, department) == []
    finally:
        counter.dispose()
        department_terminal.dispose()
