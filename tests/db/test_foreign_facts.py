"""A foreign resident's 在留資格, 在留期間, its 満了の日 and 在留カード等の番号, and the
新しい続柄 codes, in the register mirror on a real SQLite file and a real PostgreSQL server:
saved, imported and loaded back exactly; migration 0017 adds the columns to a register
that holds residents already."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from conftest import pilot_household
from sqlalchemy import inspect
from test_resident_facts import insert_before

from counter.household import Household
from counter.register_csv import format_register_csv, parse_register_csv
from db.importer import import_households
from db.migrate import upgrade
from db.register import load_household, save_households

ON = date(2026, 11, 20)


def foreign_household() -> Household:
    """The pilot household as foreign residents, with a 同居人 and a 妻の母 beside them."""
    head, wife = pilot_household().members
    head = replace(
        head,
        nationality="VN",
        residence_status="技術・人文知識・国際業務",
        residence_period="3年",
        residence_expiry=date(2028, 5, 1),
        residence_card_number="AB12345678CD",
    )
    wife = replace(
        wife,
        relation="spouse_unfiled",
        nationality="KR",
        residence_status="特別永住者",
        residence_card_number="XY87654321ZW",
    )
    mother = replace(
        wife,
        id="H900001-3",
        name="米子　ハル",
        relation="spouse_parent",
        birth_date=date(1950, 2, 2),
        residence_card_number="",
    )
    return replace(pilot_household(), members=(head, wife, mother))


def test_the_columns_are_there_as_described(engine):
    columns = {c["name"]: c for c in inspect(engine).get_columns("resident")}
    assert not columns["residence_status"]["nullable"]
    assert not columns["residence_period"]["nullable"]
    assert columns["residence_expiry"]["nullable"]
    assert columns["residence_card_number"]["type"].length == 12


def test_saved_facts_and_relations_load_back_exactly(engine):
    household = foreign_household()
    save_households(engine, [household], municipality="312029")
    assert load_household(engine, "H900001") == household


def test_an_import_stores_the_facts_and_a_second_writes_nothing(engine):
    parsed = parse_register_csv(format_register_csv([foreign_household()]), today=ON)
    assert import_households(engine, parsed, "312029").added == 3
    assert load_household(engine, "H900001") == foreign_household()
    again = import_households(engine, parsed, "312029")
    assert (again.added, again.updated) == (0, 0)
    renewed = replace(
        parsed[0],
        members=(
            replace(parsed[0].members[0], residence_expiry=date(2031, 5, 1)),
            *parsed[0].members[1:],
        ),
    )
    assert import_households(engine, [renewed], "312029").updated == 1
    assert load_household(engine, "H900001").members[0].residence_expiry == date(2031, 5, 1)


def test_migration_0017_keeps_residents_stored_before_it(engine):
    insert_before(engine, "0016", "グエン　アン", "グエン　アン", "VN")
    columns = {c["name"] for c in inspect(engine).get_columns("resident")}
    assert "residence_card_number" not in columns and "former_surname" in columns
    upgrade(engine)
    (member,) = load_household(engine, "H1").members
    assert member.name == "グエン　アン"
    assert (member.residence_status, member.residence_expiry, member.residence_card_number) == (
        "",
        None,
        "",
    )
