"""The outreach laptop's private working folder: the one place a slip or a forms PDF is a
plain file, and only for the moment it is made or printed.

Why it exists: on the laptop the PDFs live inside the encrypted file (``db.documents``),
but reportlab writes a file and `lp` reads one. Those moments need a folder only this
account can open (0700), on RAM when the machine has some (/dev/shm, else
$XDG_RUNTIME_DIR, else the temporary folder), made fresh at start and removed at exit.

A run killed with kill -9 cannot remove its folder. Each run holds a lock (flock) on its
folder for as long as the process lives, so the next start removes every folder of this
prefix and this account whose lock is free, and leaves a run still going alone (two
counters, or two test workers, may run side by side).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

PREFIX = "counter-outreach-"
ATTEMPTS = 3  # a folder removed by another run's start while it was being locked is made again


@dataclass
class WorkingFolder:
    path: Path
    lock: int  # the folder's open descriptor, locked while this run lives

    def remove(self) -> None:
        """Remove the folder and everything in it (at exit)."""
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self.lock)


def ram_base() -> Path:
    """Where working folders are made: RAM when this account may write there."""
    for candidate in ("/dev/shm", os.environ.get("XDG_RUNTIME_DIR")):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return Path(candidate)
    return Path(tempfile.gettempdir())


def open_working_folder(base: Path | None = None) -> WorkingFolder:
    """A fresh working folder (0700), locked for this run, after removing the leftovers
    of earlier runs under ``base`` (default ``ram_base()``)."""
    base = base or ram_base()
    remove_leftovers(base)
    for _ in range(ATTEMPTS):
        path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=base))
        lock = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        if _locked(lock) and _still_there(path, lock):
            return WorkingFolder(path, lock)
        os.close(lock)
    raise OSError(f"作業フォルダを作れません（{base}）")


def remove_leftovers(base: Path) -> list[Path]:
    """Remove the working folders under ``base`` that are this account's and that no
    living run holds; returns those removed."""
    removed = []
    for folder in base.glob(f"{PREFIX}*"):
        try:
            info = folder.lstat()
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
                continue
            lock = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:  # gone meanwhile, or not ours to open
            continue
        try:
            if _locked(lock):  # its run is over: nobody else holds it
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        finally:
            os.close(lock)
    return removed


def _locked(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _still_there(path: Path, descriptor: int) -> bool:
    """The folder locked is still the one at ``path`` (another start may have removed it
    between its making and its locking)."""
    try:
        here, locked = os.stat(path), os.fstat(descriptor)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (locked.st_dev, locked.st_ino)
