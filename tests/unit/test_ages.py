"""Ages as each statute counts them (issue 20): the day before, the day of and the day
after every age edge the catalogue uses, by the two counts of counter.wareki.AGE_COUNTS,
with births on 29 February, 1 March and the first of a month; and, for every age
condition in the catalogue, that it changes on its stated edge and on no other day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.catalogue import Catalogue
from counter.household import Address, EventCase, Household, Member
from counter.predicates import member_holds, uses_age
from counter.wareki import age_counts_from

DAY = timedelta(days=1)

# (birth, age, count) → the first day the age holds, worked out by hand:
# "reached" is the day before the birthday (年齢計算ニ関スル法律, 民法143条), and for a
# 29 February birth in a common year the last day of February; "birthday" the day after.
EDGES = [
    (date(1961, 8, 15), 65, "reached", date(2026, 8, 14)),  # 介護保険 第1号
    (date(1961, 8, 1), 65, "reached", date(2026, 7, 31)),  # born on the 1st: the month before
    (date(1951, 8, 15), 75, "birthday", date(2026, 8, 15)),  # 後期高齢者医療
    (date(2006, 12, 6), 20, "reached", date(2026, 12, 5)),  # 国民年金 資格取得
    (date(1966, 12, 6), 60, "reached", date(2026, 12, 5)),  # 国民年金 第1号の終わり
    (date(2011, 12, 6), 15, "birthday", date(2026, 12, 6)),  # 印鑑登録, 世帯主変更
    (date(1960, 2, 29), 65, "reached", date(2025, 2, 28)),  # common year: 28 February
    (date(1960, 2, 29), 65, "birthday", date(2025, 3, 1)),
    (date(1952, 2, 29), 75, "birthday", date(2027, 3, 1)),
    (date(1952, 2, 29), 76, "birthday", date(2028, 2, 29)),  # a leap year has the day
    (date(1952, 2, 29), 76, "reached", date(2028, 2, 28)),
    (date(1951, 3, 1), 75, "reached", date(2026, 2, 28)),
    (date(1952, 3, 1), 76, "reached", date(2028, 2, 29)),  # born 1 March, leap year
]


@pytest.mark.parametrize(("birth", "age", "count", "first"), EDGES)
def test_the_first_day_of_an_age_by_its_count(birth, age, count, first):
    assert age_counts_from(birth, age, count) == first


def test_an_unknown_count_is_refused_in_japanese():
    with pytest.raises(ValueError, match="年齢の数え方"):
        age_counts_from(date(2000, 1, 1), 15, "kazoe")


def age_conditions(catalogue: Catalogue) -> list[tuple[str, str]]:
    """(procedure id, member condition) for every age condition, nested ones unwrapped."""
    found = []
    for procedure in catalogue.procedures:
        for expression in (*procedure.member_when, *procedure.household_when):
            parts = expression.split(":")
            for index, part in enumerate(parts):
                if part in ("age_at_least", "age_under"):
                    found.append((procedure.id, ":".join(parts[index : index + 3])))
    return found


def holds(expression: str, birth: date, on: date, profile) -> bool:
    """The member condition for one member born ``birth``, on the event date ``on``."""
    member = Member("m1", "見本　一郎", "ミホン　イチロウ", birth, "male", "head")
    household = Household(Address("6830823", "鳥取県米子市加茂町二丁目1番地"), (member,))
    case = EventCase(municipality="312029", event="move_in", event_date=on, household=household)
    return member_holds(expression, member, case, profile)


def test_every_age_condition_of_the_catalogue_names_its_count(catalogue):
    conditions = age_conditions(catalogue)
    assert len(conditions) >= 50
    for procedure_id, expression in conditions:
        assert expression.split(":")[2] in ("reached", "birthday"), procedure_id
    with_ages = [p for p in catalogue.procedures if any(
        uses_age(c) for c in (*p.member_when, *p.household_when))]  # fmt: skip
    assert with_ages and all("年齢計算ニ関スル法律" in p.age_basis or "誕生日" in p.age_basis
                             for p in with_ages)  # fmt: skip


@pytest.mark.parametrize("birth", [date(1961, 8, 15), date(1960, 2, 29), date(1960, 3, 1),
                                   date(2011, 4, 1)])  # fmt: skip
def test_each_age_condition_on_the_day_before_of_and_after_its_edge(catalogue, profile, birth):
    for procedure_id, expression in sorted(set(age_conditions(catalogue))):
        name, age, count = expression.split(":")
        edge = age_counts_from(birth, int(age), count)
        at_least = name == "age_at_least"
        seen = [holds(expression, birth, day, profile) for day in (edge - DAY, edge, edge + DAY)]
        assert seen == [not at_least, at_least, at_least], (procedure_id, expression, edge)


@given(
    birth=st.dates(min_value=date(1930, 1, 1), max_value=date(2020, 12, 31)),
    index=st.integers(min_value=0),
    offset=st.integers(min_value=-400, max_value=400),
)
def test_no_age_condition_changes_on_any_day_but_its_edge(catalogue, profile, birth, index,
                                                           offset):  # fmt: skip
    conditions = sorted({e for _, e in age_conditions(catalogue)})
    expression = conditions[index % len(conditions)]
    _, age, count = expression.split(":")
    day = age_counts_from(birth, int(age), count) + timedelta(days=offset)
    if offset != 0 and day - DAY >= birth:
        assert holds(expression, birth, day, profile) == holds(expression, birth, day - DAY,
                                                               profile)  # fmt: skip
