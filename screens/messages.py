"""Messages the workers post back to the screens (dataclass style, one per outcome)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from db.register import HouseholdHit


@dataclass
class DatabasePreparing(Message):
    """How far preparing the database has got (the demo register on the first start)."""

    progress: str


@dataclass
class AccountsKnown(Message):
    """Whether any staff account exists, known as soon as the schema is up to date (before
    a first start seeds the demo register), so the right sign-in form shows at once."""

    any_staff: bool


@dataclass
class DatabaseReady(Message):
    seeded: int


@dataclass
class DatabaseFailed(Message):
    reason: str


@dataclass
class SearchFinished(Message):
    query: str
    hits: list[HouseholdHit]
