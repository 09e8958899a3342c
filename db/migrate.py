"""Schema migrations with Alembic, driven from code so the app can upgrade itself."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from db.models import SEARCH_INDEX_PREFIX, SEARCH_TABLE_PREFIXES

MIGRATIONS = Path(__file__).parent / "migrations"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate ignores the search structures migration 0003 writes by hand (FTS5
    tables and their shadow tables, expression and trigram indexes): they have no model."""
    if type_ == "table" and name and name.startswith(SEARCH_TABLE_PREFIXES):
        return False
    return not (type_ == "index" and name and name.startswith(SEARCH_INDEX_PREFIX))


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
