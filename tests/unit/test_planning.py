"""Who gets which procedure, with which deadline, for 出生 and 転入."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import birth_family, case_of, member

from counter.rules import plan, questions_for

FILED = date(2026, 11, 24)


def by_id(result):
    return {p.id: p for p in result.procedures}


def planned(catalogue, profile, event, event_date, family, *, filed_on=FILED, **extra):
    """The plan of one case, by procedure id."""
    case = case_of(event, event_date, family, **extra)
    return by_id(plan(case, catalogue, profile, filed_on=filed_on))


def test_birth_in_national_insurance_household(catalogue, profile):
    case = case_of("birth", "2026-11-20", birth_family("national"))
    result = by_id(plan(case, catalogue, profile, filed_on=FILED))
    assert result["birth_registration"].members == ("m3",)
    assert result["birth_registration"].deadline == date(2026, 12, 3)
    assert result["birth_registration"].deadline_wareki == "令和8年12月3日（木）"
    assert result["birth_registration"].department == "市民課"
    assert result["nhi_join_birth"].members == ("m3",)
    assert result["nhi_join_birth"].deadline == date(2026, 12, 4)
    assert result["child_allowance_claim_birth"].status == "required"
    # 15日特例: 11/20 + 15 = 12/5 (Saturday) → Monday 12/7
    assert result["child_allowance_claim_birth"].deadline == date(2026, 12, 7)
    assert result["child_allowance_claim_birth"].deadline_moved_from == date(2026, 12, 5)
    assert result["child_medical_birth"].members == ("m3",)
    # mother in 国保, question unanswered → kept as 要確認 for the mother
    assert result["childbirth_lump_sum_difference"].members == ("m2",)
    assert result["childbirth_lump_sum_difference"].status == "check"
    assert "child_allowance_revision_birth" not in result


def test_birth_to_employee_insured_parents_gets_no_national_insurance(catalogue, profile):
    case = case_of("birth", "2026-11-20", birth_family("employee"))
    result = by_id(plan(case, catalogue, profile, filed_on=FILED))
    assert "nhi_join_birth" not in result
    assert "nhi_join_birth_check" not in result
    assert "childbirth_lump_sum_difference" not in result
    assert "birth_registration" in result


def test_birth_with_parents_in_different_insurance_is_a_check(catalogue, profile):
    family = birth_family("national")
    family[0]["health_insurance"] = "employee"
    result = planned(catalogue, profile, "birth", "2026-11-20", family, filed_on=FILED)
    assert result["nhi_join_birth_check"].status == "check"
    assert "nhi_join_birth" not in result


def test_birth_in_household_already_receiving_child_allowance(catalogue, profile):
    family = birth_family("employee")
    family[0]["child_allowance_recipient"] = True
    result = planned(catalogue, profile, "birth", "2026-11-20", family, filed_on=FILED)
    assert "child_allowance_revision_birth" in result
    assert "child_allowance_claim_birth" not in result


def test_birth_deadline_rolls_over_the_year_end_closure(catalogue, profile):
    # 12/20 + 13 days = 1/2 (closed 29 Dec – 3 Jan) → Monday 2027-01-04
    case = case_of("birth", "2026-12-20", birth_family(date="2026-12-20"))
    result = by_id(plan(case, catalogue, profile, filed_on=date(2026, 12, 21)))
    registration = result["birth_registration"]
    assert registration.deadline_moved_from == date(2027, 1, 2)
    assert registration.deadline == date(2027, 1, 4)
    assert registration.deadline_wareki == "令和9年1月4日（月）"
    assert "年末年始" in registration.deadline_note


def test_birth_deadline_rolls_over_a_substitute_holiday(catalogue, profile):
    # 2026-05-06 is 振替休日 (憲法記念日 fell on Sunday 5/3); 4/23 + 13 days = 5/6 → 5/7
    case = case_of("birth", "2026-04-23", birth_family(date="2026-04-23"))
    registration = by_id(plan(case, catalogue, profile, filed_on=date(2026, 4, 24)))[
        "birth_registration"
    ]
    assert registration.deadline_moved_from == date(2026, 5, 6)
    assert registration.deadline == date(2026, 5, 7)
    assert "振替休日" in registration.deadline_note


@pytest.mark.parametrize(
    ("answer", "status"), [("unknown", "check"), ("yes", "required"), ("no", None)]
)
def test_an_answer_keeps_checks_or_drops_a_procedure(catalogue, profile, answer, status):
    case = case_of("birth", "2026-11-20", birth_family(), answers={"low_birth_weight": answer})
    result = by_id(plan(case, catalogue, profile, filed_on=FILED))
    found = result.get("low_birth_weight_notification")
    assert (found.status if found else None) == status


def test_an_unanswered_question_counts_as_unknown(catalogue, profile):
    result = planned(catalogue, profile, "birth", "2026-11-20", birth_family(), filed_on=FILED)
    assert result["low_birth_weight_notification"].status == "check"
    assert "わからない" in result["low_birth_weight_notification"].explained_reason
    assert (
        result["low_birth_weight_notification"].unanswered
        == "お子さんは2,500グラム未満で生まれましたか"
    )


def test_fees_come_from_the_profile_and_only_count_when_required(catalogue, profile):
    answers = {"birth_acceptance_certificate": "yes", "residence_certificate": "unknown"}
    result = plan(
        case_of("birth", "2026-11-20", birth_family(), answers=answers),
        catalogue,
        profile,
        filed_on=FILED,
    )
    procedures = by_id(result)
    assert procedures["birth_acceptance_certificate"].fee == 350
    assert procedures["residence_certificate"].fee == 300
    assert procedures["residence_certificate"].status == "check"
    assert result.total_fee == 350


def move_in_family() -> list[dict]:
    return [
        member(
            "a",
            birth_date="1950-01-10",
            health_insurance="late_elderly",
            mynumber_card=True,
            care_certified=True,
            subject=True,
        ),
        member(
            "b",
            name="米子　和子",
            kana="ヨナゴ　カズコ",
            birth_date="1958-03-03",
            sex="female",
            relation="spouse",
            health_insurance="national",
            subject=True,
        ),
        member(
            "c",
            name="米子　一郎",
            kana="ヨナゴ　イチロウ",
            birth_date="1988-07-07",
            relation="child",
            health_insurance="employee",
            mynumber_card=True,
            subject=True,
        ),
        member(
            "d",
            name="米子　咲",
            kana="ヨナゴ　サキ",
            birth_date="2016-09-01",
            sex="female",
            relation="grandchild",
            health_insurance="employee_dependent",
            subject=True,
        ),
        member(
            "e",
            name="米子　蓮",
            kana="ヨナゴ　レン",
            birth_date="2023-02-02",
            relation="grandchild",
            health_insurance="employee_dependent",
            subject=True,
        ),
    ]


def test_move_in_per_member(catalogue, profile):
    case = case_of("move_in", "2026-11-16", move_in_family())
    result = by_id(plan(case, catalogue, profile, filed_on=date(2026, 11, 20)))
    assert result["move_in_notification"].members == ("a", "b", "c", "d", "e")
    assert result["move_in_notification"].deadline == date(2026, 11, 30)
    assert result["move_in_notification"].deadline_wareki == "令和8年11月30日（月）"
    assert result["mynumber_card_continuation"].members == ("a", "c")
    # 90 days from the filing date 11/20 → 2027-02-18
    assert result["mynumber_card_continuation"].deadline == date(2027, 2, 18)
    # 76-year-old: 後期高齢者医療, not 国保; 68-year-old spouse: 国保 and 介護
    assert result["late_elderly_move_in"].members == ("a",)
    assert result["nhi_join_move_in"].members == ("b",)
    assert result["care_insurance_move_in"].members == ("a", "b")
    assert result["care_certificate_transfer"].members == ("a",)
    assert "national_pension_move_in" not in result
    assert result["child_allowance_claim_move_in"].members == ("d", "e")
    assert result["child_medical_move_in"].members == ("d", "e")
    assert result["school_transfer"].members == ("d",)
    assert result["nursery_application"].members == ("e",)
    assert result["nursery_application"].status == "check"
    assert result["seal_registration"].members == ("a", "b", "c")


def test_move_in_only_the_movers_are_planned(catalogue, profile):
    family = move_in_family()
    for m in family:
        m["subject"] = m["id"] == "c"
    result = planned(
        catalogue, profile, "move_in", "2026-11-16", family, filed_on=date(2026, 11, 20)
    )
    assert result["move_in_notification"].members == ("c",)
    assert "late_elderly_move_in" not in result
    assert "child_allowance_claim_move_in" not in result


def test_move_in_of_a_young_self_employed_adult(catalogue, profile):
    family = [
        member(
            "x",
            birth_date="2000-05-05",
            health_insurance="national",
            subject=True,
            nationality="VN",
            name="NGUYEN VAN AN",
            kana="グエン　ヴァン　アン",
        )
    ]
    result = planned(
        catalogue, profile, "move_in", "2026-11-16", family, filed_on=date(2026, 11, 20)
    )
    assert result["nhi_join_move_in"].members == ("x",)
    assert result["national_pension_move_in"].status == "check"
    assert result["residence_card_address"].members == ("x",)
    assert "care_insurance_move_in" not in result


def test_questions_are_only_those_that_change_this_plan(catalogue, profile):
    adult_alone = case_of("move_in", "2026-11-16", [member("x", subject=True)])
    asked = questions_for(adult_alone, catalogue, profile)
    assert "nursery" not in asked
    assert {"seal", "dog", "moped", "residence_certificate"} <= set(asked)
    family = case_of("move_in", "2026-11-16", move_in_family())
    assert "nursery" in questions_for(family, catalogue, profile)
    employee_birth = case_of("birth", "2026-11-20", birth_family("employee"))
    assert "childbirth_cost_below_grant" not in questions_for(employee_birth, catalogue, profile)


def test_rules_in_force_on_the_event_date(catalogue, profile):
    """Before 2024-10 児童手当 ended with 中学校修了; after, with the first 3/31 after 18."""
    teen = [
        member("p", birth_date="1980-01-01", subject=True),
        member(
            "t",
            name="米子　翼",
            kana="ヨナゴ　ツバサ",
            birth_date="2008-06-01",
            relation="child",
            subject=True,
        ),
    ]
    before = planned(catalogue, profile, "move_in", "2024-09-01", teen, filed_on=date(2024, 9, 2))
    after = planned(catalogue, profile, "move_in", "2024-10-01", teen, filed_on=date(2024, 10, 2))
    assert "child_allowance_claim_move_in" not in before
    assert after["child_allowance_claim_move_in"].members == ("t",)
    old_birth = planned(
        catalogue,
        profile,
        "birth",
        "2023-03-10",
        birth_family(date="2023-03-10"),
        filed_on=date(2023, 3, 13),
    )
    assert "420,000円" in old_birth["childbirth_lump_sum_difference"].reason
    new_birth = planned(
        catalogue,
        profile,
        "birth",
        "2023-04-10",
        birth_family(date="2023-04-10"),
        filed_on=date(2023, 4, 11),
    )
    assert "500,000円" in new_birth["childbirth_lump_sum_difference"].reason


def test_json_shape(catalogue, profile):
    result = plan(
        case_of("birth", "2026-11-20", birth_family()), catalogue, profile, filed_on=FILED
    ).to_json()
    assert result["event"] == "birth"
    assert result["event_date"] == "2026-11-20"
    first = result["procedures"][0]
    for key in (
        "id",
        "name",
        "department",
        "members",
        "status",
        "reason",
        "deadline",
        "deadline_wareki",
        "fee",
        "documents",
        "forms",
        "online",
    ):
        assert key in first
    assert first["name"] == "出生届"
