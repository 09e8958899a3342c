"""Schema migrations with Alembic, driven from code so the app can upgrade itself.

An upgrade is one transaction, all or nothing, on both backends (SQLite runs DDL inside
it too: ``db.engine``). Upgrades wait for one another: SQLite takes the write lock at
``BEGIN IMMEDIATE``, PostgreSQL an advisory lock, so eight terminals starting at once for
the first time build the schema once and the others find it done. A database left half
built by a version before this (its first upgrade killed half-way, when SQLite still ran
each CREATE on its own) is recognised and named with the command that repairs it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from db.models import SEARCH_COLUMN_PREFIX, SEARCH_INDEX_PREFIX, SEARCH_TABLE_PREFIXES

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"
MIGRATION_LOCK = 7_301_202_6  # PostgreSQL advisory lock key of schema changes
REPAIR = "counter db repair"
HALF_BUILT = (
    "データベースが途中まで作られた状態です（以前の版の初回起動か移行が中断されました）。"
    f"「{REPAIR}」で作り直してください"
)


class SchemaHalfBuilt(RuntimeError):
    """The schema is neither absent nor whole; the message names the repair command."""


class RepairRefused(RuntimeError):
    """A half-built database that holds data is not dropped; the message says why."""


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate ignores the search structures migrations 0003 and 0004 write by hand
    (FTS5 tables and their shadow tables, expression and trigram indexes, trigger-filled
    columns): they have no model."""
    prefixes = {
        "table": SEARCH_TABLE_PREFIXES,
        "index": (SEARCH_INDEX_PREFIX,),
        "column": (SEARCH_COLUMN_PREFIX,),
    }.get(type_, ())
    return not (name and name.startswith(prefixes))


def _config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The newest migration's revision id, read from the migration files' own
    ``revision`` and ``down_revision`` lines: a command that finds its database current
    never loads Alembic or the migrations (a sixth of a second of every start; a test
    holds this to Alembic's own answer)."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revisions.update(re.findall(r'^revision = "([^"]+)"', source, re.MULTILINE))
        parents.update(re.findall(r'^down_revision = "([^"]+)"', source, re.MULTILINE))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"マイグレーションの最新版が一つに決まりません（{sorted(heads)}）")
    return heads.pop()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None when it has none)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _locked(connection: Connection) -> Connection:
    """The connection inside one transaction that holds the schema lock (see module)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    return connection


def _check_whole(connection: Connection) -> None:
    """Raise SchemaHalfBuilt for tables without a recorded revision."""
    tables = set(inspect(connection).get_table_names()) - {VERSION_TABLE}
    if tables and current_revision(connection) is None:
        raise SchemaHalfBuilt(HALF_BUILT)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (see the module); a database already at the
    newest revision is only looked at."""
    if revision == "head":
        with engine.connect() as connection:
            if current_revision(connection) == head_revision():
                return
    from alembic import command

    with engine.connect() as plain:
        connection = plain.execution_options(write_lock=True)
        with connection.begin():
            _check_whole(_locked(connection))
            try:
                command.upgrade(_config(connection), revision)
            except (OperationalError, ProgrammingError) as exc:
                if "already exists" in str(exc.orig):  # a migration's tables are there
                    raise SchemaHalfBuilt(HALF_BUILT) from exc
                raise


def check_current(engine: Engine) -> None:
    """For commands that use a database but must not change it: raise SchemaHalfBuilt
    for a half-built one, LookupError when it is not at the newest revision."""
    with engine.connect() as connection:
        _check_whole(connection)
        if current_revision(connection) != head_revision():
            raise LookupError(
                "データベースの形が古いか、まだ作られていません。"
                "「counter db upgrade」を実行してください"
            )


def repair(engine: Engine) -> None:
    """Build a half-built schema again: drop what is there and upgrade, in one
    transaction. Refused (RepairRefused) when any table holds a row: data is never
    dropped; a database that is whole is only upgraded."""
    with engine.connect() as plain:
        connection = plain.execution_options(write_lock=True)
        with connection.begin():
            _locked(connection)
            try:
                _check_whole(connection)
            except SchemaHalfBuilt:
                _drop_empty_schema(connection)
            from alembic import command

            command.upgrade(_config(connection), "head")


def _drop_empty_schema(connection: Connection) -> None:
    # The search tables are built from the register's own rows (and FTS keeps rows of its
    # own even when empty): what counts is whether any table of records has one.
    records = [
        name
        for name in inspect(connection).get_table_names()
        if name != VERSION_TABLE and not name.startswith(SEARCH_TABLE_PREFIXES)
    ]
    for name in records:
        if connection.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first():
            raise RepairRefused(
                f"データがあるため自動では作り直せません（{name} に記録があります）。"
                "バックアップから戻すか、システムの担当者に連絡してください"
            )
    if connection.dialect.name == "sqlite":  # FTS tables and triggers first, then the rest
        for kind in ("trigger", "view", "table"):
            names = connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = :kind AND name NOT LIKE "
                     "'sqlite_%' ORDER BY name DESC"),
                {"kind": kind},
            ).scalars().all()  # fmt: skip
            for name in names:
                if kind != "table" or inspect(connection).has_table(name):
                    connection.exec_driver_sql(f'DROP {kind.upper()} IF EXISTS "{name}"')
        return
    metadata = MetaData()
    metadata.reflect(connection)
    metadata.drop_all(connection)


def make_revision(engine: Engine, message: str) -> None:
    """Developer tool: autogenerate a migration from the models (review it by hand)."""
    from alembic import command

    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)


def run_dialect_ddl(statements: dict[str, list[str]]) -> None:
    """Inside a migration: run the hand-written DDL for the connection's dialect, in order
    (search structures differ between SQLite and PostgreSQL)."""
    from alembic import op

    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)
