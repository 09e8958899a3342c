"""Random fuzzing can be asked for (issue 22, point 13): `--hypothesis-seed=random` was
ignored because every property set ``derandomize``. Now the profile decides: ``ci`` draws
the same examples each run, ``random`` a fresh search each run. Both are run here as a
real pytest on a property that records what it was given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
PROPERTY = """
import os
from hypothesis import given, settings, strategies as st

@settings(max_examples=20)
@given(st.integers())
def test_draw(n):
    with open(os.environ["DRAWN"], "a") as out:
        out.write(f"{n}\\n")
"""


def drawn(tmp_path: Path, run: int, *options: str) -> list[str]:
    folder = tmp_path / f"run{run}"
    folder.mkdir()
    (folder / "test_draw.py").write_text(PROPERTY, encoding="utf-8")
    # As tests/conftest.py does: the profiles exist before pytest reads its options.
    (folder / "conftest.py").write_text("import hypothesis_profiles\n", encoding="utf-8")
    out = folder / "drawn.txt"
    # Hypothesis's own plugin only: the others (asyncio, xdist, …) cost half a second a run.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "-p", "hypothesis.extra.pytestplugin", *options, str(folder / "test_draw.py")],
        capture_output=True, text=True, timeout=120, cwd=folder,
        env={**os.environ, "DRAWN": str(out), "PYTHONPATH": str(TESTS),
             "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (folder / ".hypothesis").exists()  # no example database written
    return out.read_text(encoding="utf-8").split()


def test_ci_draws_the_same_examples_and_random_a_fresh_search(tmp_path):
    assert drawn(tmp_path, 1) == drawn(tmp_path, 2)
    fresh = [drawn(tmp_path, n, "--hypothesis-profile=random") for n in (3, 4)]
    assert fresh[0] != fresh[1]
    seeded = [
        drawn(tmp_path, n, "--hypothesis-profile=random", "--hypothesis-seed=7") for n in (5, 6)
    ]
    assert seeded[0] == seeded[1]


def test_the_deep_profile_is_a_fresh_search_of_ten_thousand_cases():
    """What bench/fuzz_deep.py runs every property with (issue 23, point 3)."""
    import hypothesis_profiles
    from hypothesis import settings

    deep = settings.get_profile("deep")
    assert deep.max_examples == hypothesis_profiles.DEEP_CASES
    if not os.environ.get("COUNTER_DEEP_CASES"):
        assert deep.max_examples == 10_000
    assert not deep.derandomize and deep.deadline is None and deep.database is None
