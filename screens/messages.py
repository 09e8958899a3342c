"""Messages the workers post back to the screens (dataclass style, one per outcome)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from db.register import HouseholdHit


@dataclass
class DatabaseReady(Message):
    engine: Engine
    seeded: int


@dataclass
class DatabaseFailed(Message):
    reason: str


@dataclass
class SearchFinished(Message):
    query: str
    hits: list[HouseholdHit]
