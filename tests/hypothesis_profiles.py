"""Hypothesis profiles for every property test, and which one a run uses.

- ``ci`` (the default): the same examples on every run (``derandomize``), so CI passes or
  fails on the code, not on a random draw; at most 100 examples a property (the suite's
  five minutes; the long searches are ``deep``'s).
- ``random``: a fresh search each run (``--hypothesis-seed=N`` repeats one), 200 examples.
- ``deep``: a fresh search of 10,000 examples a property (``COUNTER_DEEP_CASES`` to change
  it), for the long runs done by hand: ``uv run python bench/fuzz_deep.py`` runs every fuzz
  property so and reports the cases, cases per second and finds of each.

``--hypothesis-profile=NAME`` (Hypothesis's own pytest option) picks one, as does the
environment variable ``COUNTER_HYPOTHESIS_PROFILE``. No profile keeps Hypothesis's example
database: a test run writes nothing outside its temporary folders (a find is reported
with its reproduction blob and kept as an ``@example``).
"""

from __future__ import annotations

import os

from hypothesis import settings

COMMON = {"deadline": None, "database": None, "print_blob": True}
settings.register_profile("ci", max_examples=100, derandomize=True, **COMMON)
settings.register_profile("random", max_examples=200, derandomize=False, **COMMON)
# bench/fuzz_deep.py sets COUNTER_DEEP_CASES for its --cases; 10,000 otherwise.
DEEP_CASES = int(os.environ.get("COUNTER_DEEP_CASES") or 10_000)
settings.register_profile("deep", max_examples=DEEP_CASES, derandomize=False, **COMMON)
settings.load_profile(os.environ.get("COUNTER_HYPOTHESIS_PROFILE", "ci"))
