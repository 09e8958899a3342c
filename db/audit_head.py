"""The head of the audit chain, written outside the database.

The chain and its keyed marks catch any row changed, added or removed in the middle, but
not the last rows cut off, or every row deleted: nothing left in the database says they
were there. So at every sign-out, and at the first sign-in of each day, the terminal
appends the last row's id and mark to a file the database user cannot write
(``COUNTER_AUDIT_HEAD_FILE``, else ``audit-head.jsonl`` in the data directory; a city can
point it at a write-once share). ``counter audit verify`` checks every head in it.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import col

from counter.audit_chain import Head
from counter.wareki import JST
from db.models import AuditLogRow
from db.paths import named_file

HEAD_FILE_ENV = "COUNTER_AUDIT_HEAD_FILE"
DEFAULT_HEAD_FILE = "audit-head.jsonl"


class AuditHeadError(RuntimeError):
    """The head file cannot be written or read: one Japanese line naming it."""


def head_path() -> Path:
    return named_file(HEAD_FILE_ENV, DEFAULT_HEAD_FILE)


def record_head(engine: Engine, terminal: str, now: datetime | None = None) -> None:
    """Append the chain's last row (id and mark) to the head file; nothing for no rows."""
    with engine.connect() as connection:
        last = connection.execute(
            select(col(AuditLogRow.id), col(AuditLogRow.row_mark))
            .order_by(col(AuditLogRow.id).desc())
            .limit(1)
        ).first()
    if last is None or last.row_mark is None:
        return
    at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    line = {"id": last.id, "mark": last.row_mark, "at": at, "terminal": terminal}
    path = head_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
    except OSError:
        raise AuditHeadError(f"監査ログの先頭の記録を書けません（{path}）") from None


def record_daily_head(engine: Engine, terminal: str, now: datetime | None = None) -> None:
    """``record_head`` unless the file already has a head of today (Japan time)."""
    now = now or datetime.now(UTC)
    today = now.astimezone(JST).date()
    path = head_path()
    lines = _lines(path) if path.exists() else []
    if lines and _day(lines[-1]) == today:
        return
    record_head(engine, terminal, now)


def read_heads(path: Path) -> list[Head]:
    """Every head written to ``path``; AuditHeadError naming the line that is not one."""
    from db.staff import japan_time

    heads = []
    for number, line in enumerate(_lines(path), start=1):
        try:
            data = json.loads(line)
            at = datetime.fromisoformat(data["at"])
            heads.append(Head(int(data["id"]), str(data["mark"]), japan_time(at)))
        except (ValueError, KeyError, TypeError):
            raise AuditHeadError(f"{path} の{number}行目は先頭の記録ではありません") from None
    return heads


def _lines(path: Path) -> list[str]:
    try:
        return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError):
        raise AuditHeadError(f"監査ログの先頭の記録を読めません（{path}）") from None


def _day(line: str):
    try:
        return datetime.fromisoformat(json.loads(line)["at"]).astimezone(JST).date()
    except (ValueError, KeyError, TypeError):
        return None
