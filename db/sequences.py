"""Numbers allocated inside the caller's transaction (受付番号, 納付番号).

An atomic ``UPDATE … RETURNING`` on one row per counter: two terminals on the shared
PostgreSQL server, or two processes on one SQLite file, can never get the same number,
and a rolled-back visit gives its number back. An outreach laptop's counters carry the
end of the block the office reserved for it (``last_value``): past it the laptop refuses,
since any further number may be the office's, and a counter it was given no block of (a
visit of another day) it refuses outright.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from db.models import NumberSequenceRow, OutreachLaptopRow

KINDS = {"reception": "受付番号", "payment": "納付番号"}


class NumbersExhausted(RuntimeError):
    """A reserved block is used up (a Japanese line); the caller's transaction is void."""


def allocate(session: Session, name: str) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(NumberSequenceRow).values(name=name, value=0).on_conflict_do_nothing())
    value, last = session.execute(
        update(NumberSequenceRow)
        .where(col(NumberSequenceRow.name) == name)
        .values(value=col(NumberSequenceRow.value) + 1)
        .returning(col(NumberSequenceRow.value), col(NumberSequenceRow.last_value))
    ).one()
    if last is None and session.exec(select(OutreachLaptopRow.checkout_id)).first() is not None:
        raise NumbersExhausted(
            f"この出張用ファイルには{KINDS.get(name.split(':')[0], '番号')}の予約がありません"
            "（予約は出張する日のものだけです）。事務所で新しい出張用ファイルを作ってください"
        )
    if last is not None and value > last:
        raise NumbersExhausted(
            f"この端末に割り当てられた{KINDS.get(name.split(':')[0], '番号')}（{last}番まで）を"
            "使い切りました。"
            "事務所で新しい出張用ファイルを作ってください"
        )
    return int(value)


def reserve(session: Session, name: str, count: int) -> tuple[int, int]:
    """Take the next ``count`` numbers of ``name`` out of the office's counter, in the
    caller's transaction, for a laptop: the first and last of the block. The office then
    goes on after the block."""
    first = allocate(session, name)
    last = first + count - 1
    session.execute(
        update(NumberSequenceRow).where(col(NumberSequenceRow.name) == name).values(value=last)
    )
    return first, last


def current(session: Session, name: str) -> int:
    """The last number handed out of ``name`` (0 when none)."""
    value = session.exec(
        select(NumberSequenceRow.value).where(NumberSequenceRow.name == name)
    ).first()
    return int(value or 0)
