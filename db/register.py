"""The resident register mirror: store households and find them the way a counter does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from counter.demo import DEMO_PREFIX
from counter.household import MEMBER_FLAGS, Address, Honseki, Household, Member
from counter.progress import Progress, quiet
from counter.textnorm import kana_search_key
from db import audit
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


class DemoRefused(RuntimeError):
    """Demo data asked for on a database that holds real residents (a Japanese line)."""


def save_households(
    engine: Engine,
    households: Sequence[Household],
    municipality: str,
    progress: Progress | None = None,
    *,
    demo: bool = False,
    audit_as: tuple[str | None, str] | None = None,
) -> int:
    """Insert or update households and their members in one transaction.

    ``demo`` marks them as demo records: their ids must carry ``DEMO_PREFIX``, and the
    whole save is refused (DemoRefused, nothing written) when the database holds any
    resident that is not one; the check and the writes are one write-locked transaction.
    ``audit_as`` (staff id, terminal) records the save in the audit log, in the same
    transaction. Slow for a whole register (each household is looked up first):
    ``progress`` hears of each household; the transaction is the same with or without it.
    """
    progress = progress or quiet()
    if demo and any(not (h.household_id or "").startswith(DEMO_PREFIX) for h in households):
        raise ValueError(f"見本の世帯の id は {DEMO_PREFIX} で始まります")
    progress.step("住民データの登録", len(households), "世帯")
    count = 0
    with Session(engine.execution_options(write_lock=True)) as session:
        if demo:
            refuse_beside_real_residents(session, "見本の住民データ")
        for household in households:
            if household.household_id is None:
                raise ValueError("household_id がない世帯は登録できません")
            session.merge(
                HouseholdRow(
                    id=household.household_id,
                    municipality=municipality,
                    postal_code=household.address.postal_code,
                    address=household.address.text,
                    demo=demo,
                )
            )
            for member in household.members:
                session.merge(
                    ResidentRow(**resident_values(household.household_id, member), demo=demo)
                )
            count += 1
            progress.advance()
        if audit_as is not None:
            kind = "見本の住民データ" if demo else "住民データ"
            audit.append(
                session,
                action="edit",
                staff_id=audit_as[0],
                terminal=audit_as[1],
                detail=f"{kind}の登録 {count}世帯",
            )
        session.commit()
    return count


def refuse_beside_real_residents(session: Session, what: str) -> None:
    """DemoRefused (nothing written) when the database holds a resident not made as demo."""
    if real := count_real_residents(session):
        raise DemoRefused(
            f"このデータベースには実際の住民記録（{real:,}人）があります。"
            f"{what}は作れません（何も登録していません）"
        )


def count_real_residents(session: Session) -> int:
    """Residents that are not demo records."""
    return session.exec(
        select(func.count()).select_from(ResidentRow).where(ResidentRow.demo == False)  # noqa: E712
    ).one()


def resident_values(household_id: str, member: Member) -> dict[str, Any]:
    """The columns of a resident row, search keys included; the one mapping both saving
    and importing use (a plain dict: building 20,000 model objects costs seconds)."""
    honseki = member.honseki
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
        "resident_since": member.resident_since,
        "honseki_municipality": honseki.municipality if honseki else None,
        "honseki_text": honseki.text if honseki else None,
        "former_surname": member.former_surname,
        "residence_status": member.residence_status,
        "residence_period": member.residence_period,
        "residence_expiry": member.residence_expiry,
        "residence_card_number": member.residence_card_number,
    }


def count_households(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(HouseholdRow)).one()


def search_residents(
    engine: Engine, query: str, *, limit: int = PAGE_SIZE, offset: int = 0
) -> list[HouseholdHit]:
    """One page of ``db.search.search_register`` (kind detected), as a list."""
    from db.search import search_register

    return search_register(engine, query, limit=limit, offset=offset).hits


# How a household's members are listed: head, spouse, the elder generations, then the
# children and theirs, then the rest (each group by birth date).
RELATION_ORDER = {
    "head": 0,
    "spouse": 1,
    "spouse_unfiled": 1,
    "parent": 2,
    "fathers_parent": 2,
    "mothers_parent": 2,
    "spouse_parent": 2,
    "sibling": 3,
    "child": 4,
    "spouse_child": 4,
    "child_spouse": 4,
    "grandchild": 5,
    "relative": 6,
    "cohabitant": 6,
    "other": 7,
}


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
                resident_since=r.resident_since,
                honseki=_honseki(r),
                former_surname=r.former_surname,
                residence_status=r.residence_status,
                residence_period=r.residence_period,
                residence_expiry=r.residence_expiry,
                residence_card_number=r.residence_card_number,
            )
            for r in members
        ),
    )


def _honseki(row: ResidentRow) -> Honseki | None:
    """The 本籍 of a stored resident: both columns, or none (NULL in either)."""
    if row.honseki_municipality is None or row.honseki_text is None:
        return None
    return Honseki(municipality=row.honseki_municipality, text=row.honseki_text)
