"""Fuzzing the household interchange format (JSON): the pre-arrival file and `counter plan`.

A case that is read must store and read back unchanged (what the visit tables do with
it); anything else is one HouseholdFormatError naming the field path or the line.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from conftest import birth_family, document, member, spouse
from fuzzing import (
    FAST,
    JSON_VALUES,
    assert_field_named,
    assert_printable,
    assert_staff_message,
    assert_storable,
    json_files,
    mutated_documents,
)
from hypothesis import example, given, settings

from counter.interchange import (
    MAX_FILE_BYTES,
    HouseholdFormatError,
    event_case_to_dict,
    load_event_case,
    parse_event_case,
)

VALID_DOCUMENTS = [
    document("birth", "2026-11-20", birth_family()),
    document(
        "move_in",
        "2026-11-16",
        [
            member(
                "m1",
                subject=True,
                resident_since="2026-11-16",
                honseki={"municipality": "322016", "text": "島根県松江市殿町１番地"},
            ),
            spouse(subject=True, nationality="VN"),
            member(
                "m3",
                name="米子　和子",
                sex="female",
                relation="parent",
                birth_date="1960-01-01",
                former_surname="﨑山",
            ),
        ],
        household_id="H000123",
        previous_address={"postal_code": "100-0001", "text": "東京都千代田区千代田1番"},
        answers={"dog": "yes"},
    ),
]
FILE_WORDS = ("ファイル", "JSON")


@pytest.mark.parametrize("doc", VALID_DOCUMENTS)
def test_the_seed_documents_are_valid(doc):
    check_read_back(parse_event_case(doc))


def check_refusal(exc: HouseholdFormatError) -> None:
    if exc.field:
        assert_field_named(exc.field)
        assert_staff_message(exc.message)
    else:  # the whole file: the caller names it
        assert_staff_message(exc.message, *FILE_WORDS)
    assert_printable(str(exc))


def check_read_back(case) -> None:
    assert_storable(case.household)
    stored = json.dumps(event_case_to_dict(case), ensure_ascii=False)  # as db.visits keeps it
    stored.encode("utf-8")
    assert parse_event_case(json.loads(stored)) == case


@settings(**FAST)
@given(mutated_documents(VALID_DOCUMENTS) | JSON_VALUES)
@example({**VALID_DOCUMENTS[0], "answers": {"dog": []}})  # was TypeError: unhashable
@example(  # was accepted as "SSA", which does not read back
    {**VALID_DOCUMENTS[1], "members": [member("m1", subject=True, nationality="ßa")]}
)
@example(  # was accepted, then could not be printed or stored
    {**VALID_DOCUMENTS[1], "members": [member("m1", subject=True, name="\ud800")]}
)
@example({**VALID_DOCUMENTS[1], "members": [member("m1", subject=True, name="米子\x00太郎")]})
@example({**VALID_DOCUMENTS[0], "": 1})  # was refused without naming any field
@example({**VALID_DOCUMENTS[1], "household_id": "H" * 41})  # db: household.id is 40 long
@example({**VALID_DOCUMENTS[1], "members": [member("m" * 49, subject=True)]})
@example({**VALID_DOCUMENTS[1], "members": [member("m1", subject=True, sex="x\n偽の行")]})
def test_a_household_reads_back_or_one_field_is_named(data):
    try:
        case = parse_event_case(data)
    except HouseholdFormatError as exc:
        check_refusal(exc)
        return
    check_read_back(case)


@settings(**FAST)
@given(json_files(VALID_DOCUMENTS))
@example(b"[" * 100_000)  # was RecursionError
@example(b"9" * 5_000)  # was ValueError: int digits limit
@example(b'{"municipality": 1e999999}')
@example(b"\xef\xbb\xbf" + json.dumps(VALID_DOCUMENTS[0]).encode())  # BOM: now read
@example(b" " * (MAX_FILE_BYTES + 1))
def test_a_household_file_reads_back_or_is_refused(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("household") / "household.json"
    path.write_bytes(data)
    try:
        case = load_event_case(path)
    except HouseholdFormatError as exc:
        check_refusal(exc)
        return
    check_read_back(case)


def test_what_is_not_a_regular_file_is_refused_without_reading_it(tmp_path):
    import os

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # opening it would wait for a writer forever
    for path in (fifo, tmp_path, tmp_path / "missing.json"):
        try:
            load_event_case(path)
        except HouseholdFormatError as exc:
            check_refusal(exc)
        else:
            raise AssertionError(f"{path} was read")


def test_counter_plan_names_the_field_and_prints_no_traceback(tmp_path):
    doc = copy.deepcopy(VALID_DOCUMENTS[0])
    doc["members"][2]["name"] = "\ud800"  # a JSON escape: valid JSON, not printable
    path = tmp_path / "household.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "counter.cli", "plan", "--household", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("エラー: household.json: members[2].name: ")
