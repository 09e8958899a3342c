"""The outreach laptop's working folder: private, gone at exit, and a killed run's folder
gone at the next start while a run still going keeps its own. Real processes are killed
with SIGKILL, as a crash or a pulled battery would."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from workflows.working_folder import PREFIX, open_working_folder, ram_base, remove_leftovers

# A run that makes its working folder, leaves a PDF in it and waits to be killed.
RUN = """
import sys, time
from pathlib import Path
from workflows.working_folder import open_working_folder
folder = open_working_folder(Path(sys.argv[1]))
(folder.path / "20261124-0201-abcd1234.pdf").write_bytes(b"%PDF-1.4 resident")
print(folder.path, flush=True)
time.sleep(120)
"""


def start_run(base: Path) -> tuple[subprocess.Popen, Path]:
    run = subprocess.Popen(
        [sys.executable, "-c", RUN, str(base)], stdout=subprocess.PIPE, text=True
    )
    assert run.stdout is not None
    return run, Path(run.stdout.readline().strip())


def kill(run: subprocess.Popen) -> None:
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)


def test_the_folder_is_private_fresh_and_removed_at_exit(tmp_path):
    folder = open_working_folder(tmp_path)
    assert folder.path.parent == tmp_path and folder.path.name.startswith(PREFIX)
    assert stat.S_IMODE(folder.path.stat().st_mode) == 0o700
    assert list(folder.path.iterdir()) == []
    (folder.path / "slip.pdf").write_bytes(b"%PDF-1.4")
    folder.remove()
    assert list(tmp_path.iterdir()) == []


def test_a_killed_runs_folder_is_removed_at_the_next_start(tmp_path):
    run, left = start_run(tmp_path)
    kill(run)
    assert (left / "20261124-0201-abcd1234.pdf").is_file()  # kill -9 removes nothing
    folder = open_working_folder(tmp_path)
    assert not left.exists()
    assert list(tmp_path.iterdir()) == [folder.path]
    folder.remove()


def test_a_run_still_going_keeps_its_folder(tmp_path):
    run, alive = start_run(tmp_path)
    try:
        folder = open_working_folder(tmp_path)
        assert alive.is_dir() and (alive / "20261124-0201-abcd1234.pdf").is_file()
        assert folder.path != alive
        folder.remove()
    finally:
        kill(run)
    assert remove_leftovers(tmp_path) == [alive]
    assert list(tmp_path.iterdir()) == []


def test_a_link_with_the_prefix_is_not_followed(tmp_path):
    """Only real folders of this account are removed: never what a link points to."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.pdf").write_bytes(b"%PDF-1.4")
    base = tmp_path / "base"
    base.mkdir()
    (base / f"{PREFIX}link").symlink_to(elsewhere, target_is_directory=True)
    (base / f"{PREFIX}file").write_text("not a folder")
    assert remove_leftovers(base) == []
    assert (elsewhere / "keep.pdf").is_file() and (base / f"{PREFIX}file").is_file()


def test_the_folder_is_on_ram_when_the_machine_has_some(tmp_path, monkeypatch):
    """/dev/shm first, then $XDG_RUNTIME_DIR, then the temporary folder; a place this
    account may not write is passed over."""
    refused: set[str] = set()
    allowed = os.access
    monkeypatch.setattr(
        "workflows.working_folder.os.access",
        lambda path, mode: str(path) not in refused and allowed(path, mode),
    )
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert ram_base() == Path("/dev/shm")
    refused.add("/dev/shm")
    assert ram_base() == tmp_path
    refused.add(str(tmp_path))
    assert ram_base() == Path(tempfile.gettempdir())
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert ram_base() == Path(tempfile.gettempdir())
