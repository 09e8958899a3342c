"""Benchmark (not a test): the figures of a year of a 150,000-resident city's counter.

Run: uv run python bench/bench_stats.py [--visits 60000] [--runs 5]
     [--backends sqlite,postgresql] [--revision 0013]
Fills a database with ``--visits`` demo visits over the open days of the year before
2026-11-20 (``counter.demo_visits``, the visits of ``counter demo-data --visits``: lines,
hand-offs, forms and payment codes), stored by ``db.demo_visits`` on a migrated SQLite
file in a temp dir and on PostgreSQL: a database ``counter_bench_stats`` created on the
server at COUNTER_BENCH_DATABASE_URL and dropped afterwards, or a throwaway server from
tests/pgserver.py when it is not set. PostgreSQL is VACUUM ANALYZEd after each load (as
its autovacuum does soon after); SQLite is not (the program never runs ANALYZE). Then
``db.stats.figures`` for the whole year: the first run on a freshly opened engine (cold:
new connection, nothing prepared; the OS cache is warm from the load) and the median of
``--runs`` more. Twice: the demo visits as stored (no case, no plan), then with every
visit holding the case and plan a real one keeps until the retention purge (a certificate
request's, or a 4-member 転入's: tests/typical_visits.py). ``--revision`` migrates to an
earlier schema (0013: before the figures indexes of 0014). Target (issue 19): ≤ 1 s.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text, update
from sqlalchemy.engine import Engine, make_url
from sqlmodel import col

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from typical_visits import TYPICAL_ANSWERS, move_in_of_four  # noqa: E402

from counter.catalogue import load_catalogue  # noqa: E402
from counter.demo_visits import VisitFacts, generate_visits  # noqa: E402
from counter.interchange import event_case_to_dict  # noqa: E402
from counter.profile import load_profile  # noqa: E402
from counter.rules import plan as plan_event  # noqa: E402
from db.demo_visits import save_demo_visits  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import VisitRow  # noqa: E402
from db.stats import figures  # noqa: E402
from workflows.certificates import CertificateChoices, certificate_visit  # noqa: E402
from workflows.demo_visits import visit_shapes  # noqa: E402

CITY = "312029"
TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
BENCH_DATABASE = "counter_bench_stats"


def measure(backend: str, url: str, visits: list[VisitFacts], runs: int, revision: str) -> None:
    engine = make_engine(url)
    upgrade(engine, revision)
    started = time.perf_counter()
    save_demo_visits(engine, CITY, lambda households: visits)
    print(f"{backend}: {len(visits):,} visits ({visits[0].office_date} – "
          f"{visits[-1].office_date}) stored in {time.perf_counter() - started:.1f} s")  # fmt: skip
    time_figures(backend, engine, visits, runs, "demo visits as stored")
    started = time.perf_counter()
    with engine.begin() as connection:
        for certificate, (case, plan) in stored_cases().items():
            connection.execute(
                update(VisitRow)
                .where((col(VisitRow.event) == "certificate") == certificate)
                .values(case_json=case, plan_json=plan)
            )
    print(f"{backend}: cases and plans written in {time.perf_counter() - started:.1f} s")
    time_figures(backend, engine, visits, runs, "with their cases and plans")
    engine.dispose()


def time_figures(backend: str, engine: Engine, visits: list[VisitFacts], runs: int,
                 shape: str) -> None:  # fmt: skip
    """The year's figures on a freshly opened engine: the cold run, then ``runs`` more."""
    if backend == "PostgreSQL":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    start, end = visits[0].office_date, visits[-1].office_date
    times = []
    for _ in range(runs + 1):
        began = time.perf_counter()
        result = figures(engine, CITY, start, end)
        times.append(time.perf_counter() - began)
    assert result.visits == len(visits)
    median = statistics.median(times[1:])
    print(
        f"  {backend:10} {shape:26} figures cold {times[0] * 1000:5.0f} ms, median of {runs} "
        f"{median * 1000:5.0f} ms (min {min(times[1:]) * 1000:.0f}, max "
        f"{max(times[1:]) * 1000:.0f}) {'✔' if max(times[0], median) <= 1 else '✘'} ≤ 1 s",
        flush=True,
    )


def stored_cases() -> dict[bool, tuple[str, str]]:
    """The case and plan JSON stored with a certificate request (True: one 住民票の写し of
    the household, asked by its head) and with a life event (a 4-member 転入)."""
    profile, catalogue, on = load_profile(CITY), load_catalogue(), TODAY
    move_in = move_in_of_four(answers=TYPICAL_ANSWERS["move_in"])
    choices = CertificateChoices.start(move_in.household)
    request = certificate_visit(choices.decision(on, profile), move_in.household, profile,
                                catalogue, on=on)  # fmt: skip
    return {
        certificate: (
            json.dumps(event_case_to_dict(case), ensure_ascii=False),
            json.dumps(plan.to_json(), ensure_ascii=False),
        )
        for certificate, case, plan in (
            (True, request.cases[0], request.plan),
            (False, move_in, plan_event(move_in, catalogue, profile, filed_on=on)),
        )
    }


@contextmanager
def postgres_url() -> Iterator[str]:
    """A database for the bench on the server at COUNTER_BENCH_DATABASE_URL, or on a
    throwaway server; dropped afterwards."""
    server, server_url = None, os.environ.get("COUNTER_BENCH_DATABASE_URL")
    if not server_url:
        from pgserver import ThrowawayPostgres

        server = ThrowawayPostgres()
        server_url = server.start()
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    drop = f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)'
    try:
        with admin.connect() as connection:
            connection.execute(text(drop))
            connection.execute(text(f'CREATE DATABASE "{BENCH_DATABASE}"'))
        yield (
            make_url(server_url).set(database=BENCH_DATABASE).render_as_string(hide_password=False)
        )
        with admin.connect() as connection:
            connection.execute(text(drop))
    finally:
        admin.dispose()
        if server is not None:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--revision", default="head")
    args = parser.parse_args()
    profile = load_profile(CITY)
    started = time.perf_counter()
    visits = generate_visits(args.visits, visit_shapes(profile, TODAY), profile, [],
                             today=TODAY, now=NOW, seed=19)  # fmt: skip
    print(f"{len(visits):,} visits drawn in {time.perf_counter() - started:.1f} s", flush=True)
    # The drawn visits are millions of objects the program never holds: out of the
    # collector's sight, or a full collection lands in a timed run (half a second).
    gc.freeze()
    backends = args.backends.split(",")
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory(prefix="counter-bench-") as directory:
            url = f"sqlite:///{directory}/stats.sqlite3"
            measure("SQLite", url, visits, args.runs, args.revision)
    if "postgresql" in backends:
        with postgres_url() as url:
            measure("PostgreSQL", url, visits, args.runs, args.revision)


if __name__ == "__main__":
    main()
