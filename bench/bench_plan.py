"""Planning speed: 10,000 random households through the real catalogue and rules.

Run: uv run python bench/bench_plan.py
Each fictional household gets a random event of the twelve and random subjects (a
newborn for 出生), and is planned once; prints the median and p99 time per household.
Target (issue 3): median ≤ 1 ms, p99 ≤ 5 ms on the 2-core development machine.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import replace
from datetime import date

from counter.catalogue import load_catalogue
from counter.demo import generate_households
from counter.events import EVENTS
from counter.household import EventCase, Household, Member
from counter.profile import load_profile
from counter.rules import plan

HOUSEHOLDS = 10_000
ON = date(2026, 11, 20)


def random_case(household: Household, rng: random.Random) -> EventCase:
    event = rng.choice(sorted(EVENTS))
    members = list(household.members)
    if event == "birth":
        baby = Member(
            f"{household.household_id}-b",
            "見本　赤子",
            "ミホン　アカゴ",
            ON,
            "female",
            "child",
            health_insurance="none",
            subject=True,
        )
        members.append(baby)
    else:
        chosen = set(rng.sample(range(len(members)), rng.randint(1, len(members))))
        members = [replace(m, subject=i in chosen) for i, m in enumerate(members)]
    return EventCase("312029", event, ON, replace(household, members=tuple(members)))


def main() -> None:
    profile = load_profile("312029")
    catalogue = load_catalogue().with_profile(profile)
    rng = random.Random(7)
    cases = [random_case(h, rng) for h in generate_households(HOUSEHOLDS, seed=3, on=ON)]
    timings = []
    procedures = 0
    for case in cases:
        started = time.perf_counter()
        procedures += len(plan(case, catalogue, profile, filed_on=ON).procedures)
        timings.append(time.perf_counter() - started)
    cuts = statistics.quantiles(timings, n=100)
    print(
        f"households: {len(cases)}  procedures planned: {procedures}  "
        f"catalogue: {len(catalogue.procedures)} entries"
    )
    print(
        f"median: {statistics.median(timings) * 1000:.3f} ms  p99: {cuts[98] * 1000:.3f} ms  "
        f"total: {sum(timings):.2f} s"
    )


if __name__ == "__main__":
    main()
