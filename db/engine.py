"""The engine factory: an embedded SQLite file by default, PostgreSQL by URL.

SQLite gets the settings a single-writer embedded database needs (WAL, NORMAL sync,
a busy timeout, foreign keys). Python's sqlite3 begins a transaction only before
INSERT/UPDATE/DELETE, so a CREATE TABLE ran on its own and a first upgrade killed half-way
left half a schema; a connection with the ``write_lock`` execution option begins with
``BEGIN IMMEDIATE`` instead: the write lock is taken at once (other writers wait for it,
none fails half-way through upgrading a read lock) and every statement after it, DDL
included, is in the one transaction.
PostgreSQL gets pre-ping so counters survive a restart of the shared server. Statement
parameters are hidden from error messages: they carry personal data, and error messages
end up in the log.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlmodel import create_engine

NETWORK_FILESYSTEMS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ceph",
    "glusterfs", "davfs", "fuse.davfs2", "fuse.rclone", "lustre",
}  # fmt: skip


BUSY_ENV = "COUNTER_BUSY_SECONDS"
BUSY_SECONDS = 30.0  # how long a write waits for another terminal's before giving up
BACKENDS = ("sqlite", "postgresql")


class DatabaseRefused(RuntimeError):
    """The embedded database cannot be used safely here; the message says why, in Japanese."""


def busy_seconds() -> float:
    """How long to wait for a busy database: COUNTER_BUSY_SECONDS, else 30 s."""
    try:
        seconds = float(os.environ.get(BUSY_ENV, "") or BUSY_SECONDS)
    except ValueError:
        return BUSY_SECONDS
    return seconds if 0 < seconds <= 600 else BUSY_SECONDS


def busy_message() -> str:
    return (
        f"データベースがほかの端末や処理で使用中のため、{busy_seconds():g}秒待っても"
        "使えませんでした。何も変更していません。しばらくしてからもう一度実行してください"
    )


def database_problem(error: BaseException) -> str | None:
    """What staff should read about a database error (one Japanese line), or None when it
    is not one of the expected ones (then it is a bug: log it)."""
    if isinstance(error, ArgumentError):
        return "データベースの URL を読めません（例: sqlite:///パス、postgresql://サーバー/名前）"
    if not isinstance(error, DBAPIError):
        return None
    said = str(error.orig).lower()
    if "database is locked" in said or "database table is locked" in said:
        return busy_message()
    if "could not connect" in said or "connection refused" in said or "timeout expired" in said:
        return "データベースのサーバーに接続できません（--database-url とサーバーを確認）"
    if "unable to open database" in said or "readonly database" in said:
        return "データベースのファイルを開けないか、書き込めません（場所と権限を確認してください）"
    if "file is not a database" in said:
        return "指定したファイルはこのアプリのデータベースではありません（--database-url を確認）"
    if "password authentication failed" in said or ("role" in said and "does not exist" in said):
        return "データベースにログインできません（ユーザー名とパスワードを確認してください）"
    if "does not exist" in said and "database" in said:
        return "指定したデータベースがサーバーにありません（--database-url を確認してください）"
    return None


def watch_busy(engine: Engine, notify: Callable[[str], None], after: float = 2.0) -> None:
    """Say once, through ``notify``, when a statement has waited ``after`` seconds: a busy
    database waits (up to ``busy_seconds``) and must say so, not look hung."""
    started: dict[int, float] = {}

    def before(connection, *_args) -> None:
        started[id(connection)] = time.monotonic()

    def done(connection, *_args) -> None:
        started.pop(id(connection), None)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", done)
    event.listen(engine, "handle_error", lambda context: started.clear())

    def watch() -> None:
        while True:
            time.sleep(after / 4)
            now = time.monotonic()
            if any(now - t >= after for t in list(started.values())):
                notify(f"データベースが使用中のため待っています（最大{busy_seconds():g}秒）…")
                return

    threading.Thread(target=watch, daemon=True, name="busy-notice").start()


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
    """The engine of ``url``; DatabaseRefused (a Japanese sentence) for a URL that is not
    a SQLite file or a PostgreSQL server, or a place where SQLite would corrupt."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseRefused(
            "データベースの URL を読めません（例: sqlite:///パス、postgresql://サーバー/名前）"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in BACKENDS:
        raise DatabaseRefused(
            f"「{backend[:20]}」のデータベースには対応していません（sqlite か postgresql）"
        )
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            database = Path(parsed.database)
            if database.is_dir():
                raise DatabaseRefused(f"データベースの場所がフォルダです（{database}）")
            check_embedded_location(database)
            database.parent.mkdir(parents=True, exist_ok=True)
            check_not_held(database)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": busy_seconds()},
            hide_parameters=True,
        )
        apply_sqlite_settings(engine)
        return engine
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def apply_sqlite_settings(engine: Engine) -> None:
    """The SQLite settings of every embedded engine (WAL, NORMAL sync, the busy timeout,
    foreign keys, ``BEGIN IMMEDIATE`` for writes): one place, so the encrypted outreach
    store (db.outreach_store) runs exactly as the plain file does."""
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds() * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    if connection.get_execution_options().get("write_lock"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
