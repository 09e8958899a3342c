"""The README's test command on a machine that lacks what the tests need.

`scripts/test` runs with a PATH of its own here: a few real tools, a non-root `id`, no
sudo and none of the packages. It must not start the tests; it must name, in one line,
the exact command that installs what is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "test"


def _bin_with(tmp_path: Path, *tools: str) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in tools:
        (folder / tool).symlink_to(shutil.which(tool))
    return folder


def test_a_user_without_root_is_told_the_one_line_to_run(tmp_path):
    folder = _bin_with(tmp_path, "bash", "dirname", "ls", "apt-get")
    (folder / "id").write_text("#!/bin/sh\necho 1000\n")
    (folder / "id").chmod(0o755)
    env = {"PATH": str(folder), "HOME": str(tmp_path)}
    result = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    command = lines[0].split(": ", 1)[1]
    assert command.startswith("sudo apt-get install -y ")
    packages = set(command.removeprefix("sudo apt-get install -y ").split())
    assert {"tmux", "poppler-utils", "cups-client", "fontconfig"} <= packages
    assert "pytest" not in result.stdout + result.stderr


def test_ci_runs_exactly_the_readme_command():
    root = SCRIPT.parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "\n    scripts/test\n" in readme
    assert [
        line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))
    ] == ["exec scripts/test"]
    assert os.access(SCRIPT, os.X_OK)
