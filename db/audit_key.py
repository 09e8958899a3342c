"""The audit key: the secret that marks each audit row, kept outside the database.

The hash chain alone lets anyone with database rights rewrite the whole log consistently
(or cut its tail, or empty it). Each row therefore also carries an HMAC of its hash under
this key, which the database user never has, and the head of the chain (the last row's
id and mark) is written outside the database at every sign-out and once a day
(db.audit.record_head). ``COUNTER_AUDIT_KEY_FILE`` names the key file; every terminal of
one database must name the same one. Without it, the data directory's ``audit.key`` is
used, created on first use with mode 0600 (one machine: the laptop, a small office).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from db.keyfiles import create_key_file, load_key_file
from db.paths import named_file

KEY_FILE_ENV = "COUNTER_AUDIT_KEY_FILE"
DEFAULT_KEY_FILE = "audit.key"


class AuditKeyError(RuntimeError):
    """No usable audit key: one Japanese line naming the variable or the file."""


def audit_key_path() -> Path:
    return named_file(KEY_FILE_ENV, DEFAULT_KEY_FILE)


def audit_key(*, create: bool = True) -> bytes:
    """The key from ``COUNTER_AUDIT_KEY_FILE``, else the data directory's, made if missing
    when ``create`` (writing rows); checking never makes one: a new key would only say
    that every row is wrong."""
    path = audit_key_path()
    if not os.environ.get(KEY_FILE_ENV, "").strip() and not path.exists():
        if not create:
            raise AuditKeyError(
                f"監査ログの鍵がありません（{path}）。書いた端末と同じ鍵ファイルを"
                f" {KEY_FILE_ENV} で指定してください"
            )
        create_key_file(path, AuditKeyError, "監査ログの鍵")
    try:
        stat = path.stat()
    except OSError:  # load_key_file names the file it cannot read
        return load_key_file(path, AuditKeyError, KEY_FILE_ENV)
    return _key_of(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _key_of(path: str, inode: int, modified_ns: int, size: int) -> bytes:
    """Every audit row is marked with the key: it is read once, and again when the file
    named changes (another file moved in, or its time or size), as when a key is replaced."""
    return load_key_file(Path(path), AuditKeyError, KEY_FILE_ENV)
