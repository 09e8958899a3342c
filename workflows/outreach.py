"""Checking out an outreach laptop: one encrypted file with the residents of the route.

The office's side (the checkout row, its audit row, the reserved number blocks taken out
of the office's own counters) is one write-locked transaction; the laptop file is built
under a temporary name beside the target and linked to its name only when whole, just
before that transaction commits, so a failure leaves neither a file nor a checkout, and a
file that exists is never overwritten.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from counter.outreach import POSTAL, PREFIX, AreaTerm, describe_area, register_fingerprint
from counter.profile import MunicipalityProfile
from db import audit
from db.models import (
    HouseholdRow,
    NumberSequenceRow,
    OutreachBlocks,
    OutreachCheckoutRow,
    OutreachLaptopRow,
    ResidentRow,
    StaffRow,
    VisitRow,
)
from db.outreach_store import StoreRefused, create_store
from db.sequences import current, reserve


class CheckoutRefused(RuntimeError):
    """The checkout cannot be made (a Japanese line); nothing was written anywhere."""


@dataclass(frozen=True)
class CheckoutSummary:
    """What was written, for the command to say."""

    checkout_id: str
    households: int
    residents: int
    staff: int
    reception: tuple[int, int]
    payment: tuple[int, int]


@dataclass(frozen=True)
class LaptopStatus:
    """What ``counter outreach status`` and the app's header tell of a laptop file."""

    area: str
    checked_out_at: datetime
    checked_out_by: str
    office_date: date
    reception: tuple[int, int]
    reception_used: int
    payment: tuple[int, int]
    payment_used: int
    visits_waiting: int  # once exported: the visits the bundle holds
    exported_at: datetime | None = None
    exported_sequence: int = 0


def reception_name(municipality: str, office_date: date) -> str:
    """The counter of 受付番号 of a day (as db.drafts numbers visits)."""
    return f"reception:{municipality}:{office_date.isoformat()}"


def payment_name(collector: str) -> str:
    """The counter of payment numbers (as db.payments numbers codes)."""
    return f"payment:{collector}"


def add_household_rows(
    session: Session, household: dict[str, Any], residents: Sequence[dict[str, Any]]
) -> None:
    """A household handed back from a laptop (its rows as JSON values) added to the
    register, in the caller's transaction: a newcomer taken in, or one a supervisor
    settled as another person."""
    session.add(HouseholdRow.model_validate(household))
    session.flush()
    for resident in residents:
        session.add(ResidentRow.model_validate(resident))
    session.flush()


def _matches(term: AreaTerm):
    if term.kind == POSTAL:
        return col(HouseholdRow.postal_code) == term.value
    if term.kind == PREFIX:
        return col(HouseholdRow.postal_code).startswith(term.value, autoescape=True)
    return col(HouseholdRow.address).contains(term.value, autoescape=True)


def checkout(
    office: Engine,
    *,
    actor_id: str,
    actor_login: str,
    terminal: str,
    terms: list[AreaTerm],
    out: Path,
    passphrase: str,
    profile: MunicipalityProfile,
    office_date: date,
    reception_count: int,
    payment_count: int,
    staff_logins: Sequence[str] = (),
) -> CheckoutSummary:
    """Write the laptop file ``out`` and record the checkout at the office (see module)."""
    if out.exists():
        raise CheckoutRefused(f"ファイル {out} はもうあります。上書きはしません")
    if not out.parent.is_dir():
        raise CheckoutRefused(f"フォルダがありません（{out.parent}）")
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw().hex()
    bundle_key = os.urandom(32).hex()
    area = describe_area(terms)
    now = datetime.now(UTC)
    checkout_id = str(uuid.uuid4())
    with Session(office.execution_options(write_lock=True)) as session:
        households = _households(session, terms, profile.code)
        household_ids = [row.id for row in households]
        residents = session.exec(
            select(ResidentRow).where(col(ResidentRow.household_id).in_(household_ids))
        ).all() if household_ids else []  # fmt: skip
        staff = _staff(session, staff_logins)
        reception = reserve(session, reception_name(profile.code, office_date), reception_count)
        payment = reserve(session, payment_name(profile.collector), payment_count)
        blocks = OutreachBlocks(
            reception_name=reception_name(profile.code, office_date),
            reception_first=reception[0],
            reception_last=reception[1],
            payment_name=payment_name(profile.collector),
            payment_first=payment[0],
            payment_last=payment[1],
        )
        row = OutreachCheckoutRow(
            id=checkout_id,
            at=now,
            staff_id=actor_id,
            area=area,
            **blocks.model_dump(),
            public_key=public,
            bundle_key=bundle_key,
            register_json=json.dumps(fingerprints(households, residents), sort_keys=True),
        )
        session.add(row)
        audit.append(
            session,
            action="export",
            staff_id=actor_id,
            terminal=terminal,
            detail=f"出張用ファイルの作成 {area}: {len(households)}世帯 {len(residents)}人、"
            f"受付番号 {reception[0]}〜{reception[1]}、納付番号 {payment[0]}〜{payment[1]}",
        )
        session.flush()

        def write(temporary: Path) -> None:
            _write_laptop(
                temporary,
                passphrase,
                laptop=OutreachLaptopRow(
                    checkout_id=checkout_id,
                    municipality=profile.code,
                    area=area,
                    office_date=office_date,
                    **blocks.model_dump(),
                    private_key=key.private_bytes_raw().hex(),
                    bundle_key=bundle_key,
                    checked_out_at=now,
                    checked_out_by=actor_login,
                ),
                rows=[*households, *residents],
                staff=staff,
                now=now,
            )

        publish_file(out, write, refused=CheckoutRefused, then=session.commit)
    return CheckoutSummary(
        checkout_id, len(households), len(residents), len(staff), reception, payment
    )


def fingerprints(
    households: Sequence[HouseholdRow], residents: Sequence[ResidentRow]
) -> dict[str, str]:
    """Each household's register fingerprint (counter.outreach.register_fingerprint)."""
    members: dict[str, list[dict]] = {row.id: [] for row in households}
    for resident in residents:
        members[resident.household_id].append(resident.model_dump())
    return {row.id: register_fingerprint(row.model_dump(), members[row.id]) for row in households}


def _staff(session: Session, logins: Sequence[str]) -> list[StaffRow]:
    """The active accounts that may sign in on the laptop: those named, or every one."""
    active = session.exec(
        select(StaffRow).where(StaffRow.disabled == False).order_by(col(StaffRow.login))  # noqa: E712
    ).all()
    if not logins:
        return list(active)
    by_login = {row.login: row for row in active}
    for login in logins:
        if login not in by_login:
            raise CheckoutRefused(f"--staff: {login} という有効な職員はいません")
    return [by_login[login] for login in dict.fromkeys(logins)]


def _households(session: Session, terms: list[AreaTerm], municipality: str) -> list[HouseholdRow]:
    """The households of the area; a term that matches none is refused by name."""
    for term in terms:
        found = session.exec(
            select(func.count())
            .select_from(HouseholdRow)
            .where(HouseholdRow.municipality == municipality)
            .where(_matches(term))
        ).one()
        if not found:
            raise CheckoutRefused(f"--area: {term.typed} に当てはまる世帯がありません")
    return list(
        session.exec(
            select(HouseholdRow)
            .where(HouseholdRow.municipality == municipality)
            .where(or_(*[_matches(term) for term in terms]))
            .order_by(col(HouseholdRow.id))
        ).all()
    )


def _write_laptop(
    path: Path,
    passphrase: str,
    *,
    laptop: OutreachLaptopRow,
    rows: Sequence[SQLModel],
    staff: Sequence[StaffRow],
    now: datetime,
) -> None:
    """The whole laptop file at ``path`` (0600, flushed to disk), or StoreRefused."""
    try:
        engine = create_store(path, passphrase)
    except StoreRefused as exc:
        raise CheckoutRefused(str(exc)) from None
    try:
        with Session(engine.execution_options(write_lock=True)) as session:
            for row in rows:
                session.add(type(row).model_validate(row.model_dump()))
            for member in staff:
                session.add(
                    StaffRow(
                        id=member.id,
                        login=member.login,
                        display_name=member.display_name,
                        role=member.role,
                        password_hash=member.password_hash,
                        must_change_password=member.must_change_password,
                        created_at=now,
                    )
                )
            for name, first, last in (
                (laptop.reception_name, laptop.reception_first, laptop.reception_last),
                (laptop.payment_name, laptop.payment_first, laptop.payment_last),
            ):
                session.add(NumberSequenceRow(name=name, value=first - 1, last_value=last))
            session.add(laptop)
            session.commit()
    finally:
        engine.dispose()
    os.chmod(path, 0o600)
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def publish_file(
    out: Path,
    write: Callable[[Path], None],
    *,
    refused: Callable[[str], Exception],
    then: Callable[[], None] | None = None,
) -> None:
    """Make the file ``out`` appear only whole: ``write`` makes it under a temporary name
    beside it, which is linked to ``out`` (never over a file that appeared meanwhile,
    ``refused`` then). ``then`` (a commit) runs after the link; if it fails the file is
    taken away again. A crash leaves at most the ``.NAME.<id>.part`` file."""
    temporary = out.parent / f".{out.name}.{uuid.uuid4()}.part"
    try:
        write(temporary)
        try:
            os.link(temporary, out)
        except FileExistsError:
            raise refused(f"ファイル {out} はもうあります。上書きはしません") from None
        if then is not None:
            try:
                then()
            except BaseException:
                out.unlink(missing_ok=True)
                raise
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)


def laptop_status(engine: Engine, laptop: OutreachLaptopRow) -> LaptopStatus:
    """The figures of a laptop file: its blocks, how much of each is used, visits waiting."""
    with Session(engine) as session:
        reception_used = current(session, laptop.reception_name) - laptop.reception_first + 1
        payment_used = current(session, laptop.payment_name) - laptop.payment_first + 1
    waiting = visits_waiting(engine)
    return LaptopStatus(
        area=laptop.area,
        checked_out_at=laptop.checked_out_at,
        checked_out_by=laptop.checked_out_by,
        office_date=laptop.office_date,
        reception=(laptop.reception_first, laptop.reception_last),
        reception_used=max(0, reception_used),
        payment=(laptop.payment_first, laptop.payment_last),
        payment_used=max(0, payment_used),
        visits_waiting=waiting,
        exported_at=laptop.exported_at,
        exported_sequence=laptop.exported_sequence,
    )


def visits_waiting(engine: Engine) -> int:
    """How many visits the laptop holds: all wait to be handed back until the export
    (after it the file takes no new visit, see workflows.outreach_export)."""
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(VisitRow)).one())
