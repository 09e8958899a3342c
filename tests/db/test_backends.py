"""The same repository code on SQLite and PostgreSQL: households, visits, numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import add_clerk, birth_family, case_of
from sqlalchemy import inspect

from counter.household import Address, Household
from counter.rules import plan
from db.register import count_households, load_household, save_households, search_residents
from db.visits import get_visit, record_visit

ADDRESS = Address("6830823", "鳥取県米子市加茂町二丁目1番地")


def test_schema_is_migrated(engine):
    tables = set(inspect(engine).get_table_names())
    assert {"household", "resident", "visit", "visit_procedure", "payment_code"} <= tables
    assert engine.dialect.name in ("sqlite", "postgresql")


def test_household_round_trip_keeps_names_exactly(engine):
    parents = [
        m for m in case_of("birth", "2026-11-20", birth_family()).household.members if not m.subject
    ]
    head = replace(parents[0], name="髙橋　\uf929")  # compatibility ideograph, U+3000
    household = Household(ADDRESS, (head, parents[1]), household_id="H1")
    save_households(engine, [household], municipality="312029")
    assert load_household(engine, "H1") == household
    assert count_households(engine) == 1
    assert [hit.resident_id for hit in search_residents(engine, "ﾖﾅｺﾞ")] == ["m1", "m2"]


def test_visit_is_stored_whole_with_numbers(engine, catalogue, profile):
    answers = {"birth_acceptance_certificate": "yes"}
    case = case_of("birth", "2026-11-20", birth_family(), answers=answers)
    result = plan(case, catalogue, profile, filed_on=date(2026, 11, 24))
    first = record_visit(engine, case, result, profile, device_id="t1")
    second = record_visit(engine, case, result, profile, device_id="t2")
    assert (first.reception_number, second.reception_number) == (1, 2)
    assert len(first.payments) == len(second.payments) == 1
    assert first.payments[0].fields.payment_number != second.payments[0].fields.payment_number
    stored = get_visit(engine, first.id)
    assert stored.procedure_ids == tuple(sorted(p.id for p in result.procedures))
    assert stored.payment_payloads == (first.payments[0].payload,)
    assert stored.total_fee == 350


def test_checklist_status_records_who_when_and_why(engine, catalogue, profile):
    from db.visits import checklist, set_checklist_status

    case = case_of("birth", "2026-11-20", birth_family())
    result = plan(case, catalogue, profile, filed_on=date(2026, 11, 24))
    visit = record_visit(engine, case, result, profile, device_id="t1")
    assert {line.status for line in checklist(engine, visit.id)} == {"todo"}
    # in the order of the plan, as staff saw it on the plan screen
    listed = [p.id for p in result.procedures]
    assert [line.procedure_id for line in checklist(engine, visit.id)] == listed
    add_clerk(engine, "s1", "田中")
    set_checklist_status(
        engine,
        visit.id,
        "nhi_join_birth",
        "handed_to_department",
        staff_id="s1",
        note="保険年金課へ",
    )
    line = {x.procedure_id: x for x in checklist(engine, visit.id)}["nhi_join_birth"]
    assert (line.status, line.updated_by, line.note) == (
        "handed_to_department",
        "s1",
        "保険年金課へ",
    )
    assert line.updated_at is not None
    with pytest.raises(ValueError, match="使えません"):
        set_checklist_status(engine, visit.id, "nhi_join_birth", "lost")
    with pytest.raises(LookupError):
        set_checklist_status(engine, visit.id, "no_such_procedure", "done_here")
