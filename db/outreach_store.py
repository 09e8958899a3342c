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

import hashlib
from pathlib import Path

from sqlalchemy import event, inspect, pool
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine, select

from db.engine import apply_sqlite_settings, busy_seconds, check_embedded_location
from db.models import OutreachLaptopRow

KDF_ITERATIONS = 256_000  # SQLCipher 4's default, which create_store keeps
SALT_BYTES = 16
NOT_OPENED = "出張用ファイルを開けません。合言葉が違うか、出張用のファイルではありません"


class StoreRefused(RuntimeError):
    """The file cannot be opened as an outreach store (one Japanese line, no secret)."""


def store_engine(path: Path, passphrase: str) -> Engine:
    """The engine of the encrypted file ``path`` (made on first write); nothing checked yet.

    ``passphrase`` may also be a raw key (``x'…'``, see ``_raw_key``)."""
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


def _raw_key(path: Path, passphrase: str) -> str:
    """SQLCipher 4's own key derivation (PBKDF2-HMAC-SHA512 over the file's 16-byte salt,
    its first bytes), done once: every connection of the pool then opens with the raw key
    instead of deriving it again (about 85 ms each on the laptop). A wrong passphrase
    gives a wrong key, refused as before."""
    with path.open("rb") as handle:
        salt = handle.read(SALT_BYTES)
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, 32)
    return f"x'{key.hex()}'"


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
    if not path.is_file():
        raise StoreRefused(f"出張用ファイルが見つかりません（{path}）")
    if not passphrase:
        raise StoreRefused("合言葉が空です")
    engine = store_engine(path, _raw_key(path, passphrase))
    try:
        if not inspect(engine).has_table(OutreachLaptopRow.__tablename__):
            raise StoreRefused(NOT_OPENED)
        with Session(engine) as session:
            laptop = session.exec(select(OutreachLaptopRow)).one_or_none()
    except DBAPIError:  # "file is not a database": wrong key, or not SQLCipher at all
        engine.dispose()
        raise StoreRefused(NOT_OPENED) from None
    except StoreRefused:
        engine.dispose()
        raise
    if laptop is None:
        engine.dispose()
        raise StoreRefused(NOT_OPENED)
    return engine, laptop
