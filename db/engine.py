"""The engine factory: an embedded SQLite file by default, PostgreSQL by URL.

SQLite gets the settings a single-writer embedded database needs (WAL, NORMAL sync,
a busy timeout, foreign keys); PostgreSQL gets pre-ping so counters survive a restart
of the shared server. Statement parameters are hidden from error messages: they carry
personal data, and error messages end up in the log.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

APP_NAME = "madoguchi-counter"
URL_ENVIRONMENT = "COUNTER_DATABASE_URL"


DATA_DIR_ENVIRONMENT = "COUNTER_DATA_DIR"


def data_dir() -> Path:
    """COUNTER_DATA_DIR, else the platform's user data directory."""
    explicit = os.environ.get(DATA_DIR_ENVIRONMENT)
    return Path(explicit) if explicit else Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'counter.sqlite3'}"


def database_url(explicit: str | None = None) -> str:
    """--database-url beats COUNTER_DATABASE_URL beats the embedded default."""
    return explicit or os.environ.get(URL_ENVIRONMENT) or default_database_url()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
