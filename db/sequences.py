"""Numbers allocated inside the caller's transaction (受付番号, 納付番号).

An atomic ``UPDATE … RETURNING`` on one row per counter: two terminals on the shared
PostgreSQL server, or two processes on one SQLite file, can never get the same number,
and a rolled-back visit gives its number back.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from db.models import NumberSequenceRow


def allocate(session: Session, name: str) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(NumberSequenceRow).values(name=name, value=0).on_conflict_do_nothing())
    value = session.execute(
        update(NumberSequenceRow)
        .where(col(NumberSequenceRow.name) == name)
        .values(value=col(NumberSequenceRow.value) + 1)
        .returning(col(NumberSequenceRow.value))
    ).scalar_one()
    return int(value)
