"""Slip speed: time to build and write one guidance slip PDF with its eL-QR.

Run: uv run python bench/bench_slip.py
A confirmed visit waits for this in a worker before the path is shown to staff.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from counter.billing import DEMO_KEY, bills_for_plan
from counter.catalogue import load_catalogue
from counter.household import Address, EventCase, Household, Member
from counter.plan import Plan
from counter.profile import load_profile
from counter.rules import plan
from counter.slip import build_slip
from forms.fonts import slip_fonts
from forms.slip_pdf import render_slip

SLIPS = 40
ON = date(2026, 11, 20)


def write_slip(result: Plan, case: EventCase, profile, number: int, path: Path) -> Path:
    """What confirming a visit does for its slip: payment codes, slip text, PDF."""
    bills = bills_for_plan(result, profile)
    codes = [bill.issue(str(number * 10 + i), DEMO_KEY) for i, bill in enumerate(bills)]
    slip = build_slip(
        result,
        case,
        profile,
        reception_number=number,
        issued_on=result.filed_on,
        payments=codes,
    )
    return render_slip(slip, path)


def main() -> None:
    profile = load_profile("312029")
    catalogue = load_catalogue().with_profile(profile)
    household = Household(
        Address("6830823", "鳥取県米子市加茂町二丁目1番地"),
        (
            Member("m1", "米子　太郎", "ヨナゴ　タロウ", date(1990, 4, 1), "male", "head"),
            Member("m2", "米子　花子", "ヨナゴ　ハナコ", date(1992, 6, 15), "female", "spouse"),
            Member(
                "m3",
                "米子　陽翔",
                "ヨナゴ　ハルト",
                ON,
                "male",
                "child",
                health_insurance="none",
                subject=True,
            ),
        ),
    )
    answers = {"birth_acceptance_certificate": "yes", "residence_certificate": "yes"}
    case = EventCase("312029", "birth", ON, household, answers)
    result = plan(case, catalogue, profile, filed_on=ON)
    fonts = slip_fonts()
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        for number in range(1, SLIPS + 1):
            t0 = time.perf_counter()
            write_slip(result, case, profile, number, Path(folder) / f"{number}.pdf")
            timings.append(time.perf_counter() - t0)
        size = (Path(folder) / "1.pdf").stat().st_size
    print(
        f"font: {fonts.family} (embedded)  procedures: "
        f"{len(result.procedures)}  file: {size / 1024:.0f} KiB"
    )
    print(
        f"median per slip: {statistics.median(timings) * 1000:.0f} ms  "
        f"max: {max(timings) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
