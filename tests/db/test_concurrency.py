"""Many terminals at once: numbers allocated in the transaction never collide."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from conftest import birth_family, case_of
from sqlmodel import Session, select

from counter.rules import plan
from db.engine import make_engine
from db.models import PaymentCodeRow, VisitRow
from db.visits import record_visit

TERMINALS = 20
VISITS_EACH = 50


def test_twenty_terminals_fifty_visits_each(database_url, catalogue, profile):
    answers = {"birth_acceptance_certificate": "yes"}
    case = case_of("birth", "2026-11-20", birth_family(), answers=answers)
    result = plan(case, catalogue, profile, filed_on=date(2026, 11, 24))

    def terminal(number: int) -> list[int]:
        engine = make_engine(database_url)  # each terminal has its own connection pool
        try:
            return [
                record_visit(engine, case, result, profile, device_id=f"t{number}").reception_number
                for _ in range(VISITS_EACH)
            ]
        finally:
            engine.dispose()

    with ThreadPoolExecutor(max_workers=TERMINALS) as pool:
        numbers = [n for batch in pool.map(terminal, range(TERMINALS)) for n in batch]

    total = TERMINALS * VISITS_EACH
    assert sorted(numbers) == list(range(1, total + 1))  # no duplicate, no gap
    engine = make_engine(database_url)
    with Session(engine) as session:
        visits = session.exec(select(VisitRow.reception_number)).all()
        payments = session.exec(select(PaymentCodeRow.payment_number)).all()
    engine.dispose()
    assert len(visits) == total and len(set(visits)) == total  # no lost visit
    assert len(payments) == total and len(set(payments)) == total
