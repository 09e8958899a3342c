"""Start-up: from process start to the first usable screen, against a bare Textual app.

Run: uv run python bench/bench_startup.py
Both programs run in a real terminal (tmux, 120×40) started the same way, with the same
interpreter; the clock stops when the screen shows what staff need first: the login
screen with its first input (「ログイン名」; nothing of a resident shows before a sign-in)
for the counter, 「準備完了」 for the bare app. The counter opens an already seeded SQLite
file (the first start of a new install also creates the demo register; that is timed
apart). Target (issue 7): ≤ 1.5×.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

RUNS = 10
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("準備完了")
        yield Footer()

Bare().run()
"""


def time_until(
    command: list[str],
    marker: str,
    env: dict[str, str],
    folder: Path,
    answer: tuple[str, str] | None = None,
) -> float:
    """Seconds from starting ``command`` in tmux until ``marker`` is on the screen;
    ``answer`` (a prompt, a line) is typed with Enter as soon as the prompt shows.

    Each run starts a tmux server of its own on a new socket in ``folder`` (never a
    server already running, whose environment would not be ``env``) and ends it."""
    tmux = ["tmux", "-S", str(folder / f"tmux-{uuid.uuid4().hex}.sock")]
    started = time.perf_counter()
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", "120", "-y", "40", *command], check=True, env=env
    )
    try:
        while time.perf_counter() - started < 60:
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p"], capture_output=True, text=True
            ).stdout
            if marker in screen:
                return time.perf_counter() - started
            if answer is not None and answer[0] in screen:
                subprocess.run([*tmux, "send-keys", "-l", answer[1]], check=True)
                subprocess.run([*tmux, "send-keys", "Enter"], check=True)
                answer = None
            time.sleep(0.005)
        raise TimeoutError(f"「{marker}」が60秒以内に表示されませんでした")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def main() -> None:
    if shutil.which("tmux") is None:
        sys.exit("tmux がありません（apt-get install tmux）")
    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    bare = folder / "bare.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    env = {**os.environ, "COUNTER_DATA_DIR": str(folder / "data"), "TERM": "xterm-256color"}
    python = sys.executable
    counter = [python, "-m", "counter.cli"]
    # The first start of a new install seeds the demo register; timed once, apart.
    first = time_until(counter, "ログイン名", env, folder)
    counters, bares = [], []
    for _ in range(RUNS):
        bares.append(time_until([python, str(bare)], "準備完了", env, folder))
        counters.append(time_until(counter, "ログイン名", env, folder))
    shutil.rmtree(folder, ignore_errors=True)
    bare_median, counter_median = statistics.median(bares), statistics.median(counters)
    print(f"first start (creates and seeds the SQLite file): {first * 1000:.0f} ms")
    print(f"bare Textual app: median {bare_median * 1000:.0f} ms  (of {RUNS})")
    print(f"counter, login screen ready: median {counter_median * 1000:.0f} ms  (of {RUNS})")
    print(f"ratio: {counter_median / bare_median:.2f}×  (target ≤ 1.5×)")


if __name__ == "__main__":
    main()
