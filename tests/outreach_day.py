"""An outreach day as the tests and the bench make it: the office's route checked out,
visits confirmed on the laptop's encrypted file through the real workflows, the bundle
written; shared so the figures of bench/bench_outreach.py are of what is tested."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from conftest import case_of, member, pilot_household, spouse
from sqlalchemy.engine import Engine
from typical_visits import TYPICAL_ANSWERS

from counter.catalogue import load_catalogue
from counter.household import Address, Household
from counter.outreach import parse_area
from counter.profile import load_profile
from counter.rules import plan
from db.outreach_store import open_store
from db.visits import StoredVisit, record_visit
from workflows.documents import SlipFolder
from workflows.outreach import CheckoutSummary, checkout
from workflows.visit import confirm_visit

PASSPHRASE = "sharyou-no-aikotoba-7"
MUNICIPALITY = "312029"


def route_household(household_id: str, postal: str, address: str, surname: str) -> Household:
    """The two-member Pilot household under another id, address and surname."""
    base = pilot_household()
    members = tuple(
        replace(m, id=f"{household_id}-{i}", name=m.name.replace("米子", surname))
        for i, m in enumerate(base.members, 1)
    )
    return Household(household_id=household_id, address=Address(postal, address), members=members)


def check_out(
    office: Engine, out: Path, admin, *, area: str = "683", reception: int = 50, payment: int = 50
) -> CheckoutSummary:
    """Check the route out into ``out`` as ``admin`` (a db.staff member), for today."""
    return checkout(
        office,
        actor_id=admin.id,
        actor_login=admin.login,
        terminal="office-1",
        terms=[parse_area(area)],
        out=out,
        passphrase=PASSPHRASE,
        profile=load_profile(MUNICIPALITY),
        office_date=date.today(),
        reception_count=reception,
        payment_count=payment,
    )


def open_laptop(path: Path) -> Engine:
    engine, _ = open_store(path, PASSPHRASE)
    return engine


def move_in_visit(
    laptop: Engine,
    household_id: str,
    slip_dir: Path | None = None,
    *,
    numbers: dict[str, str] | None = None,
) -> StoredVisit:
    """A two-member 転入 of ``household_id`` with the typical answers (a 住民票 to pay
    for, so a payment code) stored on the laptop: with its papers written into
    ``slip_dir`` (and ``numbers`` sealed) when given, else the visit alone, as the
    hand-back carries it (its PDFs never travel)."""
    profile = load_profile(MUNICIPALITY)
    members = [member("m1", subject=True), spouse(subject=True)]
    case = case_of(
        "move_in",
        date.today().isoformat(),
        members,
        household_id=household_id,
        answers=TYPICAL_ANSWERS["move_in"],
    )
    planned = plan(case, load_catalogue(), profile, filed_on=date.today())
    if slip_dir is None:
        return record_visit(laptop, case, planned, profile, device_id="car-1")
    confirmed = confirm_visit(
        laptop,
        case,
        planned,
        profile,
        device_id="car-1",
        keeper=SlipFolder(slip_dir),
        numbers=numbers,
    )
    return confirmed.visit
