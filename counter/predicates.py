"""The named conditions that catalogue entries combine in ``member_when``/``household_when``.

Each name (with an optional ``:argument``) is a small, testable fact about a member or the
household at the event date. Household facts can quantify over members with a member fact
(``any_other:age_at_least:15``, ``others_count_at_least:2:age_at_least:15``). The catalogue
decides which facts a procedure needs; this module only knows how to read each fact.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from counter.child_allowance import older_sibling_counts
from counter.household import MEMBER_FLAGS, RELATIONS, EventCase, Member
from counter.profile import MunicipalityProfile
from counter.wareki import AGE_COUNTS, age_counts_from, first_march_31_after_age, school_grade_year

MemberTest = Callable[[Member, EventCase, MunicipalityProfile, str], bool]
HouseholdTest = Callable[[EventCase, MunicipalityProfile, str], bool]


def _has_age(member: Member, case: EventCase, arg: str) -> bool:
    """``N:count``: on the event date the member is N or older, as ``count`` counts it
    (counter.wareki.AGE_COUNTS: each statute says which)."""
    age, count = age_argument(arg)
    return case.event_date >= age_counts_from(member.birth_date, age, count)


def age_argument(arg: str) -> tuple[int, str]:
    """``65:reached`` → (65, "reached"); ValueError naming what is missing."""
    age, _, count = arg.partition(":")
    if not age.isdigit():
        raise ValueError(f"年齢は数字で書いてください: {arg}")
    if count not in AGE_COUNTS:
        raise ValueError(
            f"年齢の数え方（{' か '.join(AGE_COUNTS)}）を「{age}:reached」のように書いてください: "
            f"{arg}"
        )
    return int(age), count


def _compulsory_school_age(member: Member, case: EventCase) -> bool:
    entry = date(school_grade_year(member.birth_date), 4, 1)
    return entry <= case.event_date <= date(entry.year + 9, 3, 31)


def _preschool_age(member: Member, case: EventCase) -> bool:
    return case.event_date < date(school_grade_year(member.birth_date), 4, 1)


def parents(case: EventCase) -> list[Member]:
    """Head and spouse, when they are not what the event is about (a newborn's parents)."""
    return [m for m in case.household.members if m.is_parent and not m.subject]


def others(case: EventCase) -> list[Member]:
    return [m for m in case.household.members if not m.subject]


def _flag(arg: str) -> str:
    if arg not in MEMBER_FLAGS:
        raise ValueError(f"未知の属性: {arg}")
    return arg


def _relations(arg: str) -> list[str]:
    names = arg.split(",")
    for name in names:
        if name not in RELATIONS:
            raise ValueError(f"未知の続柄: {name}")
    return names


MEMBER_TESTS: dict[str, MemberTest] = {
    "age_at_least": lambda m, c, p, a: _has_age(m, c, a),
    "age_under": lambda m, c, p, a: not _has_age(m, c, a),
    "insurance": lambda m, c, p, a: m.health_insurance in a.split(","),
    "not_insurance": lambda m, c, p, a: m.health_insurance not in a.split(","),
    "has": lambda m, c, p, a: getattr(m, _flag(a)),
    "lacks": lambda m, c, p, a: not getattr(m, _flag(a)),
    "relation": lambda m, c, p, a: m.relation in _relations(a),
    "not_relation": lambda m, c, p, a: m.relation not in _relations(a),
    "sex": lambda m, c, p, a: m.sex == a,
    "foreign": lambda m, c, p, a: m.nationality != "JP",
    "japanese": lambda m, c, p, a: m.nationality == "JP",
    "until_march31_after_age": lambda m, c, p, a: (
        c.event_date <= first_march_31_after_age(m.birth_date, int(a))
    ),
    "after_march31_after_age": lambda m, c, p, a: (
        c.event_date > first_march_31_after_age(m.birth_date, int(a))
    ),
    "child_medical_age": lambda m, c, p, a: (
        c.event_date
        <= first_march_31_after_age(m.birth_date, p.child_medical(c.event_date).until_age)
    ),
    "compulsory_school_age": lambda m, c, p, a: _compulsory_school_age(m, c),
    # 兄姉等 (18歳年度末後〜22歳年度末) whose counting makes three children (児童手当)
    "child_allowance_older_sibling": lambda m, c, p, a: older_sibling_counts(m, c),
    "preschool_age": lambda m, c, p, a: _preschool_age(m, c),
    # a subject, or the head/spouse partner of a subject who is head/spouse (第3号 etc.)
    "subject_or_partner": lambda m, c, p, a: (
        m.subject
        or (
            m.relation in ("head", "spouse")
            and any(
                s.relation in ("head", "spouse") and s.relation != m.relation for s in c.subjects
            )
        )
    ),
}


def _enough_others(case: EventCase, profile: MunicipalityProfile, arg: str) -> bool:
    """``N:<member fact>``: at least N of the members the event is not about have the fact."""
    number, _, expression = arg.partition(":")
    return sum(member_holds(expression, m, case, profile) for m in others(case)) >= int(number)


HOUSEHOLD_TESTS: dict[str, HouseholdTest] = {
    "has_child_allowance_recipient": lambda c, p, a: any(
        m.child_allowance_recipient for m in c.household.members
    ),
    "no_child_allowance_recipient": lambda c, p, a: (
        not any(m.child_allowance_recipient for m in c.household.members)
    ),
    "parents_insurance": lambda c, p, a: (
        bool(parents(c)) and all(m.health_insurance in a.split(",") for m in parents(c))
    ),
    "parents_insurance_mixed": lambda c, p, a: (
        len({m.health_insurance for m in parents(c)}) > 1
        and any(m.health_insurance == "national" for m in parents(c))
    ),
    "mother_insurance": lambda c, p, a: any(
        m.sex == "female" and m.health_insurance in a.split(",") for m in parents(c)
    ),
    "any_subject": lambda c, p, a: any(member_holds(a, m, c, p) for m in c.subjects),
    "no_subject": lambda c, p, a: not any(member_holds(a, m, c, p) for m in c.subjects),
    "any_other": lambda c, p, a: any(member_holds(a, m, c, p) for m in others(c)),
    "no_other": lambda c, p, a: not any(member_holds(a, m, c, p) for m in others(c)),
    "others_count_at_least": lambda c, p, a: _enough_others(c, p, a),
    "others_count_under": lambda c, p, a: not _enough_others(c, p, a),
    "whole_household_moves": lambda c, p, a: not others(c),
    "part_of_household_moves": lambda c, p, a: bool(others(c)),
}

AGE_CONDITIONS = ("age_at_least", "age_under")  # they name how the age is counted
QUANTIFIED = ("any_subject", "no_subject", "any_other", "no_other")
COUNTED = ("others_count_at_least", "others_count_under")


def split(expression: str) -> tuple[str, str]:
    name, _, arg = expression.partition(":")
    return name, arg


def check_known(expression: str, *, household: bool) -> None:
    """Raise ValueError for a condition the catalogue may not use, nested ones included."""
    name, arg = split(expression)
    if name not in (HOUSEHOLD_TESTS if household else MEMBER_TESTS):
        raise ValueError(f"未知の条件: {expression}")
    if household and name in QUANTIFIED:
        check_known(arg, household=False)
    elif household and name in COUNTED:
        number, _, inner = arg.partition(":")
        if not number.isdigit():
            raise ValueError(f"人数は数字で書いてください: {expression}")
        check_known(inner, household=False)
    elif name in ("has", "lacks"):
        _flag(arg)
    elif name in ("relation", "not_relation"):
        _relations(arg)
    elif name in AGE_CONDITIONS:
        age_argument(arg)
    elif name in ("until_march31_after_age", "after_march31_after_age") and not arg.isdigit():
        raise ValueError(f"年齢は数字で書いてください: {expression}")


def uses_age(expression: str) -> bool:
    """Whether a condition, nested ones included, asks for an age (AGE_CONDITIONS)."""
    return any(part in AGE_CONDITIONS for part in expression.split(":"))


def member_holds(
    expression: str, member: Member, case: EventCase, profile: MunicipalityProfile
) -> bool:
    name, arg = split(expression)
    return MEMBER_TESTS[name](member, case, profile, arg)


def household_holds(expression: str, case: EventCase, profile: MunicipalityProfile) -> bool:
    name, arg = split(expression)
    return HOUSEHOLD_TESTS[name](case, profile, arg)
