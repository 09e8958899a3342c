"""The outreach laptop's store: a SQLCipher database file under a passphrase.

The same schema (the Alembic migrations) and the same SQLite settings as the plain file
(``db.engine.apply_sqlite_settings``: WAL, which SQLCipher encrypts too, the busy
timeout, foreign keys, ``BEGIN IMMEDIATE`` for writes), through SQLAlchemy's
``sqlite+pysqlcipher`` dialect (module sqlcipher3). The passphrase travels only in the
URL object's password, which SQLAlchemy masks whenever a URL is shown (``***``), and is
never put into a message: a wrong passphrase and a file that is not an outreach file
give the same Japanese line.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event, pool
from sqlalchemy.engine import URL, Engine
from sqlmodel import Session, create_engine, select

from db.engine import apply_sqlite_settings, busy_seconds, check_embedded_location
from db.models import OutreachLaptopRow
from db.outreach_unlock import NOT_OPENED, StoreRefused, UnlockedFile, unlock

__all__ = [
    "NOT_OPENED",
    "StoreRefused",
    "create_store",
    "open_store",
    "open_unlocked",
    "store_engine",
]


def store_engine(path: Path, passphrase: str) -> Engine:
    """The engine of the encrypted file ``path`` (made on first write); nothing checked yet.

    ``passphrase`` may also be a raw key (``x'…'``, see ``db.outreach_unlock``)."""
    if not passphrase:
        raise StoreRefused("合言葉が空です")
    check_embedded_location(path)
    url = URL.create("sqlite+pysqlcipher", password=passphrase, database=str(path))
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_seconds()},
        poolclass=pool.QueuePool,  # as the plain file: threads of the app share a few
        hide_parameters=True,
    )
    event.listen(engine, "connect", _quiet_cipher)  # before the first read of a page
    apply_sqlite_settings(engine)
    return engine


def _quiet_cipher(dbapi_connection, _record) -> None:
    """SQLCipher writes its own lines to stderr when a page does not decrypt (a wrong
    passphrase): staff get one Japanese line instead."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA cipher_log_level = NONE")
    cursor.close()


def create_store(path: Path, passphrase: str) -> Engine:
    """A new encrypted store at ``path`` with the whole schema. Refuses a file that exists."""
    from db.migrate import upgrade

    if path.exists():
        raise StoreRefused(f"ファイル {path.name} はもうあります。上書きはしません")
    engine = store_engine(path, passphrase)
    upgrade(engine)
    return engine


def open_store(path: Path, passphrase: str) -> tuple[Engine, OutreachLaptopRow]:
    """The engine of an existing outreach file and its laptop row; StoreRefused (the same
    line for a wrong passphrase, a plain SQLite file and any other file) otherwise."""
    return open_unlocked(unlock(path, passphrase))


def open_unlocked(unlocked: UnlockedFile) -> tuple[Engine, OutreachLaptopRow]:
    """The engine and laptop row of a file ``db.outreach_unlock.unlock`` opened."""
    engine = store_engine(unlocked.path, unlocked.key)
    with Session(engine) as session:
        laptop = session.exec(select(OutreachLaptopRow)).one()
    return engine, laptop
