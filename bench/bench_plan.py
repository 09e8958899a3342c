"""Planning speed: households planned per second through the real catalogue and rules.

Run: uv run python bench/bench_plan.py
Plans every household of a fictional register (both events, every member a subject for
転入) and prints plans per second and the p95 time of one plan.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import date

from counter.catalogue import load_catalogue
from counter.demo import generate_households
from counter.household import EventCase, Member
from counter.profile import load_profile
from counter.rules import plan

HOUSEHOLDS = 5_000
ON = date(2026, 11, 20)


def cases() -> list[EventCase]:
    found = []
    for household in generate_households(HOUSEHOLDS, seed=1, on=ON):
        movers = tuple(replace(m, subject=True) for m in household.members)
        found.append(EventCase("312029", "move_in", ON, replace(household, members=movers)))
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
        found.append(
            EventCase("312029", "birth", ON, replace(household, members=(*household.members, baby)))
        )
    return found


def main() -> None:
    profile = load_profile("312029")
    catalogue = load_catalogue().with_profile(profile)
    all_cases = cases()
    timings = []
    procedures = 0
    started = time.perf_counter()
    for case in all_cases:
        t0 = time.perf_counter()
        procedures += len(plan(case, catalogue, profile, filed_on=ON).procedures)
        timings.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    p95 = statistics.quantiles(timings, n=100)[94] * 1000
    print(f"plans: {len(all_cases)}  procedures: {procedures}  time: {elapsed:.2f} s")
    print(f"plans per second: {len(all_cases) / elapsed:,.0f}  p95 per plan: {p95:.3f} ms")


if __name__ == "__main__":
    main()
