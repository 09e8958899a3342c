"""Unlocking an outreach laptop's file before the app starts, with nothing but sqlcipher3.

The passphrase is asked and checked before Textual starts, and this must not pull in
SQLAlchemy (a third of a second): the plain app loads it in a worker after its first
paint, and so does the app on the laptop's file (``db.outreach_store.store_engine`` with
the key found here). SQLCipher 4's own key derivation (PBKDF2-HMAC-SHA512 over the file's
first 16 bytes, its salt) is done once, here; every connection then opens with the raw
key (``x'…'``) instead of deriving it again (about 85 ms each on the laptop). A wrong
passphrase, a plain SQLite file and any other file give the same Japanese line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

KDF_ITERATIONS = 256_000  # SQLCipher 4's default, which db.outreach_store.create_store keeps
SALT_BYTES = 16
NOT_OPENED = "出張用ファイルを開けません。合言葉が違うか、出張用のファイルではありません"


class StoreRefused(RuntimeError):
    """The file cannot be opened as an outreach store (one Japanese line, no secret)."""


@dataclass(frozen=True)
class UnlockedFile:
    """A laptop file whose passphrase was right: its raw key and what the app shows."""

    path: Path
    key: str = ""  # the raw SQLCipher key, x'…'; secret, never shown
    office_date: date = date.min  # the outing day: the 受付番号 block is of this day only
    municipality: str = ""  # the profile code written at checkout
    area: str = ""
    reception: tuple[int, int] = (0, 0)  # the reserved block of 受付番号, first and last
    exported: bool = False  # handed back already: no new visit

    def __repr__(self) -> str:  # never the key, whatever prints the settings
        return f"UnlockedFile({self.path}, {self.area}, {self.office_date})"


def raw_key(path: Path, passphrase: str) -> str:
    """The raw key of ``path`` under ``passphrase`` (see the module)."""
    if not passphrase:
        raise StoreRefused("合言葉が空です")
    with path.open("rb") as handle:
        salt = handle.read(SALT_BYTES)
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, 32)
    return f"x'{key.hex()}'"


def unlock(path: Path, passphrase: str) -> UnlockedFile:
    """The file's key and its laptop row, read with sqlcipher3 alone; StoreRefused (the
    same line for every wrong file or passphrase) otherwise."""
    import sqlcipher3

    if not path.is_file():
        raise StoreRefused(f"出張用ファイルが見つかりません（{path}）")
    key = raw_key(path, passphrase)
    connection = sqlcipher3.connect(str(path))
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f'PRAGMA key = "{key}"')
        row = connection.execute(
            "SELECT office_date, municipality, area, reception_first, reception_last,"
            " exported_at FROM outreach_laptop"
        ).fetchone()
    except sqlcipher3.DatabaseError:  # not a database (wrong key, not SQLCipher), no table
        raise StoreRefused(NOT_OPENED) from None
    finally:
        connection.close()
    if row is None:
        raise StoreRefused(NOT_OPENED)
    office_date, municipality, area, first, last, exported_at = row
    return UnlockedFile(
        path=path,
        key=key,
        office_date=date.fromisoformat(str(office_date)),
        municipality=municipality,
        area=area,
        reception=(int(first), int(last)),
        exported=exported_at is not None and bool(datetime.fromisoformat(str(exported_at))),
    )
