"""Visits written per second with 20 terminals at once, on SQLite and PostgreSQL.

Run: uv run python bench/bench_visits.py [--terminals 20] [--visits 50]
     [--backends sqlite,postgresql]
Each terminal is a thread with its own engine (its own connection pool, as a separate
counter PC would have) and records ``--visits`` visits through ``db.visits.record_visit``
with a real plan (出生, a family of three, through the full catalogue and the 米子市
profile: several procedures and an eL-QR payment code each). Prints visits/s and checks
that no reception number or payment number was handed out twice and none was lost.
PostgreSQL: a throwaway server from tests/pgserver.py (fsync off, as in the tests), or
COUNTER_BENCH_POSTGRES_URL (a database ``counter_bench_visits`` is created there).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import birth_family, case_of  # noqa: E402

from counter.catalogue import load_catalogue  # noqa: E402
from counter.profile import load_profile  # noqa: E402
from counter.rules import plan  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.visits import record_visit  # noqa: E402


def run(url: str, terminals: int, visits: int) -> tuple[float, int, int, int]:
    profile = load_profile("312029")
    catalogue = load_catalogue().with_profile(profile)
    answers = {"birth_acceptance_certificate": "yes"}
    case = case_of("birth", "2026-11-20", birth_family(), answers=answers)
    result = plan(case, catalogue, profile, filed_on=date(2026, 11, 24))
    engines = [make_engine(url) for _ in range(terminals)]

    def terminal(number: int) -> list[int]:
        engine = engines[number]
        return [
            record_visit(engine, case, result, profile, device_id=f"t{number}").reception_number
            for _ in range(visits)
        ]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=terminals) as pool:
        numbers = [n for batch in pool.map(terminal, range(terminals)) for n in batch]
    elapsed = time.perf_counter() - started
    for engine in engines:
        engine.dispose()
    check = make_engine(url)
    with check.connect() as connection:
        stored = connection.execute(text("SELECT count(DISTINCT reception_number) FROM visit"))
        distinct_visits = stored.scalar_one()
        payments = connection.execute(
            text("SELECT count(*), count(DISTINCT payment_number) FROM payment_code")
        ).one()
    check.dispose()
    total = terminals * visits
    assert sorted(numbers) == list(range(1, total + 1)), "duplicate or missing reception number"
    assert distinct_visits == total, "a visit was lost"
    assert payments[0] == payments[1], "a payment number was handed out twice"
    return total / elapsed, total, len(set(numbers)), payments[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terminals", type=int, default=20)
    parser.add_argument("--visits", type=int, default=50)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    server = None
    with tempfile.TemporaryDirectory(prefix="counter-bench-") as directory:
        try:
            for backend in args.backends.split(","):
                if backend == "sqlite":
                    url = f"sqlite:///{directory}/visits.sqlite3"
                else:
                    server_url = os.environ.get("COUNTER_BENCH_POSTGRES_URL")
                    if not server_url:
                        from pgserver import ThrowawayPostgres

                        server = ThrowawayPostgres()
                        server_url = server.start()
                    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
                    with admin.connect() as connection:
                        connection.execute(
                            text('DROP DATABASE IF EXISTS "counter_bench_visits" WITH (FORCE)')
                        )
                        connection.execute(text('CREATE DATABASE "counter_bench_visits"'))
                    admin.dispose()
                    url = make_url(server_url).set(database="counter_bench_visits")
                    url = url.render_as_string(hide_password=False)
                engine = make_engine(url)
                upgrade(engine)
                engine.dispose()
                rate, total, distinct, payments = run(url, args.terminals, args.visits)
                print(
                    f"{backend:10} {args.terminals} terminals × {args.visits} visits: "
                    f"{rate:6.1f} visits/s; {distinct}/{total} distinct reception numbers, "
                    f"{payments} distinct payment numbers",
                    flush=True,
                )
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()
