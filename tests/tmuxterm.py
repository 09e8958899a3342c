"""The real program in a real terminal: tmux on a private socket of the test's own.

The server is started for this terminal alone (``-S`` in the test's temporary directory),
so a tmux server the developer already runs is never used, and the program's environment
is given on its command line, not inherited from whichever server answers. Keys go in
with ``send-keys`` as an IME commits them; the screen comes back with ``capture-pane``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest


class Terminal:
    def __init__(
        self,
        folder: Path,
        environment: Mapping[str, str],
        *,
        size: tuple[int, int] = (120, 40),
        command: tuple[str, ...] = (sys.executable, "-m", "counter.cli"),
        umask: str = "022",
    ) -> None:
        if shutil.which("tmux") is None:
            pytest.fail("tmux がありません（apt-get install tmux。scripts/test が入れます）")
        self.socket = folder / "tmux.sock"
        # Only what the program needs, given explicitly: never a server's environment.
        keep = ("PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV", "PYTHONPATH")
        env = {k: os.environ[k] for k in keep if k in os.environ}
        env |= {"TERM": "xterm-256color", **environment}
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        program = " ".join(shlex.quote(part) for part in command)
        shell = f"umask {umask}; exec env -i {assignments} {program}"
        width, height = size
        self._tmux("new-session", "-d", "-s", "counter", "-x", str(width), "-y", str(height), shell)

    def _tmux(self, *arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-S", str(self.socket), *arguments],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "TMUX": ""},
        )

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "counter").stdout

    def wait_for(self, text: str, seconds: float = 30) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"「{text}」が表示されませんでした:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self._tmux("send-keys", "-t", "counter", key)
            time.sleep(0.3)  # one key at a time: a burst reads as a paste

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "counter", "-l", text)
        time.sleep(0.4)

    def close(self) -> None:
        subprocess.run(
            ["tmux", "-S", str(self.socket), "kill-server"], capture_output=True, check=False
        )
