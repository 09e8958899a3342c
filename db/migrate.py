"""Schema migrations with Alembic, driven from code so the app can upgrade itself."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


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
