"""児童手当: the older siblings (兄姉等) make a younger child the 第3子, up to the first
31 March after 22, and only when the claimant bears their living costs (確認書)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import case_of, member, spouse

from counter.child_allowance import (
    allowance_rules,
    child_allowance,
    claimant,
    older_siblings,
    relation_to,
    rule_on,
)
from counter.rules import plan

SUPPORT = {"older_sibling_support": "yes"}


def third_birth(day: str, first: str = "2004-06-01", **answers: str) -> list[dict]:
    """A recipient father, the mother, an older child, a child of ten, and a newborn."""
    return [
        member("f", birth_date="1975-05-01", child_allowance_recipient=True),
        spouse(birth_date="1978-01-01"),
        member("a", name="米子　一郎", kana="ヨナゴ　イチロウ", birth_date=first, relation="child"),
        member(
            "b", name="米子　二郎", kana="ヨナゴ　ジロウ", birth_date="2016-06-01", relation="child"
        ),
        member(
            "c",
            name="米子　結",
            kana="ヨナゴ　ユイ",
            birth_date=day,
            relation="child",
            sex="female",
            health_insurance="none",
            subject=True,
        ),
    ]


def revision(result):
    return next(p for p in result.procedures if p.id == "child_allowance_revision_birth")


def test_the_rules_in_force_from_october_2024_and_none_before():
    rule = rule_on(date(2024, 10, 1))
    assert rule is not None and (rule.under_3, rule.from_3, rule.third_and_later) == (
        15000,
        10000,
        30000,
    )
    assert (rule.paid_until_age, rule.counted_until_age) == (18, 22)
    assert "第6条" in rule.legal_basis and "22歳年度末" in rule.older_sibling_basis
    assert rule_on(date(2024, 9, 30)) is None
    assert len(allowance_rules()) == 1


@pytest.mark.parametrize(
    ("day", "counted", "rank", "amount"),
    [
        ("2027-03-30", True, 3, 30000),  # the day before the first 3/31 after 22
        ("2027-03-31", True, 3, 30000),  # that very day: still counted
        ("2027-04-01", False, 2, 15000),  # the day after: no longer a 兄姉等
    ],
)
def test_an_older_sibling_counts_up_to_the_first_31_march_after_22(
    catalogue, profile, day, counted, rank, amount
):
    """一郎 (born 2004-06-01) reaches 22 on 2026-05-31: counted until 2027-03-31."""
    case = case_of("birth", day, third_birth(day), answers=SUPPORT)
    result = plan(case, catalogue, profile, filed_on=date.fromisoformat(day))
    line = revision(result)
    assert line.benefit == amount
    assert f"米子　結さん {amount:,}円（第{rank}子）" in line.reason
    ids = {p.id for p in result.procedures}
    assert ("child_allowance_older_sibling_confirmation" in ids) is counted
    assert [m.id for m in older_siblings(case, case.subjects)] == (["a"] if counted else [])


def test_the_day_an_older_child_stops_being_paid_for_it_starts_to_count_as_a_sibling():
    """Born 2008-04-02: paid to 2027-03-31 (18歳年度末), a 兄姉等 from 2027-04-01."""
    for day, paid in (("2027-03-31", True), ("2027-04-01", False)):
        case = case_of("birth", day, third_birth(day, first="2008-04-02"), answers=SUPPORT)
        allowance = child_allowance(case, case.subjects)
        assert allowance is not None
        first = allowance.children[0]
        assert first.member.id == "a" and first.rank == 1
        assert first.older is not paid and (first.monthly > 0) is paid
        assert allowance.of(["c"])[0].rank == 3 and allowance.total(["c"]) == 30000


def test_without_the_confirmation_the_older_sibling_is_not_counted(catalogue, profile):
    """わからない keeps the 確認書 as 要確認 and the newborn as 第2子; いいえ drops both."""
    day = "2026-11-20"
    unknown = plan(case_of("birth", day, third_birth(day)), catalogue, profile)
    line = revision(unknown)
    assert line.benefit == 15000 and "第2子" in line.reason
    assert "米子　一郎さんは、確認書がまだないため数えていません" in line.reason
    confirmation = next(
        p for p in unknown.procedures if p.id == "child_allowance_older_sibling_confirmation"
    )
    assert confirmation.status == "check" and confirmation.members == ("a",)
    assert "older_sibling_support" in unknown.questions
    no = plan(
        case_of("birth", day, third_birth(day), answers={"older_sibling_support": "no"}),
        catalogue,
        profile,
    )
    assert revision(no).benefit == 15000
    assert "世話・生計費の負担がないため" in revision(no).reason
    assert "child_allowance_older_sibling_confirmation" not in {p.id for p in no.procedures}


def test_a_family_moving_in_with_a_student_of_19_gets_30000_for_the_youngest(catalogue, profile):
    """19 in college, 12 and 2: the claim names the two younger; the youngest is 第3子."""
    members = [
        member("f", birth_date="1978-05-01", subject=True),
        spouse(birth_date="1980-01-01", subject=True),
        member("a", name="米子　一郎", birth_date="2007-06-01", relation="child", subject=True),
        member("b", name="米子　二郎", birth_date="2014-06-01", relation="child", subject=True),
        member(
            "c",
            name="米子　結",
            birth_date="2024-06-01",
            relation="child",
            sex="female",
            subject=True,
        ),
    ]
    case = case_of("move_in", "2026-11-16", members, answers=SUPPORT)
    result = plan(case, catalogue, profile, filed_on=date(2026, 11, 20))
    claim = next(p for p in result.procedures if p.id == "child_allowance_claim_move_in")
    assert claim.members == ("b", "c")
    assert "米子　二郎さん 10,000円（第2子）、米子　結さん 30,000円（第3子）" in claim.reason
    assert claim.benefit == 40000
    # two children only, the student not counted: 15,000円 for the one under 3
    alone = case_of("move_in", "2026-11-16", [members[0], members[1], members[4]])
    claim = next(
        p
        for p in plan(alone, catalogue, profile, filed_on=date(2026, 11, 20)).procedures
        if p.id == "child_allowance_claim_move_in"
    )
    assert claim.benefit == 15000 and "第1子" in claim.reason


def test_the_claimant_and_each_childs_relation_to_them():
    """Both parents at home: the register cannot say who claims, but the child is 子 to
    either. A mother who is the head's 子 claims for the head's 子の子 (孫): 子 to her."""
    day = "2026-11-20"
    case = case_of("birth", day, third_birth(day))
    child = case.household.member("c")
    assert claimant(case, [child]) is None
    # the one the counter names (spaces as typed) claims; a name of neither, nobody
    mother = case.household.member("m2")
    assert claimant(case, [child], mother.name.replace("\u3000", " ")) == mother
    assert claimant(case, [child], "米子　一郎") is None
    assert (
        relation_to(None, [case.household.member("f"), case.household.member("m2")], child, case)
        == "子"
    )
    grandparents = [
        member("g", name="米子　源蔵", birth_date="1950-01-01"),
        spouse(name="米子　梅", birth_date="1952-01-01"),
        member("m", name="米子　花子", birth_date="1990-01-01", sex="female", relation="child"),
        member("k", name="米子　空", birth_date=day, relation="grandchild", subject=True),
    ]
    case = case_of("birth", day, grandparents)
    baby = case.household.member("k")
    mother = claimant(case, [baby])
    assert mother is not None and mother.id == "m"
    assert relation_to(mother, [mother], baby, case) == "子"
    head = case.household.member("g")
    assert relation_to(head, [], baby, case) == "子の子"  # as the 住民票 writes it
