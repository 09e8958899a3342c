"""Migrations reproduce the models exactly, and go down and up again, on both backends."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from db import models  # noqa: F401  (registers the tables)
from db.migrate import _config, head_revision, include_object, upgrade


def test_migrations_match_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_downgrade_to_the_first_revision_and_back(engine):
    with engine.begin() as connection:
        command.downgrade(_config(connection), "0001")
    upgrade(engine)
    with engine.connect() as connection:
        head = ScriptDirectory.from_config(_config(connection)).get_current_head()
        assert MigrationContext.configure(connection).get_current_revision() == head


def test_the_head_read_from_the_files_is_alembics_own():
    """db.migrate reads the newest revision from the migration files without Alembic (so a
    current database never loads it); it must be the head Alembic finds."""
    assert head_revision() == ScriptDirectory.from_config(_config(None)).get_current_head()
