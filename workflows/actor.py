"""Who does the work, and at which terminal: what every audit row names.

Kept apart from the workflows that use it, and light, so the app can hold an ``Actor``
before its first frame: the database modules load only when a record is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass(frozen=True)
class Actor:
    staff_id: str | None
    terminal: str

    def record(self, engine: Engine, action: str, **fields: object) -> None:
        """Append ``action`` to the audit log as this actor's, in a transaction of its own."""
        from db.audit import record

        record(engine, action=action, staff_id=self.staff_id, terminal=self.terminal, **fields)
