"""The named conditions that catalogue entries combine in ``member_when``/``household_when``.

Each name (with an optional ``:argument``) is a small, testable fact about a member or the
household at the event date. The catalogue decides which facts a procedure needs; this
module only knows how to read each fact.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from counter.household import MEMBER_FLAGS, EventCase, Member
from counter.profile import MunicipalityProfile
from counter.wareki import age_on, first_march_31_after_age, school_grade_year

MemberTest = Callable[[Member, EventCase, MunicipalityProfile, str], bool]
HouseholdTest = Callable[[EventCase, MunicipalityProfile, str], bool]


def _age(member: Member, case: EventCase) -> int:
    return age_on(member.birth_date, case.event_date)


def _compulsory_school_age(member: Member, case: EventCase) -> bool:
    entry = date(school_grade_year(member.birth_date), 4, 1)
    return entry <= case.event_date <= date(entry.year + 9, 3, 31)


def _preschool_age(member: Member, case: EventCase) -> bool:
    return case.event_date < date(school_grade_year(member.birth_date), 4, 1)


def _parents(case: EventCase) -> list[Member]:
    return [m for m in case.household.members if m.is_parent and not m.subject]


def _flag(arg: str) -> str:
    if arg not in MEMBER_FLAGS:
        raise ValueError(f"未知の属性: {arg}")
    return arg


MEMBER_TESTS: dict[str, MemberTest] = {
    "age_at_least": lambda m, c, p, a: _age(m, c) >= int(a),
    "age_under": lambda m, c, p, a: _age(m, c) < int(a),
    "insurance": lambda m, c, p, a: m.health_insurance in a.split(","),
    "has": lambda m, c, p, a: getattr(m, _flag(a)),
    "lacks": lambda m, c, p, a: not getattr(m, _flag(a)),
    "foreign": lambda m, c, p, a: m.nationality != "JP",
    "until_march31_after_age": lambda m, c, p, a: (
        c.event_date <= first_march_31_after_age(m.birth_date, int(a))
    ),
    "child_medical_age": lambda m, c, p, a: (
        c.event_date <= first_march_31_after_age(m.birth_date, p.child_medical_until_age)
    ),
    "compulsory_school_age": lambda m, c, p, a: _compulsory_school_age(m, c),
    "preschool_age": lambda m, c, p, a: _preschool_age(m, c),
}

HOUSEHOLD_TESTS: dict[str, HouseholdTest] = {
    "has_child_allowance_recipient": lambda c, p, a: any(
        m.child_allowance_recipient for m in c.household.members
    ),
    "no_child_allowance_recipient": lambda c, p, a: (
        not any(m.child_allowance_recipient for m in c.household.members)
    ),
    "parents_insurance": lambda c, p, a: (
        bool(_parents(c)) and all(m.health_insurance in a.split(",") for m in _parents(c))
    ),
    "parents_insurance_mixed": lambda c, p, a: (
        len({m.health_insurance for m in _parents(c)}) > 1
        and any(m.health_insurance == "national" for m in _parents(c))
    ),
    "mother_insurance": lambda c, p, a: any(
        m.sex == "female" and m.health_insurance in a.split(",") for m in _parents(c)
    ),
}


def split(expression: str) -> tuple[str, str]:
    name, _, arg = expression.partition(":")
    return name, arg


def check_known(expression: str, *, household: bool) -> None:
    """Raise ValueError for a predicate name the catalogue may not use."""
    name, _ = split(expression)
    if name not in (HOUSEHOLD_TESTS if household else MEMBER_TESTS):
        raise ValueError(f"未知の条件: {expression}")


def member_holds(
    expression: str, member: Member, case: EventCase, profile: MunicipalityProfile
) -> bool:
    name, arg = split(expression)
    return MEMBER_TESTS[name](member, case, profile, arg)


def household_holds(expression: str, case: EventCase, profile: MunicipalityProfile) -> bool:
    name, arg = split(expression)
    return HOUSEHOLD_TESTS[name](case, profile, arg)
