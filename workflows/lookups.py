"""Looking at residents' data: every look is in the audit log before it is shown.

A search records its query (never its results) first, so a search that cannot be recorded
shows nothing; opening a household records each member seen under the visit; the
department hand-offs and the day's open visits record each visit listed. Shared by every
front end, so no screen or command can show a resident without the record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.engine import Engine

from counter.household import Household
from db.checklist import QueueLine, department_queue
from db.drafts import OpenVisit, open_visits
from db.register import load_household, save_households
from db.search import SearchPage, search_register
from workflows.actor import Actor


def search_households(engine: Engine, query: str, actor: Actor) -> SearchPage:
    actor.record(engine, "search", detail=query)
    return search_register(engine, query)


def open_household(
    engine: Engine, household_id: str, actor: Actor, *, visit_id: Callable[[], str]
) -> Household:
    """The household with each member's look recorded under the visit; ``visit_id`` is
    asked only once the household is found (that is when a visit is numbered)."""
    household = load_household(engine, household_id)
    visit = visit_id()
    for member in household.members:
        actor.record(engine, "view", resident_id=member.id, visit_id=visit, detail="世帯の表示")
    return household


def department_lines(engine: Engine, department: str, actor: Actor) -> list[QueueLine]:
    """A department's hand-offs, each visit listed recorded once (its people are shown)."""
    lines = department_queue(engine, department)
    for visit in dict.fromkeys(line.visit_id for line in lines):
        actor.record(engine, "view", visit_id=visit, detail=f"担当課の一覧（{department}）")
    return lines


def visits_to_resume(engine: Engine, office_date: date, actor: Actor) -> list[OpenVisit]:
    """The day's open and parked visits, each listed with its household head's name."""
    visits = open_visits(engine, office_date=office_date)
    for visit in visits:
        actor.record(engine, "view", visit_id=visit.id, detail="途中の受付の一覧")
    return visits


def register_newcomer(
    engine: Engine, household: Household, *, municipality: str, actor: Actor
) -> None:
    """A household typed at the counter for its 転入, each member's entry recorded."""
    save_households(engine, [household], municipality=municipality)
    for member in household.members:
        actor.record(engine, "edit", resident_id=member.id, detail="転入世帯の登録")
