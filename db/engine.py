"""The engine factory: an embedded SQLite file by default, PostgreSQL by URL.

SQLite gets the settings a single-writer embedded database needs (WAL, NORMAL sync,
a busy timeout, foreign keys); PostgreSQL gets pre-ping so counters survive a restart
of the shared server. Statement parameters are hidden from error messages: they carry
personal data, and error messages end up in the log.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

NETWORK_FILESYSTEMS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ceph",
    "glusterfs", "davfs", "fuse.davfs2", "fuse.rclone", "lustre",
}  # fmt: skip


class DatabaseRefused(RuntimeError):
    """The embedded database cannot be used safely here; the message says why, in Japanese."""


def filesystem_type(path: Path, mounts: str) -> str | None:
    """The type of the filesystem holding ``path``, from /proc/mounts-style text."""
    best, kind = "", None
    resolved = str(path.resolve())
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        inside = resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, kind = mount_point, fields[2]
    return kind


def check_embedded_location(database: Path) -> None:
    """SQLite's locking is unreliable over a network share: refuse, never corrupt."""
    if str(database).startswith(("\\\\", "//")):
        raise DatabaseRefused(f"データベースをネットワーク上の場所（{database}）には置けません")
    mounts = Path("/proc/mounts")
    if mounts.is_file():
        kind = filesystem_type(database.parent, mounts.read_text(encoding="utf-8"))
        if kind in NETWORK_FILESYSTEMS:
            raise DatabaseRefused(
                f"データベースのフォルダ {database.parent} はネットワーク共有（{kind}）です。"
                "この端末の内蔵ディスクを指定してください"
            )


def check_not_held(database: Path) -> None:
    """Refuse when another process holds the file in a way WAL cannot share (an exclusive
    lock or a rollback-journal writer): opening it then would wait or corrupt."""
    if not database.exists():
        return
    connection = sqlite3.connect(database, timeout=5)
    try:
        # Busy WAL writers do not block this; an exclusive lock does.
        mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    except sqlite3.OperationalError:
        raise DatabaseRefused(
            f"データベース {database.name} は別のプログラムが使用中です（ロックされています）。"
            "そのプログラムを終了してから起動してください"
        ) from None
    finally:
        connection.close()
    if mode.lower() != "wal":
        raise DatabaseRefused(
            f"データベース {database.name} を WAL モードにできません（別のプログラムが使用中です）"
        )


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            database = Path(parsed.database)
            check_embedded_location(database)
            database.parent.mkdir(parents=True, exist_ok=True)
            check_not_held(database)
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
