"""One visit, several events: a 転入 and then the 出生 of a child, two deaths, one
procedure owed twice. The plan, the slip and the forms cover every event, each procedure
keeps the event it came from, and a procedure owed twice is done once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from conftest import birth_family, case_of, member, spouse
from pdfcheck import pdf_text

from counter.plan import Plan, combine_plans
from counter.rules import plan, plan_visit
from counter.slip import build_slip
from forms.prefill import VisitInfo, forms_for_visit
from forms.slip_pdf import render_slip
from forms.slip_preview import slip_lines

FILED = date(2026, 11, 24)
PREVIOUS = {"postal_code": "6800011", "text": "鳥取県鳥取市東町一丁目220番地"}


def move_in_then_birth():
    move = case_of(
        "move_in",
        "2026-11-16",
        [member("m1", subject=True, mynumber_card=True), spouse(subject=True)],
        previous_address=PREVIOUS,
    )
    return move, case_of("birth", "2026-11-20", birth_family())


def test_the_plan_covers_both_events_and_each_procedure_keeps_its_event(catalogue, profile):
    move, birth = move_in_then_birth()
    visit = plan_visit([move, birth], catalogue, profile, filed_on=FILED)
    alone = {
        index: {p.id for p in plan(case, catalogue, profile, filed_on=FILED).procedures}
        for index, case in enumerate((move, birth))
    }
    by_id = {p.id: p for p in visit.procedures}
    assert set(by_id) == alone[0] | alone[1]
    assert {p.id for p in visit.procedures if p.case == 0} == alone[0]
    # 住民票の写し for the head is owed by both: one trip, listed once under the first
    assert alone[0] & alone[1] == {"residence_certificate"}
    assert [p.case for p in visit.procedures if p.id == "residence_certificate"] == [0]
    assert {p.id for p in visit.procedures if p.case == 1} == alone[1] - alone[0]
    assert visit.events == (("move_in", date(2026, 11, 16)), ("birth", date(2026, 11, 20)))
    # each event's deadline counts from its own day
    assert by_id["move_in_notification"].deadline == date(2026, 11, 30)
    assert by_id["birth_registration"].deadline == date(2026, 12, 3)
    assert by_id["nhi_join_move_in"].members == ("m1", "m2")
    assert by_id["nhi_join_birth"].member_names == ("米子　陽翔",)
    assert [p.order for p in visit.procedures] == sorted(p.order for p in visit.procedures)
    assert visit.total_fee == sum(
        plan(c, catalogue, profile, filed_on=FILED).total_fee for c in (move, birth)
    )


def test_a_stored_plan_of_two_events_reads_back_the_same(catalogue, profile):
    move, birth = move_in_then_birth()
    visit = plan_visit([move, birth], catalogue, profile, filed_on=FILED)
    names = {m.id: m.name for c in (move, birth) for m in c.household.members}
    again = Plan.from_json(visit.to_json(), names)
    assert again == visit
    assert "届出: 出生（令和8年11月20日（金））" in visit.to_text()


def test_two_deaths_keep_a_line_each_with_its_own_deadline(catalogue, profile):
    parent = {
        "name": "米子　一郎",
        "relation": "parent",
        "birth_date": "1940-01-01",
        "health_insurance": "late_elderly",
    }
    first = case_of(
        "death", "2026-11-20", [member("m1", subject=True), spouse(), member("m3", **parent)]
    )
    second = case_of(
        "death", "2026-11-22", [member("m1"), spouse(), member("m3", subject=True, **parent)]
    )
    visit = plan_visit([first, second], catalogue, profile, filed_on=FILED)
    deaths = [p for p in visit.procedures if p.id == "death_registration"]
    assert [(p.members, p.deadline, p.case) for p in deaths] == [
        (("m1",), date(2026, 11, 26), 0),
        (("m3",), date(2026, 11, 30), 1),
    ]


def test_a_procedure_owed_by_two_events_is_listed_once(catalogue, profile):
    move, _ = move_in_then_birth()
    one = plan(move, catalogue, profile, filed_on=FILED)
    later = {p.id: p for p in one.procedures}["move_in_notification"]
    # the same procedure for the same people, owed again by a later event: an earlier
    # deadline, its own reason and a fee
    again = replace(
        later, deadline=date(2026, 11, 27), reason="もう一つの理由", fee=300, status="check"
    )
    other = replace(one, procedures=(again,), event="birth", event_date=date(2026, 11, 20))
    visit = combine_plans([one, other])
    owed = [p for p in visit.procedures if p.id == "move_in_notification"]
    assert len(owed) == 1
    assert owed[0].deadline == date(2026, 11, 27)
    assert owed[0].reason == f"{later.reason}／もう一つの理由"
    assert owed[0].status == "required"
    assert owed[0].fee == 300 and owed[0].case == 0
    assert visit.total_fee == one.total_fee + 300


def test_the_slip_names_every_event_of_the_visit(catalogue, profile, tmp_path: Path):
    move, birth = move_in_then_birth()
    visit = plan_visit([move, birth], catalogue, profile, filed_on=FILED)
    slip = build_slip(visit, move, profile, reception_number=5, issued_on=FILED, payments=())
    lines = slip_lines(slip)
    assert lines[2:4] == [
        "届出：転入（令和8年11月16日（月））",
        "届出：出生（令和8年11月20日（金））",
    ]
    easy = slip_lines(slip, "easy")
    assert sum(line.startswith("きょうの とどけ：") for line in easy) == 2
    text = pdf_text(render_slip(slip, tmp_path / "slip.pdf"))
    assert "届出：転入（令和8年11月16日（月））" in text
    assert "届出：出生（令和8年11月20日（金））" in text
    assert "出生届" in text and "住民異動届" not in text  # procedures, not form names
    assert "転入届" in text


def test_each_event_gets_its_forms_filled_from_that_event(catalogue, profile):
    move, birth = move_in_then_birth()
    visit = plan_visit([move, birth], catalogue, profile, filed_on=FILED)
    info = VisitInfo(reception_number=5, office_date=FILED, staff_name="")
    forms = forms_for_visit(visit, move, profile, info, more_cases=[birth])
    names = [form.name for form in forms]
    idou = forms[names.index("住民異動届")]
    assert idou.field("kind").value == "転入"
    assert idou.field("moved_on").value == "令和8年11月16日（月）"
    birth_form = forms[names.index("出生届")]
    assert birth_form.field("born_on", "m3").value == "令和8年11月20日（金）"
    # 国保 for the parents who moved in, and for the newborn: one form per event
    nhi = [f for f in forms if f.name == "国民健康保険 資格取得届"]
    rows = [[r.member_name for s in f.sections for r in s.rows] for f in nhi]
    assert rows == [["米子　太郎", "米子　花子"], ["米子　陽翔"]]


def test_one_certificate_asked_by_two_events_is_one_line(catalogue, profile):
    move = case_of("move_in", "2026-11-16", [member("m1", subject=True)], previous_address=PREVIOUS)
    within = case_of("move_within", "2026-11-20", [member("m1", subject=True)])
    visit = plan_visit([move, within], catalogue, profile, filed_on=FILED)
    ids = {p.id for p in visit.procedures}
    assert "residence_certificate" in ids and "residence_certificate_moves" not in ids
    names = [p.name for p in visit.procedures]
    assert names.count("住民票の写しの交付") == 1
    assert len(names) == len(set(names))
