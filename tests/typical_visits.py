"""The three visits a counter sees most, as a slip must serve them: a 4-member 転入, a
出生 and a 死亡 of a household head, each with the answers a resident typically gives
(and, for the worst case, with every question left at わからない).

Shared by the slip tests and ``bench/bench_slip_pages.py``, so the page counts reported
are those tested.
"""

from __future__ import annotations

from conftest import birth_family, case_of, member, spouse

from counter.household import EventCase

PREVIOUS = {"postal_code": "1000001", "text": "東京都千代田区千代田1番1号"}
TYPICAL_ANSWERS = {
    "move_in": {
        "residence_certificate": "yes",
        "nursery": "no",
        "seal": "yes",
        "dog": "no",
        "moped": "no",
        "pregnant": "no",
    },
    "birth": {
        "birth_acceptance_certificate": "yes",
        "childbirth_cost_below_grant": "no",
        "low_birth_weight": "no",
        "residence_certificate": "yes",
    },
    "death": {
        "estate_certificates": "yes",
        "funeral_held": "yes",
        "deceased_owned_real_estate": "yes",
        "deceased_income_to_declare": "no",
        "deceased_dog_owner": "no",
        "deceased_moped": "no",
    },
}


def move_in_of_four(**extra) -> EventCase:
    """Parents in their late thirties with a school child and a toddler, from 東京都."""
    members = [
        member("m1", birth_date="1986-05-01", subject=True),
        spouse(birth_date="1988-07-01", subject=True, health_insurance="national"),
        member("m3", name="米子　蓮", kana="ヨナゴ　レン", birth_date="2016-06-01",
               relation="child", subject=True),
        member("m4", name="米子　葵", kana="ヨナゴ　アオイ", birth_date="2023-03-01",
               relation="child", sex="female", subject=True),
    ]  # fmt: skip
    return case_of("move_in", "2026-11-20", members, previous_address=PREVIOUS, **extra)


def birth(**extra) -> EventCase:
    return case_of("birth", "2026-11-20", birth_family(), **extra)


def death_of_head(**extra) -> EventCase:
    """A man of 78 on 後期高齢者医療, survived by his wife."""
    members = [
        member("m1", birth_date="1948-02-01", subject=True, health_insurance="late_elderly"),
        spouse(birth_date="1950-03-01", health_insurance="late_elderly"),
    ]
    return case_of("death", "2026-11-20", members, **extra)


def typical_visits(answered: bool = True) -> dict[str, EventCase]:
    """The three visits by name; ``answered=False`` leaves every question open."""
    makers = {"4人の転入": move_in_of_four, "出生": birth, "世帯主の死亡": death_of_head}
    return {
        name: make(answers=TYPICAL_ANSWERS[make().event] if answered else {})
        for name, make in makers.items()
    }
