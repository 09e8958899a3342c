"""Terminals at work, each with its own connections: sign in, then whole visits as the
counter does them (search the register, plan, confirm with the payment code, mark a
checklist line, each with its audit rows), then sign out. Shared by the concurrency
tests (tests/db/test_concurrency.py) and ``bench/bench_terminals.py``, so the figures
the bench reports are of the work the tests check.

Run as a process: ``python tests/terminal_day.py URL LOGIN TERMINAL H1,H2,…`` visits
those households and prints one JSON line per visit (its 受付番号, payment numbers and
seconds to confirm); the password comes on stdin.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from counter.catalogue import load_catalogue
from counter.demo import generate_households
from counter.household import EventCase, Household
from counter.profile import load_profile
from counter.rules import plan
from db import audit
from db.checklist import set_counter_status
from db.engine import make_engine
from db.register import load_household, save_households, search_residents
from db.staff import sign_in, sign_out
from db.visits import record_visit

CITY = "312029"
DAY = date.today()
ANSWERS = {"residence_certificate": "yes", "nursery": "no", "seal": "no", "dog": "no",
           "moped": "no", "pregnant": "no"}  # fmt: skip


@dataclass(frozen=True)
class Visit:
    reception_number: int
    payment_numbers: tuple[str, ...]
    confirm_seconds: float


def fill_register(engine, households: int) -> list[str]:
    """``households`` fictional households moved in; their ids, in order."""
    made = generate_households(households, seed=100, on=DAY)
    save_households(engine, made, municipality=CITY)
    return [h.household_id or "" for h in made]


def terminal_day(
    url: str, login: str, password: str, terminal: str, household_ids: list[str], rules=None
):
    """One terminal's visits, one per household given; the Visit of each. ``rules`` is the
    (profile, catalogue) pair when threads of one process share it, as read-only data;
    a terminal process reads its own at start."""
    profile, catalogue = rules or (load_profile(CITY), load_catalogue())
    engine = make_engine(url)  # the terminal's own pool and connections
    try:
        staff = sign_in(engine, login, password, terminal=terminal)
        visits = []
        for household_id in household_ids:
            household = load_household(engine, household_id)
            head = household.head or household.members[0]
            search_residents(engine, head.kana.split("\u3000")[0])
            audit.record(engine, action="search", staff_id=staff.id, terminal=terminal,
                         detail=head.kana)  # fmt: skip
            case = _move_in(household)
            planned = plan(case, catalogue, profile, filed_on=DAY)
            started = time.perf_counter()
            stored = record_visit(engine, case, planned, profile, device_id=terminal)
            seconds = time.perf_counter() - started
            set_counter_status(engine, stored.id, planned.procedures[0].id, "done_here",
                               staff_id=staff.id, note="", terminal=terminal)  # fmt: skip
            numbers = tuple(p.fields.payment_number for p in stored.payments)
            visits.append(Visit(stored.reception_number, numbers, seconds))
        sign_out(engine, staff, terminal=terminal)
        return visits
    finally:
        engine.dispose()


def _move_in(household: Household) -> EventCase:
    everyone = tuple(replace(m, subject=True) for m in household.members)
    return EventCase(municipality=CITY, event="move_in", event_date=DAY,
                     household=replace(household, members=everyone), answers=ANSWERS)  # fmt: skip


def main() -> None:
    url, login, terminal, ids = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
    password = sys.stdin.readline().strip()
    for visit in terminal_day(url, login, password, terminal, ids):
        print(json.dumps(vars(visit) | {"payment_numbers": list(visit.payment_numbers)}),
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
