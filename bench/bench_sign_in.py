"""Sign-in timing: whether the answer's time tells which logins exist or are locked.

Run: uv run python bench/bench_sign_in.py [--rounds 15]
A SQLite file with two accounts, one of them locked after five wrong passwords; then,
for each kind of attempt in turn, the median time of ``db.staff.sign_in`` (real Argon2
parameters). An unknown login, a locked account and a wrong password should each cost
the same as a right one (issue 22: a locked account answered in 0.9 ms, an unknown login
in 96 ms).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

from counter.staff import ADMINISTRATOR, CLERK
from db.engine import make_engine
from db.migrate import upgrade
from db.staff import SignInRefused, create_staff, sign_in

PASSWORD = "bench-password-2026"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}")
    upgrade(engine)
    admin = create_staff(engine, login="kanri", display_name="管理", role=ADMINISTRATOR,
                         password=PASSWORD, actor=None, terminal="bench")  # fmt: skip
    for login in ("locked", "known"):
        create_staff(engine, login=login, display_name=login, role=CLERK, password=PASSWORD,
                     actor=admin, terminal="bench")  # fmt: skip
    for _ in range(5):
        with contextlib.suppress(SignInRefused):
            sign_in(engine, "locked", "wrong-password-0", terminal="bench")
    kinds = {
        "right password": ("known", PASSWORD),
        "wrong password": ("known", "wrong-password-1"),
        "unknown login": ("nobody", "wrong-password-1"),
        "locked account": ("locked", PASSWORD),
    }
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(rounds):  # interleaved, so a busy moment falls on every kind alike
        for kind, (login, password) in kinds.items():
            started = time.perf_counter()
            with contextlib.suppress(SignInRefused):
                sign_in(engine, login, password, terminal="bench")
            times[kind].append(time.perf_counter() - started)
    right = statistics.median(times["right password"])
    for kind, measured in times.items():
        median = statistics.median(measured)
        print(f"{kind:<15} median {median * 1000:7.1f} ms  ({median / right:.2f}× a right one)")


if __name__ == "__main__":
    main()
