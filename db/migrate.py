"""Schema migrations with Alembic, driven from code so the app can upgrade itself."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from db.models import SEARCH_COLUMN_PREFIX, SEARCH_INDEX_PREFIX, SEARCH_TABLE_PREFIXES

MIGRATIONS = Path(__file__).parent / "migrations"


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


def _config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def make_revision(engine: Engine, message: str) -> None:
    """Developer tool: autogenerate a migration from the models (review it by hand)."""
    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)


def run_dialect_ddl(statements: dict[str, list[str]]) -> None:
    """Inside a migration: run the hand-written DDL for the connection's dialect, in order
    (search structures differ between SQLite and PostgreSQL)."""
    from alembic import op

    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)
