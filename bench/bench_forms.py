"""Paper for one visit: the guidance slip plus every pre-filled form of a 4-member 転入.

Run: uv run python bench/bench_forms.py
Times what a confirmed visit costs before staff see the paths: plan → eL-QR → slip PDF →
forms_for_visit → one PDF with all forms. Target (issue 5): ≤ 500 ms.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from bench_slip import write_slip
from pypdf import PdfReader

from counter.catalogue import load_catalogue
from counter.household import Address, EventCase, Household, Member
from counter.profile import load_profile
from counter.rules import plan
from forms.fonts import slip_fonts, warm_fonts
from forms.form_pdf import render_visit_forms
from forms.prefill import VisitInfo, forms_for_visit

VISITS = 20
ON = date(2026, 11, 20)


def move_in_case() -> EventCase:
    members = (
        Member(
            "m1", "米子　太郎", "ヨナゴ　タロウ", date(1990, 4, 1), "male", "head", subject=True
        ),
        Member(
            "m2",
            "米子　花子",
            "ヨナゴ　ハナコ",
            date(1992, 6, 15),
            "female",
            "spouse",
            subject=True,
        ),
        Member("m3", "米子　蓮", "ヨナゴ　レン", date(2016, 9, 1), "male", "child", subject=True),
        Member(
            "m4", "𠮷田　結衣", "ヨシダ　ユイ", date(2023, 2, 2), "female", "child", subject=True
        ),
    )
    household = Household(Address("6830823", "鳥取県米子市加茂町二丁目1番地"), members)
    answers = {"dog": "yes", "seal": "yes", "moped": "no", "nursery": "no"}
    previous = Address("6800011", "鳥取県鳥取市東町一丁目220番地")
    return EventCase("312029", "move_in", date(2026, 11, 16), household, answers, previous)


def main() -> None:
    profile = load_profile("312029")
    catalogue = load_catalogue().with_profile(profile)
    case = move_in_case()
    t0 = time.perf_counter()
    warm_fonts()  # as the app does in a worker at start
    print(f"fonts loaded at start (the app's worker): {(time.perf_counter() - t0) * 1000:.0f} ms")
    timings, pages = [], 0
    with tempfile.TemporaryDirectory() as folder:
        for number in range(1, VISITS + 1):
            t0 = time.perf_counter()
            result = plan(case, catalogue, profile, filed_on=ON)
            write_slip(result, case, profile, number, Path(folder) / f"slip-{number}.pdf")
            forms = forms_for_visit(result, case, profile, VisitInfo(number, ON, "窓口　一郎"))
            render_visit_forms(forms, Path(folder) / f"forms-{number}.pdf")
            timings.append(time.perf_counter() - t0)
        pages = len(PdfReader(Path(folder) / "forms-1.pdf").pages)
    print(
        f"font: {slip_fonts().regular}  procedures: {len(result.procedures)}  "
        f"forms: {len(forms)} ({pages} pages)"
    )
    first, rest = timings[0], timings[1:]
    print(f"first visit of the process: {first * 1000:.0f} ms")
    print(
        f"slip + all forms per visit, the other {len(rest)}: "
        f"median {statistics.median(rest) * 1000:.0f} ms  "
        f"max {max(rest) * 1000:.0f} ms  (target ≤ 500 ms)"
    )


if __name__ == "__main__":
    main()
