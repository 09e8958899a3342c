"""How far slow work has got, in Japanese (issue 7: anything over a second shows progress).

Pure: the work names each step and its size (``step``) and reports what it finished
(``advance``); a sink shows the lines: the command's stderr (``terminal_progress``) or the
search screen's status line. Staff see nothing for steps that end within a second. Once
one takes longer, its line comes at most every half second, e.g.
「住民データの読み込み　12,000／150,000行（8%）　残り約 20 秒」, every later step shows
from its start, and each step that showed anything ends with a line saying it is done.

The environment variable COUNTER_PROGRESS_AFTER sets that first second for the commands
(seconds, e.g. ``COUNTER_PROGRESS_AFTER=0`` to see every step at once, as the tests do).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping
from typing import TextIO

Sink = Callable[[str, bool], None]
"""Receives (line, final): a final line stays; any other is replaced by the next line."""

AFTER_ENV = "COUNTER_PROGRESS_AFTER"
AFTER_SECONDS = 1.0
EVERY_SECONDS = 0.5


class Progress:
    """One piece of slow work, in steps; the clock is injectable so tests need no sleeps."""

    def __init__(
        self,
        sink: Sink,
        *,
        after: float = AFTER_SECONDS,
        every: float = EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sink = sink
        self._after = after
        self._every = every
        self._clock = clock
        self._last_shown = -math.inf
        self._label = ""
        self._unit = ""
        self._total = 0
        self._done = 0
        self._step_started = clock()
        self._showing = False  # the current step has shown a line
        self._watched = False  # any step has: from then on every step shows from its start

    def step(self, label: str, total: int, unit: str = "件") -> None:
        """Start the next step (ending the one before): ``total`` ``unit`` to go through."""
        self._end_step()
        self._label, self._total, self._unit, self._done = label, total, unit, 0
        self._step_started = self._clock()
        self._show_if_due(starting=True)

    def advance(self, n: int = 1) -> None:
        self._done += n
        self._show_if_due()

    def finish(self) -> None:
        """All done: the last step's final line, if it showed anything."""
        self._end_step()

    def stop(self) -> None:
        """The work stopped half-way (an error follows): end the line without claiming done."""
        if self._showing:
            self._sink(f"{self._counts()}　中断", True)
        self._showing = False
        self._label = ""

    def _end_step(self) -> None:
        if self._showing:
            took = _duration(self._clock() - self._step_started)
            self._sink(f"{self._counts()}　完了（{took}）", True)
        self._showing = False
        self._label = ""

    def _show_if_due(self, *, starting: bool = False) -> None:
        """Once a step has taken ``after``: its line every ``every``, and every later
        step's from its start (staff are watching by then)."""
        now = self._clock()
        if not self._label or not (self._watched or now - self._step_started >= self._after):
            return
        if not starting and now - self._last_shown < self._every:
            return
        self._last_shown = now
        self._showing = self._watched = True
        line = self._counts()
        if 0 < self._done < self._total and now > self._step_started:
            rate = self._done / (now - self._step_started)
            line += f"　残り約 {_duration(max(1.0, (self._total - self._done) / rate))}"
        self._sink(line, False)

    def _counts(self) -> str:
        percent = min(100, self._done * 100 // self._total) if self._total else 100
        done = f"{self._done:,}／{self._total:,}{self._unit}"
        return f"{self._label}　{done}（{percent}%）"


def _duration(seconds: float) -> str:
    if seconds < 1:
        return "1 秒未満"
    if round(seconds) < 60:
        return f"{round(seconds)} 秒"
    return f"{round(seconds / 60)} 分"


def quiet() -> Progress:
    """For work nobody watches (tests, a single household saved from a screen)."""
    return Progress(lambda line, final: None, after=math.inf)


def terminal_progress(stream: TextIO, environ: Mapping[str, str] = os.environ) -> Progress:
    """Progress for a command, on ``stream`` (its stderr, so stdout keeps only results):
    redrawn in place on a terminal, one plain line each time otherwise (a log file)."""
    if stream.isatty():

        def sink(line: str, final: bool) -> None:
            end = "\n" if final else ""
            stream.write(f"\r\x1b[K{line}{end}")  # back to the line's start, clear it
            stream.flush()
    else:

        def sink(line: str, final: bool) -> None:
            stream.write(f"{line}\n")
            stream.flush()

    return Progress(sink, after=_after_seconds(environ.get(AFTER_ENV)))


def _after_seconds(text: str | None) -> float:
    try:
        return max(0.0, float(text)) if text else AFTER_SECONDS
    except ValueError:  # a test knob, not a setting staff type: a bad value means the default
        return AFTER_SECONDS
