"""The resident register mirror: store households and find them the way a counter does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from counter.household import MEMBER_FLAGS, Address, Household, Member
from counter.progress import Progress, quiet
from counter.textnorm import kana_search_key
from db.models import HouseholdRow, ResidentRow

PAGE_SIZE = 50


@dataclass(frozen=True)
class HouseholdHit:
    """One search result: the matching resident and the household to open."""

    household_id: str
    resident_id: str
    name: str
    kana: str
    birth_date: date
    address: str
    member_count: int


def save_households(
    engine: Engine,
    households: Sequence[Household],
    municipality: str,
    progress: Progress | None = None,
) -> int:
    """Insert or update households and their members in one transaction.

    Slow for a whole register (each household is looked up first): ``progress`` hears of
    each household; the transaction is the same with or without it.
    """
    progress = progress or quiet()
    progress.step("住民データの登録", len(households), "世帯")
    count = 0
    with Session(engine) as session:
        for household in households:
            if household.household_id is None:
                raise ValueError("household_id がない世帯は登録できません")
            session.merge(
                HouseholdRow(
                    id=household.household_id,
                    municipality=municipality,
                    postal_code=household.address.postal_code,
                    address=household.address.text,
                )
            )
            for member in household.members:
                session.merge(_resident_row(household.household_id, member))
            count += 1
            progress.advance()
        session.commit()
    return count


def resident_values(household_id: str, member: Member) -> dict[str, Any]:
    """The columns of a resident row, search keys included; the one mapping both saving
    and importing use (a plain dict: building 20,000 model objects costs seconds)."""
    return {
        "id": member.id,
        "household_id": household_id,
        "name": member.name,
        "kana": member.kana,
        "kana_key": kana_search_key(member.kana),
        "birth_date": member.birth_date,
        "sex": member.sex,
        "relation": member.relation,
        "health_insurance": member.health_insurance,
        "nationality": member.nationality,
        **{flag: getattr(member, flag) for flag in MEMBER_FLAGS},
    }


def _resident_row(household_id: str, member: Member) -> ResidentRow:
    return ResidentRow(**resident_values(household_id, member))


def count_households(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(HouseholdRow)).one()


def search_residents(
    engine: Engine, query: str, *, limit: int = PAGE_SIZE, offset: int = 0
) -> list[HouseholdHit]:
    """One page of ``db.search.search_register`` (kind detected), as a list."""
    from db.search import search_register

    return search_register(engine, query, limit=limit, offset=offset).hits


RELATION_ORDER = {"head": 0, "spouse": 1, "parent": 2, "child": 3, "grandchild": 4, "other": 5}


def load_household(engine: Engine, household_id: str) -> Household:
    with Session(engine) as session:
        row = session.get(HouseholdRow, household_id)
        if row is None:
            raise LookupError(f"世帯 {household_id} が見つかりません")
        residents = session.exec(
            select(ResidentRow).where(ResidentRow.household_id == household_id)
        ).all()
    members = sorted(residents, key=lambda r: (RELATION_ORDER.get(r.relation, 9), r.birth_date))
    return Household(
        household_id=row.id,
        address=Address(postal_code=row.postal_code, text=row.address),
        members=tuple(
            Member(
                id=r.id,
                name=r.name,
                kana=r.kana,
                birth_date=r.birth_date,
                sex=r.sex,
                relation=r.relation,
                health_insurance=r.health_insurance,
                nationality=r.nationality,
                **{flag: getattr(r, flag) for flag in MEMBER_FLAGS},
            )
            for r in members
        ),
    )
