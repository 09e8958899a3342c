"""Benchmark (not a test): an outreach day of 500 visits handed back, and the start-up of
the app on the laptop's encrypted file against the same app on a plain SQLite file.

Run: uv run python bench/bench_outreach.py [--visits 500] [--runs 3]
A route of ``--visits`` households (the tests' two-member household) is checked out of a
SQLite office file; on the laptop's SQLCipher file each household has a 転入 stored
through ``db.visits.record_visit`` (its checklist and payment code; the PDFs are left out,
they never travel) and two audit rows. Timed: ``workflows.outreach_export.export_bundle``
(each run exports again, as a lost bundle is), and ``workflows.outreach_import.
import_bundle`` into a fresh copy of the office file each run. Start-up (issue 18, point
7): process start to the login screen in tmux 120×40 (bench_startup.time_until), the
passphrase typed the moment its prompt shows for the encrypted file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS)]

from bench_startup import time_until  # noqa: E402
from conftest import add_staff  # noqa: E402
from outreach_day import (  # noqa: E402
    PASSPHRASE,
    check_out,
    move_in_visit,
    open_laptop,
    route_household,
)

from db import audit  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.register import save_households  # noqa: E402
from workflows.outreach_export import export_bundle  # noqa: E402
from workflows.outreach_import import import_bundle  # noqa: E402

STARTS = 10


def fill_laptop(laptop, households: list[str], staff_id: str) -> None:
    for household_id in households:
        visit = move_in_visit(laptop, household_id)
        for action in ("view", "print"):
            audit.record(laptop, action=action, staff_id=staff_id, terminal="car-1",
                         visit_id=visit.id, detail="出張のベンチ")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-outreach-"))
    os.environ["COUNTER_DATA_DIR"] = str(folder / "data")
    office_file = folder / "office.sqlite3"
    office = make_engine(f"sqlite:///{office_file}")
    upgrade(office)
    ids = [f"R{n:05d}" for n in range(args.visits)]
    route = [route_household(i, "6830823", f"鳥取県米子市加茂町{n}番地", "加茂")
             for n, i in enumerate(ids, 1)]  # fmt: skip
    save_households(office, route, municipality="312029")
    admin, clerk = add_staff(office)
    check_out(office, folder / "car.db", admin, reception=args.visits + 10,
              payment=args.visits + 10)  # fmt: skip
    office.dispose()
    laptop = open_laptop(folder / "car.db")
    started = time.perf_counter()
    fill_laptop(laptop, ids, clerk.id)
    print(f"{args.visits} visits stored on the laptop in {time.perf_counter() - started:.1f} s")

    exports, imports, size = [], [], 0
    for run in range(args.runs):
        out = folder / f"day-{run}.bundle"
        started = time.perf_counter()
        export_bundle(laptop, out, staff_id=clerk.id, terminal="car-1")
        exports.append(time.perf_counter() - started)
        size = out.stat().st_size
        copy = folder / f"office-{run}.sqlite3"
        shutil.copy(office_file, copy)
        engine = make_engine(f"sqlite:///{copy}")
        started = time.perf_counter()
        summary = import_bundle(engine, out.read_bytes(), staff_id=admin.id, terminal="o")
        imports.append(time.perf_counter() - started)
        assert summary.visits == args.visits and audit.verify(engine).ok
        engine.dispose()
    laptop.dispose()
    print(f"export of {args.visits} visits: {_times(exports)}, bundle {size / 1024:.0f} KiB")
    print(f"import of {args.visits} visits (one transaction): {_times(imports)}")
    startup(folder)
    shutil.rmtree(folder, ignore_errors=True)


def _times(seconds: list[float]) -> str:
    runs = ", ".join(f"{t:.2f}" for t in seconds)
    return f"median {statistics.median(seconds):.2f} s (runs {runs})"


def startup(folder: Path) -> None:
    """The encrypted laptop file against a plain SQLite file with the same register."""
    if shutil.which("tmux") is None:
        sys.exit("tmux がありません（apt-get install tmux）")
    fresh = folder / "fresh"
    fresh.mkdir()
    plain_file = fresh / "plain.sqlite3"
    plain = make_engine(f"sqlite:///{plain_file}")
    upgrade(plain)
    save_households(plain, [route_household("H1", "6830823", "加茂町1", "加茂")],
                    municipality="312029")  # fmt: skip
    admin, _ = add_staff(plain)
    check_out(plain, fresh / "car.db", admin)
    plain.dispose()
    env = {**os.environ, "COUNTER_DATA_DIR": str(fresh / "data"), "TERM": "xterm-256color"}
    counter = [sys.executable, "-m", "counter.cli"]
    encrypted = [*counter, "--outreach", str(fresh / "car.db")]
    plains, encrypteds = [], []
    for _ in range(STARTS):
        plains.append(time_until([*counter, "--database-url", f"sqlite:///{plain_file}"],
                                 "ログイン名", env, folder))  # fmt: skip
        asked = ("合言葉", PASSPHRASE)
        encrypteds.append(time_until(encrypted, "ログイン名", env, folder, answer=asked))
    plain_median, encrypted_median = statistics.median(plains), statistics.median(encrypteds)
    print(f"start-up, plain SQLite: median {plain_median * 1000:.0f} ms (of {STARTS})")
    print(f"start-up, encrypted outreach file: median {encrypted_median * 1000:.0f} ms")
    print(f"ratio: {encrypted_median / plain_median:.2f}×")


if __name__ == "__main__":
    main()
