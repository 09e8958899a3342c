"""Deep fuzzing (not a test): every fuzz property of tests/fuzz, 10,000 cases each, with
the cases run, cases per second and finds (the minimal failing example) of each.

Run: uv run python bench/fuzz_deep.py [--cases 10000] [--only NAME] [--workers 2]
     [--seed N] [--json FILE]
Runs pytest on tests/fuzz with the Hypothesis profile ``deep`` (tests/hypothesis_profiles.py:
a fresh search each run, no deadline; ``--cases`` sets its examples per property through
COUNTER_DEEP_CASES) and this file as a pytest plugin, which keeps only the properties
(``@given`` tests; the fixed examples are CI's) and counts the calls of each one's inner
test. ``--only`` is pytest's ``-k`` (a file or property name, or part of one); ``--seed``
repeats one search (``--hypothesis-seed``); ``--workers`` is pytest-xdist's ``-n`` (the
machine has 2 cores). Cases are every run of a property's body: the ``@example`` ones, the
generated ones and, after a find, the shrinking. A property whose inputs run out (a few
hundred cut points of one bundle) stops before ``--cases``. Exit status 1 when anything
was found; each find is printed with its exception, its minimal example and the
``@reproduce_failure`` line that replays it.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUT = "COUNTER_FUZZ_DEEP_OUT"
CASES = "COUNTER_DEEP_CASES"  # read by tests/hypothesis_profiles.py
LONGEST = 240  # characters of an example's line printed

# --- the plugin (loaded with -p fuzz_deep, in each xdist worker too) -------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Only the properties run: the tests around them take the same time at any depth."""
    if not os.environ.get(OUT):
        return
    kept = [item for item in items if _handle(item) is not None]
    dropped = [item for item in items if _handle(item) is None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept


def _handle(item: pytest.Item) -> Any:
    """Hypothesis's handle on a property (``.hypothesis.inner_test``), else None."""
    return getattr(getattr(item, "obj", None), "hypothesis", None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Count every run of the property's body, and the time of the whole search."""
    handle = _handle(item)
    if handle is None or not os.environ.get(OUT):
        return (yield)
    inner = handle.inner_test
    counts = {"cases": 0, "raised": 0}  # raised: failed, or rejected by Hypothesis itself

    @functools.wraps(inner)
    def counted(*args: Any, **kwargs: Any) -> Any:
        counts["cases"] += 1
        try:
            return inner(*args, **kwargs)
        except BaseException:
            counts["raised"] += 1
            raise

    handle.inner_test = counted
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        handle.inner_test = inner
        item.user_properties.append(("fuzz_seconds", time.perf_counter() - started))
        item.user_properties.append(("fuzz_cases", counts["cases"]))
        item.user_properties.append(("fuzz_raised", counts["raised"]))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """One JSON line a property, written by the process that reports (the xdist
    controller, or the only process)."""
    path = os.environ.get(OUT)
    if not path or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if report.when != "call" and not (report.when == "setup" and report.failed):
        return  # a property that could not even start is a find too
    found = dict(report.user_properties)
    line = {
        "property": report.nodeid,
        "outcome": report.outcome,
        "cases": found.get("fuzz_cases", 0),
        "raised": found.get("fuzz_raised", 0),
        "seconds": found.get("fuzz_seconds", report.duration),
        "finds": finds(report.longreprtext) if report.failed else [],
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


FAILING = re.compile(r"^(Failing (explicit example|test case)|Falsifying (explicit )?example): ")
ERROR = re.compile(r"^(assert |[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Check)\b)")
PREFIX = re.compile(r"^(E   |\s*[|+](-*\+)?\s?)")  # pytest's E, an exception group's |


def finds(text: str) -> list[dict[str, str]]:
    """Each failure Hypothesis reports in a failed property's text: the exception line,
    the minimal example and its @reproduce_failure line. Anything else (a health check,
    an error before the search) is one find with the report's last line."""
    lines = [PREFIX.sub("", line, count=1).rstrip() for line in text.splitlines()]
    found: list[dict[str, str]] = []
    error = ""
    for at, line in enumerate(lines):
        if ERROR.match(line):
            error = line
        if FAILING.match(line):
            example = [line]
            for following in lines[at + 1 :] if line.endswith("(") else []:
                example.append(following)
                if following == ")":  # the call's closing line
                    break
            found.append({"error": error, "example": "\n".join(example), "reproduce": ""})
        elif line.startswith("You can reproduce") and found:
            found[-1]["reproduce"] = line
    if not found:
        last = next((line for line in reversed(lines) if line.strip()), "")
        found.append({"error": error or last, "example": "", "reproduce": ""})
    return found


# --- the command ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="examples per property")
    parser.add_argument("--only", metavar="NAME", help="pytest -k: the properties to run")
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist -n (0: none)")
    parser.add_argument("--seed", type=int, help="--hypothesis-seed: repeat one search")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the rows here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fuzz-deep-") as folder:
        out = Path(folder) / "rows.jsonl"
        command = [
            sys.executable, "-m", "pytest", "tests/fuzz", "-p", "fuzz_deep",
            "--hypothesis-profile=deep", "-p", "no:cacheprovider", "-q", "--no-header",
            "--tb=short", "-n", str(args.workers),
        ]  # fmt: skip
        if args.only:
            command += ["-k", args.only]
        if args.seed is not None:
            command.append(f"--hypothesis-seed={args.seed}")
        path = os.pathsep.join(filter(None, [str(ROOT / "bench"), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, OUT: str(out), CASES: str(args.cases), "PYTHONPATH": path}
        print("$ " + shlex.join(sys.argv[:1] + sys.argv[1:]), flush=True)
        print(f"  {CASES}={args.cases} {shlex.join(command[1:])}", flush=True)
        started = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        rows = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    if not rows:
        print(result.stdout[-4000:] + result.stderr[-4000:])
        print("no property ran")
        return 2
    print_table(rows, elapsed, args.workers)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    return 1 if any(row["finds"] for row in rows) else 0


def print_table(rows: list[dict[str, Any]], elapsed: float, workers: int) -> None:
    rows = sorted(rows, key=lambda row: row["property"])
    width = max(len(_name(row)) for row in rows)
    print(f"\n{'property':<{width}}  {'cases':>8}  {'seconds':>8}  {'cases/s':>8}  finds")
    for row in rows:
        rate = row["cases"] / row["seconds"] if row["seconds"] else 0.0
        print(
            f"{_name(row):<{width}}  {row['cases']:>8,}  {row['seconds']:>8.1f}  "
            f"{rate:>8,.0f}  {len(row['finds'])}"
        )
    cases = sum(row["cases"] for row in rows)
    busy = sum(row["seconds"] for row in rows)
    print(
        f"{len(rows)} properties, {cases:,} cases in {busy:,.0f} s of property time, "
        f"{elapsed:,.0f} s wall with {workers or 1} worker(s); "
        f"{sum(len(row['finds']) for row in rows)} finds"
    )
    for row in rows:
        for find in row["finds"]:
            print(f"\nFIND {row['property']}\n  {find['error']}")
            for line in find["example"].splitlines():  # whole in --json
                print(f"  {line[:LONGEST]}…" if len(line) > LONGEST else f"  {line}")
            if find["reproduce"]:
                print(f"  {find['reproduce']}")


def _name(row: dict[str, Any]) -> str:
    """``file::property`` without the folder and the test_ prefixes."""
    file, _, name = row["property"].rpartition("::")
    return f"{Path(file).stem.removeprefix('test_fuzz_')}::{name.removeprefix('test_')}"


if __name__ == "__main__":
    sys.exit(main())
