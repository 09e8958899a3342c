"""Fuzzing payment-result files (消込): decoding the bytes and reading the lines.

A file that is read gives results that keep the format's rules and read back the same
when written out again; any other is one PaymentResultsError whose every problem names
its line in Japanese. (Nothing reaches the ledger then: test_fuzz_reconcile.py.)
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from fuzzing import ANY_CHARACTER, FAST, as_bytes, assert_printable, assert_staff_message, near
from hypothesis import example, given, settings
from hypothesis import strategies as st

from counter.payment import MAX_AMOUNT
from counter.payment.results import (
    CHANNELS,
    COLUMNS,
    LABELS,
    PaymentResultsError,
    decode_results,
    parse_results,
)

TODAY = date(2026, 12, 20)
VALID = (
    "payment_number,confirmation_number,amount,paid_on,channel\r\n"
    "1,123456,350,2026-12-01,bank\r\n"
    '00000000000000012345,654321,"1,200",令和8年12月2日,コンビニエンスストア\r\n'
    "２,０１２３４５,９９９,R8.12.3,smartphone_app\r\n"
)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@st.composite
def one_cell_changed(draw) -> str:
    rows = rows_of(VALID)
    line = draw(st.integers(0, len(rows) - 1))
    column = draw(st.integers(0, len(COLUMNS) - 1))
    rows[line][column] = draw(
        st.one_of(
            near(rows[line][column]),
            st.text(ANY_CHARACTER, max_size=30),
            st.sampled_from(["", "0", "-1", "9" * 5_000, "1e3", "2027-01-01", "None", "'"]),
        )
    )
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


RESULT_TEXTS = st.one_of(
    one_cell_changed(), one_cell_changed(), near(VALID), st.text(ANY_CHARACTER, max_size=200)
)


def check_refusal(exc: PaymentResultsError) -> None:
    assert exc.problems
    for problem in exc.problems:
        assert problem.line >= 1
        assert problem.field in ("", *LABELS.values())
        assert_staff_message(problem.message)
    for line in str(exc).split("\n"):
        assert re.match(r"[0-9]+行目: |ほか [0-9]+ 件$", line), line
    assert_printable(str(exc))


def check_results(results) -> None:
    for result in results:
        assert re.fullmatch(r"[1-9][0-9]{0,19}|0", result.payment_number)
        assert re.fullmatch(r"[0-9]{6}", result.confirmation_number)
        assert 0 < result.amount <= MAX_AMOUNT
        assert result.paid_on <= TODAY
        assert result.channel in CHANNELS
    written = "".join(
        f"{r.payment_number},{r.confirmation_number},{r.amount},{r.paid_on},{r.channel}\n"
        for r in results
    )
    again = parse_results(",".join(COLUMNS) + "\n" + written, today=TODAY)
    assert [(r.payment_number, r.amount, r.paid_on) for r in again] == [
        (r.payment_number, r.amount, r.paid_on) for r in results
    ]


def test_the_seed_file_is_valid():
    assert len(parse_results(VALID, today=TODAY)) == 3


@settings(**FAST)
@given(RESULT_TEXTS)
@example(VALID.replace("350", "9" * 5_000))  # was ValueError: int digits limit
@example(VALID.replace("bank", "x" * 200_000))  # was reported as an open quote
@example(VALID.replace("bank", "\ud800"))
@example(VALID.replace("123456", "12345\x00"))
def test_a_result_file_keeps_its_rules_or_every_problem_names_its_line(text):
    try:
        results = parse_results(text, today=TODAY)
    except PaymentResultsError as exc:
        check_refusal(exc)
        return
    check_results(results)


@settings(**FAST)
@given(
    st.one_of(
        RESULT_TEXTS.map(as_bytes),
        st.sampled_from(["cp932", "utf-16", "utf-8-sig"]).map(lambda c: VALID.encode(c)),
        st.binary(max_size=300),
    )
)
def test_result_bytes_decode_and_keep_the_rules_or_are_refused(data):
    try:
        results = parse_results(decode_results(data), today=TODAY)
    except PaymentResultsError as exc:
        check_refusal(exc)
        return
    check_results(results)
