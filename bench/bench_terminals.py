"""Benchmark (not a test): a hundred terminals on one PostgreSQL server, eight processes
on one SQLite file, each doing whole visits (issue 23).

Run: uv run python bench/bench_terminals.py [--terminals 100] [--visits 10]
     [--processes 8] [--process-visits 25] [--backends postgresql,sqlite]
The work is tests/terminal_day.py's, the one tests/db/test_concurrency.py checks: sign in,
then per visit search the register, plan a 転入 of the household, confirm it with its
payment code, mark a checklist line (each with its audit rows), then sign out. PostgreSQL:
``--terminals`` threads with their own engine and connections, on a throwaway server
(tests/pgserver.py, fsync off) or a database made on COUNTER_BENCH_DATABASE_URL's server.
Then ``--pg-processes`` terminals as processes (each its own interpreter, as separate PCs
are; on a 2-core machine they and the server share two cores, so the times are an upper
bound). SQLite: ``--processes`` processes on one file in a temp dir. Prints the visits per second,
the seconds to confirm a visit (median, p95, max), and checks that no number was given
twice, no visit lost, the audit chain whole and no 「database is locked」 shown.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_stats import postgres_url  # noqa: E402
from conftest import ADMIN_PASSWORD, _cheap_password_hashing, add_staff  # noqa: E402
from terminal_day import fill_register, terminal_day  # noqa: E402

from db.audit import verify  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402

DAY_SCRIPT = ROOT / "tests" / "terminal_day.py"


def prepared(url: str, households: int) -> list[str]:
    engine = make_engine(url)
    upgrade(engine)
    add_staff(engine)
    ids = fill_register(engine, households)
    engine.dispose()
    return ids


def report(backend: str, url: str, visits: list[dict], seconds: float, errors: str) -> None:
    numbers = [v["reception_number"] for v in visits]
    payments = [n for v in visits for n in v["payment_numbers"]]
    confirm = sorted(v["confirm_seconds"] for v in visits)
    p95 = confirm[max(0, round(0.95 * len(confirm)) - 1)]
    engine = make_engine(url)
    check = verify(engine)
    engine.dispose()
    whole = (sorted(numbers) == list(range(1, len(visits) + 1))
             and len(set(payments)) == len(payments) and check.ok)  # fmt: skip
    rate = len(visits) / seconds
    print(f"  {backend}: {len(visits):,} visits in {seconds:.1f} s ({rate:.1f}/s); "
          f"confirm median {statistics.median(confirm) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
          f"max {confirm[-1] * 1000:.0f} ms; numbers unique and none lost, audit chain "
          f"{check.rows:,} rows intact: {'✔' if whole else '✘'}; "
          f"「database is locked」 shown: {'yes ✘' if 'locked' in errors else 'never ✔'}",
          flush=True)  # fmt: skip


def on_postgresql(url: str, terminals: int, visits: int) -> None:
    ids = prepared(url, terminals * visits)
    started = time.perf_counter()

    def terminal(number: int) -> list[dict]:
        mine = ids[number * visits : (number + 1) * visits]
        return [vars(v) for v in terminal_day(url, "kanri", ADMIN_PASSWORD, f"t{number:03d}", mine)]

    with ThreadPoolExecutor(max_workers=terminals) as pool:
        done = [v for day in pool.map(terminal, range(terminals)) for v in day]
    report(f"PostgreSQL, {terminals} terminals", url, done, time.perf_counter() - started, "")


def in_processes(label: str, url: str, processes: int, visits: int) -> None:
    """Each terminal a process of its own (its own interpreter and connections)."""
    ids = prepared(url, processes * visits)
    started = time.perf_counter()
    running = [
        subprocess.Popen(
            [sys.executable, str(DAY_SCRIPT), url, "kanri", f"p{n}",
             ",".join(ids[n * visits : (n + 1) * visits])],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(processes)
    ]  # fmt: skip
    outputs = [p.communicate(f"{ADMIN_PASSWORD}\n") for p in running]
    seconds = time.perf_counter() - started
    failed = [e for p, (_, e) in zip(running, outputs, strict=True) if p.returncode != 0]
    if failed:
        print(f"  {label}: {len(failed)} processes failed:\n{failed[0]}")
    done = [json.loads(line) for out, _ in outputs for line in out.splitlines()]
    report(f"{label}, {processes} processes", url, done, seconds, "".join(e for _, e in outputs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terminals", type=int, default=100)
    parser.add_argument("--visits", type=int, default=10)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument(
        "--pg-processes",
        type=int,
        default=100,
        help="PostgreSQL terminals as processes too (0: threads only)",
    )
    parser.add_argument("--pg-process-visits", type=int, default=5)
    parser.add_argument("--process-visits", type=int, default=25)
    parser.add_argument("--backends", default="postgresql,sqlite")
    args = parser.parse_args()
    _cheap_password_hashing()  # the accounts are made and checked at a test's cost
    backends = args.backends.split(",")
    with tempfile.TemporaryDirectory(prefix="counter-bench-") as folder:
        os.environ["COUNTER_DATA_DIR"] = folder  # the audit key and heads: the bench's own
        if "postgresql" in backends:
            with postgres_url() as url:
                on_postgresql(url, args.terminals, args.visits)
            if args.pg_processes:
                with postgres_url() as url:
                    in_processes("PostgreSQL", url, args.pg_processes, args.pg_process_visits)
        if "sqlite" in backends:
            sqlite = f"sqlite:///{folder}/terminals.sqlite3"
            in_processes("SQLite", sqlite, args.processes, args.process_visits)


if __name__ == "__main__":
    main()
