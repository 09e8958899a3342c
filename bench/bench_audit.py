"""Benchmark (not a test): audit rows appended per second, and verify/export of 100,000 rows.

Run: uv run python bench/bench_audit.py [--appends 2000] [--rows 100000]
Appends go one by one through ``db.audit.record`` (a transaction each, the chain lock
taken, the last row read, the hash computed), single thread, on a SQLite file in a temp
dir and, when COUNTER_BENCH_DATABASE_URL is set, on that PostgreSQL server: the audit
log is append-only for good, so a database ``counter_bench_audit`` is created there and
dropped afterwards rather than writing into the one the URL names. The log is then
filled to ``--rows`` with a correctly chained bulk insert, and ``db.audit.verify`` and
``db.audit.export_jsonl`` are timed over all of it.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine, make_url

from counter.audit_chain import AuditEntry, chain_hash
from db.audit import export_jsonl, record, verify
from db.engine import make_engine
from db.migrate import upgrade
from db.models import AuditLogRow

BENCH_DATABASE = "counter_bench_audit"
BATCH = 5_000


def appends_per_second(engine: Engine, count: int) -> float:
    start = time.perf_counter()
    for n in range(count):
        record(engine, action="view", staff_id="bench", terminal="bench", resident_id=f"R{n}")
    return count / (time.perf_counter() - start)


def fill(engine: Engine, rows: int) -> None:
    """Chain rows on from the last one in bulk, as if appended over months."""
    table = AuditLogRow.__table__
    start = datetime(2026, 4, 1, tzinfo=UTC)
    with engine.begin() as connection:
        last = connection.execute(
            select(table.c.id, table.c.row_hash).order_by(table.c.id.desc()).limit(1)
        ).one()
        previous, batch = last.row_hash, []
        for row_id in range(last.id + 1, rows + 1):
            at = start + timedelta(seconds=row_id)
            entry = AuditEntry(row_id, at, "s1", "窓口1", "view", f"H{row_id}", None, "検索 ヨナゴ")
            row_hash = chain_hash(previous, entry)
            batch.append(vars(entry) | {"previous_hash": previous, "row_hash": row_hash})
            previous = row_hash
            if len(batch) == BATCH:
                connection.execute(insert(table), batch)
                batch = []
        if batch:
            connection.execute(insert(table), batch)


def measure(name: str, url: str, appends: int, rows: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    try:
        rate = appends_per_second(engine, appends)
        each = 1000 / rate
        print(
            f"{name:10} appends: {rate:,.0f} rows/s ({appends:,}, {each:.2f} ms each)", flush=True
        )
        fill(engine, rows)
        start = time.perf_counter()
        check = verify(engine)
        verified = time.perf_counter() - start
        if not (check.ok and check.rows == rows):
            raise SystemExit(f"{name}: verify failed: {check}")
        start = time.perf_counter()
        exported = export_jsonl(engine, io.StringIO())
        export_time = time.perf_counter() - start
        print(
            f"{name:10} verify {check.rows:,} rows: {verified:.2f} s; "
            f"export {exported:,} rows: {export_time:.2f} s",
            flush=True,
        )
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=2_000)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="counter-bench-") as directory:
        url = f"sqlite:///{directory}/audit.sqlite3"
        measure("SQLite", url, args.appends, args.rows)
    server_url = os.environ.get("COUNTER_BENCH_DATABASE_URL")
    if not server_url:
        print("PostgreSQL: COUNTER_BENCH_DATABASE_URL is not set, skipped")
        return
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    drop = f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)'
    with admin.connect() as connection:
        connection.execute(text(drop))
        connection.execute(text(f'CREATE DATABASE "{BENCH_DATABASE}"'))
    try:
        url = make_url(server_url).set(database=BENCH_DATABASE)
        measure("PostgreSQL", url.render_as_string(hide_password=False), args.appends, args.rows)
    finally:
        with admin.connect() as connection:
            connection.execute(text(drop))
        admin.dispose()


if __name__ == "__main__":
    main()
