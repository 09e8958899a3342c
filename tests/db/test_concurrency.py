"""Many terminals at once (issue 23): a hundred on one PostgreSQL server, as threads with
their own connections, and eight processes on one SQLite file, each doing whole visits
(tests/terminal_day.py). No 受付番号 or payment number given twice, no visit lost, the
audit chain whole, and no 「database is locked」 ever shown. bench/bench_terminals.py
times the same work at length."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD, add_staff
from sqlmodel import Session, col, select
from terminal_day import CITY, fill_register, terminal_day

from counter.catalogue import load_catalogue
from counter.profile import load_profile
from db.audit import verify
from db.engine import make_engine
from db.models import PaymentCodeRow, VisitProcedureRow, VisitRow

DAY_SCRIPT = Path(__file__).resolve().parents[1] / "terminal_day.py"


def check_the_day(url: str, visits: list, expected: int) -> None:
    """Numbers 1..expected once each, every visit stored with its codes and its marked
    line, and the audit chain intact."""
    numbers = sorted(v["reception_number"] for v in visits)
    assert numbers == list(range(1, expected + 1))  # no duplicate, no gap
    payments = [n for v in visits for n in v["payment_numbers"]]
    assert payments and len(set(payments)) == len(payments)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            stored = session.exec(select(VisitRow.reception_number)).all()
            codes = session.exec(select(PaymentCodeRow.payment_number)).all()
            marked = session.exec(
                select(VisitProcedureRow.visit_id).where(
                    col(VisitProcedureRow.checklist_status) == "done_here"
                )
            ).all()
        assert sorted(stored) == numbers and sorted(codes) == sorted(payments)
        assert len(set(marked)) == expected  # every visit's first line marked
        check = verify(engine)
        assert check.ok, check.reason
        # per visit: search, confirm, mark; per terminal: sign-in and sign-out at least
        assert check.rows >= 3 * expected
    finally:
        engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_hundred_terminals_on_one_postgresql_server(database_url):
    engine = make_engine(database_url)
    add_staff(engine)
    households = fill_register(engine, 100)
    engine.dispose()
    rules = (load_profile(CITY), load_catalogue())  # one process: read once, not per thread

    def terminal(number: int) -> list:
        day = terminal_day(database_url, "kanri", ADMIN_PASSWORD, f"t{number:03d}",
                           [households[number]], rules)  # fmt: skip
        return [vars(v) for v in day]

    with ThreadPoolExecutor(max_workers=100) as pool:
        visits = [v for day in pool.map(terminal, range(100)) for v in day]
    check_the_day(database_url, visits, 100)


def test_eight_processes_on_one_sqlite_file(sqlite_url):
    """Eight local processes (the small office, the laptop): each waits its turn for the
    write lock; none is told the database is locked."""
    engine = make_engine(sqlite_url)
    households = fill_register(engine, 24)
    engine.dispose()
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                str(DAY_SCRIPT),
                sqlite_url,
                "kanri",
                f"p{n}",
                ",".join(households[3 * n : 3 * n + 3]),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    outputs = [p.communicate(f"{ADMIN_PASSWORD}\n", timeout=240) for p in processes]
    for process, (_, errors) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, errors
        assert "locked" not in errors and "Traceback" not in errors
    visits = [json.loads(line) for out, _ in outputs for line in out.splitlines()]
    check_the_day(sqlite_url, visits, 24)
