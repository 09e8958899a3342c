"""Fuzzing the resident register CSV: decoding the bytes and reading the rows.

A file that is read gives households that write out and read back unchanged; any other
file is one RegisterCsvError whose every problem names its line (and field) in Japanese.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date

from conftest import pilot_household
from fuzzing import (
    ANY_CHARACTER,
    FAST,
    as_bytes,
    assert_field_named,
    assert_printable,
    assert_staff_message,
    assert_storable,
    near,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st

from counter.household import Address, Honseki
from counter.register_csv import (
    COLUMNS,
    RegisterCsvError,
    decode_register_bytes,
    format_register_csv,
    parse_register_csv,
)

TODAY = date(2026, 11, 20)
SECOND = replace(
    pilot_household(),
    household_id="H900002",
    address=Address("6830011", "鳥取県米子市中町1番地\n米子ハイツ2階"),  # an Excel line break
    members=tuple(
        replace(
            m,
            id=f"H900002-{i}",
            name=f"境　{m.name[3:]}",
            resident_since=date(2020, 4, 1),  # and the facts for certificates
            honseki=Honseki("312045", "鳥取県境港市京町１番地"),
            former_surname="﨑山" if i == 2 else "",
        )
        for i, m in enumerate(pilot_household().members, 1)
    ),
)
VALID = format_register_csv([pilot_household(), SECOND])


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def csv_of(rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@st.composite
def one_cell_changed(draw) -> str:
    """The valid file with one cell (header included) mutated or replaced, quoted as Excel
    would quote it."""
    rows = rows_of(VALID)
    line = draw(st.integers(0, len(rows) - 1))
    column = draw(st.integers(0, len(COLUMNS) - 1))
    cell = rows[line][column]
    rows[line][column] = draw(
        st.one_of(
            near(cell),
            st.text(ANY_CHARACTER, max_size=40),
            st.sampled_from(
                ["", " ", "None", "'", "<", "2026-11-21", "R8.11.20", "男", "ｆｅｍａｌｅ"]
            ),
        )
    )
    return csv_of(rows)


REGISTER_TEXTS = st.one_of(
    one_cell_changed(),
    one_cell_changed(),
    near(VALID),
    st.text(ANY_CHARACTER, max_size=200),
    st.just(",".join(COLUMNS) + "\r\n").flatmap(
        lambda header: st.text(ANY_CHARACTER).map(header.__add__)
    ),
)


def check_refusal(exc: RegisterCsvError) -> None:
    assert exc.problems
    for problem in exc.problems:
        assert problem.line >= 1
        if problem.field:
            assert_field_named(problem.field)
        assert_staff_message(problem.message)
    for line in exc.lines:
        assert re.match(r"[0-9]+行目: ", line), line
    assert_printable(str(exc))


def check_read_back(households) -> None:
    assert households
    for household in households:
        assert_storable(household)
    assert parse_register_csv(format_register_csv(households), today=TODAY) == households


def test_the_seed_file_is_valid():
    assert parse_register_csv(VALID, today=TODAY) == [pilot_household(), SECOND]


@settings(**FAST)
@given(REGISTER_TEXTS)
@example(VALID.replace("米子　太郎", "米子\x00太郎"))  # NUL: PostgreSQL refused it at import
@example(VALID.replace("米子　太郎", "米子\t太郎"))
@example(VALID.replace("米子　太郎", "x" * 200_000))  # was reported as an open quote
@example(VALID.replace("national", "\ud800", 1))  # quoted back unprintable
@example(VALID.replace("household_id", "household_id\x1b[2J", 1))
def test_a_register_reads_back_or_every_problem_names_its_line(text):
    try:
        households = parse_register_csv(text, today=TODAY)
    except RegisterCsvError as exc:
        check_refusal(exc)
        return
    check_read_back(households)


@st.composite
def register_files(draw) -> bytes:
    choice = draw(st.sampled_from(["utf-8", "encoded", "bytes", "flipped"]))
    if choice == "utf-8":
        return as_bytes(draw(REGISTER_TEXTS))
    if choice == "encoded":
        codec = draw(st.sampled_from(["utf-8-sig", "cp932", "utf-16", "utf-16-be", "euc-jp"]))
        return VALID.encode(codec, "replace")
    if choice == "flipped":
        data = bytearray(VALID.encode("utf-8"))
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
        return bytes(data)
    return draw(st.binary(max_size=400))


@settings(**FAST)
@given(register_files())
@example(VALID.encode("cp932"))
@example(b"\xff\xfe" + VALID.encode("utf-16-le"))
@example(VALID.encode("utf-8")[:-3] + b"\xe7\xb1")  # cut inside a character
@example(VALID.replace("\r\nH900001,H900001-2", "\r\nNone,H900001-2", 1).encode())  # deep
def test_register_bytes_decode_and_read_back_or_are_refused(data):
    try:
        households = parse_register_csv(decode_register_bytes(data), today=TODAY)
    except RegisterCsvError as exc:
        check_refusal(exc)
        return
    check_read_back(households)
