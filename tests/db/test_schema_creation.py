"""Creating and upgrading the schema is all or nothing (issue 22, point 2).

Found in a hostile run: kill -9 during the first `counter db upgrade` left half a schema,
and every later command failed blaming something else; 8 first starts at once failed 2.
Each test here does what was done then: real processes, a real kill -9, a real second
process on the same file or server.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from db.engine import make_engine
from db.migrate import head_revision

# A `counter db upgrade` whose every SQL statement takes 50 ms, so a kill lands mid-way.
SLOW_UPGRADE = """
import sys, time
from sqlalchemy import event
from sqlalchemy.engine import Engine

@event.listens_for(Engine, "before_cursor_execute")
def slow(*args):
    time.sleep(0.05)

from counter.cli import main
sys.exit(main(["--database-url", sys.argv[1], "db", "upgrade"]))
"""


def counter(*args: str, url: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "counter.cli", "--database-url", url, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


STARTS = 4


def revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


@pytest.mark.parametrize("after", [0.8, 2.0, 4.0])
def test_a_first_upgrade_killed_midway_leaves_nothing_half_built(tmp_path, after):
    url = f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    process = subprocess.Popen([sys.executable, "-c", SLOW_UPGRADE, url])
    time.sleep(after)
    assert process.poll() is None, "the upgrade ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # What is left is either nothing or the whole schema: never a part of it.
    with sqlite3.connect(tmp_path / "counter.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables <= {"alembic_version"} or "mynumber_vault" in tables, sorted(tables)
    again = counter("db", "upgrade", url=url)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert revision(url) == head_revision()


def first_starts_at_once_succeed(url: str) -> None:
    """Four processes upgrade the same new database at once: each exits 0 and the schema
    is whole. (The hostile run started eight; any two racing for the schema met the same
    fault, and four keep three waiting on the first.)"""
    starts = [
        subprocess.Popen(
            [sys.executable, "-m", "counter.cli", "--database-url", url, "db", "upgrade"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(STARTS)
    ]  # fmt: skip
    results = [(p.wait(timeout=180), p.stderr.read()) for p in starts]
    assert [code for code, _ in results] == [0] * STARTS, results
    assert revision(url) == head_revision()


def test_first_starts_at_once_all_succeed_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    first_starts_at_once_succeed(url)


def test_first_starts_at_once_all_succeed_on_postgresql(postgres_server):
    admin = make_engine(postgres_server).execution_options(isolation_level="AUTOCOMMIT")
    name = f"counter_first_starts_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    try:
        first_starts_at_once_succeed(url)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def half_built_by_an_older_version(path: Path) -> None:
    """What a kill -9 of the first upgrade of the version before this fix left: SQLite ran
    each CREATE on its own, so the version table and the first tables stayed, empty."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        db.execute(
            "CREATE TABLE household (id VARCHAR(40) NOT NULL, municipality VARCHAR(6) NOT NULL, "
            "postal_code VARCHAR(7) NOT NULL, address VARCHAR NOT NULL, PRIMARY KEY (id))"
        )


def test_a_database_half_built_by_an_older_version_is_named_and_repaired(tmp_path):
    path = tmp_path / "counter.sqlite3"
    half_built_by_an_older_version(path)
    url = f"sqlite:///{path}"
    refused = counter("db", "upgrade", url=url)
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in refused.stderr
    assert "途中まで作られた" in lines[0] and "counter db repair" in lines[0]
    planned = counter("audit", "verify", url=url)  # every other command says the same
    assert planned.returncode == 1 and "counter db repair" in planned.stderr
    repaired = counter("db", "repair", url=url)
    assert repaired.returncode == 0, repaired.stderr
    assert revision(url) == head_revision()
    assert counter("db", "upgrade", url=url).returncode == 0


def test_a_half_built_database_holding_data_is_not_repaired_by_dropping_it(tmp_path):
    path = tmp_path / "counter.sqlite3"
    half_built_by_an_older_version(path)
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO household VALUES ('H1', '312029', '6830823', '加茂町')")
    url = f"sqlite:///{path}"
    refused = counter("db", "repair", url=url)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "データがあるため" in refused.stderr
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT id FROM household").fetchall() == [("H1",)]


def test_an_upgrade_killed_between_two_migrations_leaves_the_older_schema_whole(tmp_path):
    """A database at 0014 brought to the newest revision, killed -9 inside 0016 once 0015
    has run: the upgrade is one transaction, so it is still whole at 0014, opens, and the
    next upgrade brings it up."""
    from killer import counter as killable

    from db.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine, "0014")
    engine.dispose()
    killed = killable("--database-url", url, "db", "upgrade",
                      kill=("alembic.op", "add_column", 0, "before"))  # fmt: skip
    assert killed.returncode == -9
    assert revision(url) == "0014"
    with sqlite3.connect(tmp_path / "counter.sqlite3") as db:  # 0015's dropped index is back
        indexes = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
        columns = {row[1] for row in db.execute("PRAGMA table_info(audit_log)")}
    assert "ix_visit_procedure_handoffs" in indexes and "row_mark" not in columns
    again = counter("db", "upgrade", url=url)
    assert again.returncode == 0, again.stderr
    assert revision(url) == head_revision()
