"""`counter` as a real process, optionally killed with SIGKILL at an exact step.

The step is a function of ours (or of the standard library, such as ``os.replace``)
replaced, in that process only, by one that kills it: after ``calls_before`` calls go
through, the next one kills the process before it runs (or after, with "after"). No
exception unwinds and no ``finally`` runs, as when the power goes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KILLER = """
import importlib, os, signal, sys
sys.path.insert(0, "tests")
module, name, calls_before, when = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
target = importlib.import_module(module)
real, count = getattr(target, name), [0]
def killing(*args, **kwargs):
    count[0] += 1
    if count[0] <= calls_before:
        return real(*args, **kwargs)
    if when == "after":
        real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(target, name, killing)
{then}
"""
CLI = "from counter.cli import main\nsys.exit(main(sys.argv[5:]))"


def counter(*args: str, stdin: str = "", kill: tuple[str, str, int, str] | None = None):
    """`counter ARGS…` as a process (COUNTER_PASSWORD_STDIN=1); with ``kill`` (module,
    function, calls let through, before|after the next call) it dies by SIGKILL there."""
    head = [sys.executable, "-m", "counter.cli"]
    if kill is not None:
        head = [sys.executable, "-c", KILLER.format(then=CLI), *map(str, kill)]
    return subprocess.run(
        [*head, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "COUNTER_PASSWORD_STDIN": "1"},
    )
