"""Where the program keeps its data and which database it opens: no SQL library here.

Kept apart from ``db.engine`` so the screens can find the data directory (the log file,
the slips) without importing SQLAlchemy before the first screen is painted.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "madoguchi-counter"
URL_ENVIRONMENT = "COUNTER_DATABASE_URL"
DEVICE_ENVIRONMENT = "COUNTER_DEVICE_ID"
DEVICE_ID_LENGTH = 64
DATA_DIR_ENVIRONMENT = "COUNTER_DATA_DIR"


def data_dir() -> Path:
    """COUNTER_DATA_DIR, else the platform's user data directory."""
    explicit = os.environ.get(DATA_DIR_ENVIRONMENT)
    return Path(explicit) if explicit else Path(user_data_dir(APP_NAME, appauthor=False))


PRIVATE_UMASK = 0o077


def named_file(variable: str, default_name: str) -> Path:
    """The file an environment variable names, else ``default_name`` in the data directory
    (the audit key, the audit head, each kept outside the database)."""
    named = os.environ.get(variable, "").strip()
    return Path(named) if named else data_dir() / default_name


def keep_private() -> None:
    """Everything the program writes is readable by its own account only, whatever the
    umask it was started with: the register holds 機密性3 data and a counter PC has
    other accounts. The process umask becomes 077 (directories 0700, files 0600: the
    database and its WAL and SHM, the log, slips, forms, key files, exports, QR images),
    and a data directory an older version made 0755 is closed to others."""
    os.umask(PRIVATE_UMASK)
    folder = data_dir()
    if folder.is_dir() and folder.stat().st_mode & 0o077:
        folder.chmod(0o700)


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'counter.sqlite3'}"


def database_url(explicit: str | None = None) -> str:
    """--database-url beats COUNTER_DATABASE_URL beats the embedded default."""
    return explicit or os.environ.get(URL_ENVIRONMENT) or default_database_url()


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///…`` URL (None for any other database or in memory)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url[len(prefix) :] in ("", ":memory:"):
        return None
    return Path(url[len(prefix) :])


def device_id() -> str:
    """This terminal's name on visits and in the audit log: COUNTER_DEVICE_ID, else the
    host name."""
    return (os.environ.get(DEVICE_ENVIRONMENT) or socket.gethostname())[:DEVICE_ID_LENGTH]
