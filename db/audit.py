"""The append-only audit log: who did what, when, on which terminal, to which resident.

Rows are only ever added (the database refuses UPDATE and DELETE), each chained to the
previous one by hash (counter.audit_chain), so ``verify`` finds the first row changed by
someone who dropped the triggers. Appending is serialised across terminals so the chain
stays one line: an advisory lock on PostgreSQL, a write transaction taken before reading
the last row on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TextIO

from sqlalchemy import String, Table, select, text, type_coerce
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from counter.audit_chain import (
    ACTIONS,
    GENESIS_HASH,
    AuditCheck,
    AuditEntry,
    Head,
    StoredEntry,
    chain_hash,
    check_chain,
    json_line,
    keyed_mark,
)
from counter.mynumber import redact
from counter.wareki import JST
from db.audit_key import audit_key
from db.models import AuditLogRow

_TABLE: Table = AuditLogRow.__table__  # type: ignore[attr-defined]

__all__ = ["ACTIONS", "AuditCheck", "append", "export_jsonl", "record", "verify"]


class AuditUnreadable(ValueError):
    """A row whose stored values are no longer what the program writes (a Japanese line)."""


CHAIN_LOCK = 0x41554449  # "AUDI": the pg_advisory_xact_lock key of the audit chain
BATCH = 2000


def append(
    session: Session,
    *,
    action: str,
    staff_id: str | None,
    terminal: str,
    resident_id: str | None = None,
    visit_id: str | None = None,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Add a row in the caller's transaction (the caller commits), chained to the last row.

    ``detail`` is redacted (no individual number) before it is hashed and stored. ``at``
    is now, except for a row copied from an outreach laptop's own chain."""
    if action not in ACTIONS:
        raise ValueError(f"監査ログの操作 {action!r} はありません（{', '.join(ACTIONS)}）")
    _hold_chain(session)
    last = session.execute(
        select(col(AuditLogRow.id), col(AuditLogRow.row_hash))
        .order_by(col(AuditLogRow.id).desc())
        .limit(1)
    ).first()
    previous_hash = last.row_hash if last else GENESIS_HASH
    entry = AuditEntry(
        id=last.id + 1 if last else 1,
        at=at or _now(),
        staff_id=staff_id,
        terminal=terminal,
        action=action,
        resident_id=resident_id,
        visit_id=visit_id,
        detail=redact(detail),
    )
    row_hash = chain_hash(previous_hash, entry)
    session.add(
        AuditLogRow(
            **vars(entry),
            previous_hash=previous_hash,
            row_hash=row_hash,
            row_mark=keyed_mark(audit_key(), row_hash),
        )
    )
    session.flush()


def record(engine: Engine, **fields: Any) -> None:
    """``append`` in a transaction of its own, for actions that change nothing else."""
    with Session(engine) as session:
        append(session, **fields)
        session.commit()


def _now() -> datetime:
    """The time stamped on a row; one place, so tests can pin it."""
    return datetime.now(UTC)


def _hold_chain(session: Session) -> None:
    """Make the read of the last row and the insert one step no other terminal can split.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the Python driver begins a
    transaction only at the first write, so reading the last row would not lock anything;
    ``BEGIN IMMEDIATE`` takes the write lock first. A transaction already open has written,
    so it holds that lock already."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
        return
    sqlite = connection.connection.dbapi_connection
    if sqlite is not None and not sqlite.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def verify(
    engine: Engine, *, anchor: tuple[int, str] | None = None, heads: Sequence[Head] = ()
) -> AuditCheck:
    """Recompute every hash in id order; the first broken row with a Japanese reason.

    ``anchor`` is the id and hash of a row kept outside the database (the last line of an
    earlier export): it catches deleted last rows, which the chain alone cannot."""
    columns = [c for c in _TABLE.c if c.name != "at"]  # the time is read raw (see _stored)
    with engine.connect() as connection:
        marked = connection.execute(
            select(_TABLE.c.id).where(_TABLE.c.row_mark.is_not(None)).limit(1)
        ).first()
        # no key is needed (nor made) for a log with no marked row: one from before them
        key = audit_key(create=False) if marked or heads else None
        return check_chain(_stored(connection, select(*columns)), anchor, key=key, heads=heads)


def export_jsonl(
    engine: Engine, out: TextIO, *, since: date | None = None, until: date | None = None
) -> int:
    """Write the rows of office days ``since``..``until`` (Japan time, both included) as
    JSON lines to ``out``; the number of rows written."""
    query = select(*[c for c in _TABLE.c if c.name != "at"])
    if since is not None:
        query = query.where(_TABLE.c.at >= _start_of(since))
    if until is not None:
        query = query.where(_TABLE.c.at < _start_of(until + timedelta(days=1)))
    count = 0
    with engine.connect() as connection:
        for row in _stored(connection, query):
            try:
                out.write(json_line(row) + "\n")
            except (ValueError, TypeError):
                raise AuditUnreadable(
                    f"ID {row.entry.id} の行の日時か内容が読めない値です。"
                    "「counter audit verify」で確かめてください"
                ) from None
            count += 1
    return count


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=JST)


def _stored(connection, query) -> Iterator[StoredEntry]:
    """The rows as stored. A time someone overwrote with what is no time (SQLite keeps any
    text) is read as None, so verify names that row instead of failing on it."""
    raw_at = type_coerce(_TABLE.c.at, String).label("raw_at")
    dialect = connection.dialect
    to_time = _TABLE.c.at.type.dialect_impl(dialect).result_processor(dialect, None) or (
        lambda value: value
    )
    query = query.add_columns(raw_at).order_by(_TABLE.c.id)
    result = connection.execution_options(yield_per=BATCH).execute(query)
    for row in result:
        try:
            at = to_time(row.raw_at)
        except (ValueError, TypeError):
            at = None
        yield StoredEntry(
            AuditEntry(
                id=row.id,
                at=at,
                staff_id=row.staff_id,
                terminal=row.terminal,
                action=row.action,
                resident_id=row.resident_id,
                visit_id=row.visit_id,
                detail=row.detail,
            ),
            previous_hash=row.previous_hash,
            row_hash=row.row_hash,
            row_mark=row.row_mark,
        )
