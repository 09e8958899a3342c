"""Reconciliation (消込) on both backends: a match marks the code paid, a problem changes
nothing, and the same file twice changes nothing the second time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import pytest
from conftest import birth_family, case_of
from sqlalchemy import select

from counter.payment import ElqrFields
from counter.payment.results import PaymentResult, file_digest
from counter.rules import plan
from db.engine import make_engine
from db.models import PaymentCodeRow, PaymentResultFileRow
from db.payments import payment_ledger, reconcile
from db.visits import record_visit

PAID_ON = date(2026, 12, 1)


@dataclass(frozen=True)
class Issued:
    visit_id: str
    code: ElqrFields


@pytest.fixture
def visits(engine, catalogue, profile) -> list[Issued]:
    """Three visits with their codes (the first code of each)."""
    answers = {"birth_acceptance_certificate": "yes"}
    case = case_of("birth", "2026-11-20", birth_family(), answers=answers)
    result = plan(case, catalogue, profile, filed_on=date(2026, 11, 24))
    stored = [record_visit(engine, case, result, profile, device_id="t1") for _ in range(3)]
    return [Issued(v.id, v.payments[0].fields) for v in stored]


def paid(issued: Issued, line: int = 2, **changes) -> PaymentResult:
    """A result line that matches the issued code unless ``changes`` say otherwise."""
    code = issued.code
    values = {
        "payment_number": code.payment_number,
        "confirmation_number": code.confirmation_number,
        "amount": code.amount,
        "paid_on": PAID_ON,
        "channel": "convenience_store",
    }
    return PaymentResult(line=line, **(values | changes))


def codes_table(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                select(PaymentCodeRow.__table__).order_by(PaymentCodeRow.payment_number)
            )
        ]


def paid_numbers(engine) -> list[str]:
    return [e.payment_number for e in payment_ledger(engine, status="paid")]


def run(engine, results, name="results.csv"):
    digest = file_digest(repr((name, results)).encode())
    return reconcile(engine, results, file_name=name, digest=digest)


def test_a_match_marks_the_code_paid_with_date_amount_and_channel(engine, visits):
    report = run(engine, [paid(visits[0], channel="smartphone_app")])
    assert report.counts == {"matched": 1}
    assert report.problems == []
    assert "スマホ決済アプリ" in report.lines[0].detail
    ledger = {e.payment_number: e for e in payment_ledger(engine)}
    entry = ledger[visits[0].code.payment_number]
    code = visits[0].code
    assert (entry.status, entry.paid_on, entry.paid_amount, entry.paid_channel) == (
        "paid",
        PAID_ON,
        code.amount,
        "smartphone_app",
    )
    assert entry.reconciled_at is not None
    assert entry.visit_id == visits[0].visit_id
    assert (entry.amount, entry.due_date) == (code.amount, code.due_date)
    others = [ledger[v.code.payment_number] for v in visits[1:]]
    assert [(e.status, e.paid_on) for e in others] == [("issued", None)] * 2
    assert paid_numbers(engine) == [code.payment_number]


def other_confirmation(code) -> str:
    return f"{(int(code.confirmation_number) + 1) % 1_000_000:06d}"


@pytest.mark.parametrize(
    ("changes", "outcome", "detail"),
    [
        (lambda code: {"payment_number": "99999999"}, "unknown", "発行されていません"),
        (
            lambda code: {"confirmation_number": other_confirmation(code)},
            "confirmation_mismatch",
            "確認番号が発行したものと違います",
        ),
        (
            lambda code: {"amount": code.amount + 1},
            "amount_mismatch",
            "円が請求額",
        ),
    ],
)
def test_a_problem_line_is_reported_and_changes_nothing(engine, visits, changes, outcome, detail):
    before = codes_table(engine)
    report = run(engine, [paid(visits[0], **changes(visits[0].code))])
    assert report.counts == {outcome: 1}
    assert detail in report.lines[0].detail
    assert codes_table(engine) == before


def test_a_duplicate_line_is_reported_and_only_the_first_is_applied(engine, visits):
    first, again = paid(visits[0], line=2), paid(visits[0], line=3, paid_on=date(2026, 11, 30))
    report = run(engine, [first, again])
    assert report.counts == {"matched": 1, "duplicate": 1}
    assert report.problems[0].line == 3
    assert "2行目と同じ納付番号" in report.problems[0].detail
    entry = next(e for e in payment_ledger(engine, status="paid"))
    assert entry.paid_on == PAID_ON  # the first line's date, not the duplicate's


def test_matched_lines_of_a_file_with_problems_are_applied(engine, visits):
    report = run(engine, [paid(visits[0]), paid(visits[1], line=3, amount=1)])
    assert report.counts == {"matched": 1, "amount_mismatch": 1}
    assert "消込 1件、問題 1件（金額違い 1件）" in report.summary
    assert paid_numbers(engine) == [visits[0].code.payment_number]
    with engine.connect() as connection:
        stored = connection.execute(select(PaymentResultFileRow.__table__)).one()
    assert (stored.rows, stored.matched, stored.problems) == (2, 1, 1)


def test_the_same_file_twice_changes_nothing_and_says_so(engine, visits):
    data = b"the bytes of one result file"
    results = [paid(visits[0]), paid(visits[1], line=3)]
    first = reconcile(engine, results, file_name="a.csv", digest=file_digest(data))
    assert first.matched == 2
    before = codes_table(engine)
    second = reconcile(engine, results, file_name="copy.csv", digest=file_digest(data))
    assert second.already_imported_at is not None
    assert second.lines == ()
    assert second.summary.startswith("この結果ファイルは取り込み済みです（令和")
    assert "a.csv" in second.summary
    assert codes_table(engine) == before
    with engine.connect() as connection:
        files = connection.execute(select(PaymentResultFileRow.__table__)).all()
    assert len(files) == 1


def test_a_code_paid_by_an_earlier_file_is_reported_as_already_paid(engine, visits):
    run(engine, [paid(visits[0])], name="a.csv")
    before = codes_table(engine)
    report = run(engine, [paid(visits[0], paid_on=date(2026, 12, 2), channel="bank")], name="b.csv")
    assert report.counts == {"already_paid": 1}
    assert (
        report.lines[0].detail == "令和8年12月1日に納付済みです（a.csv で消込）。変更していません"
    )
    assert codes_table(engine) == before


def test_the_collector_limits_the_codes_considered(engine, visits, profile):
    report = reconcile(
        engine,
        [paid(visits[0])],
        file_name="other.csv",
        digest=file_digest(b"other"),
        collector="00000" if profile.collector != "00000" else "00001",
    )
    assert report.counts == {"unknown": 1}
    assert payment_ledger(engine, status="paid") == []


def test_the_ledger_refuses_an_unknown_status(engine):
    with pytest.raises(ValueError, match="状態「lost」は使えません"):
        payment_ledger(engine, status="lost")


TERMINALS = 8


def test_terminals_reconciling_at_once_pay_each_code_once(database_url, visits):
    """Different files naming the same codes, and one file run by every terminal at once."""
    results = [paid(v, line=n) for n, v in enumerate(visits, start=2)]

    def terminal(name: str):
        engine = make_engine(database_url)  # each terminal has its own connection pool
        try:
            return reconcile(engine, results, file_name=name, digest=file_digest(name.encode()))
        finally:
            engine.dispose()

    with ThreadPoolExecutor(max_workers=TERMINALS) as pool:
        different = list(pool.map(terminal, [f"file{n}.csv" for n in range(TERMINALS)]))
        same = list(pool.map(terminal, ["same.csv"] * TERMINALS))

    assert sum(r.matched for r in different) == len(visits)
    assert sum(r.counts.get("already_paid", 0) for r in different) == (
        (TERMINALS - 1) * len(visits)
    )
    assert sum(r.already_imported_at is None for r in same) == 1
    assert [r.counts for r in same if r.already_imported_at is None] == [
        {"already_paid": len(visits)}
    ]
