"""Snapshots of the main screens as text, at 80×24 and 120×40; at 80×24 the same walk
also checks that no screen draws an East-Asian ambiguous-width character, in the
standard look and in the contrast one (which pads labels: nothing may clip).

Every screen of a 出生 visit (and the newcomer, department, help, palette, leaving a visit,
an added event, checklist and QR screens, and the certificate request, on its own and
added to the visit) is drawn by the real app and compared, character
by character, with the file in ``snapshots/``. What changes by itself is fixed or masked:
the clock is masked, the visit ids are numbered and the slips go to the test's folder,
shown by a relative path. After
a deliberate change to a screen, look at the new text and rewrite the files with
``COUNTER_UPDATE_SNAPSHOTS=1 uv run pytest tests/functional/test_snapshots.py``.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
import unicodedata
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from narrow import table_problems
from test_keyboard import TODAY, drawn_ambiguous, visit_screens
from textual.geometry import Region

from forms.slip_preview import TICK
from screens.app import CounterApp
from screens.theme import CONTRAST, STANDARD

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("COUNTER_UPDATE_SNAPSHOTS") == "1"
NO_FOOTER = ("help", "leave visit", "payment QR")  # screens drawn without the key footer
MASKS = ((re.compile(r"\d{2}:\d{2}:\d{2}"), "HH:MM:SS"),)


async def check_both_looks(app, pilot, name: str, found: dict) -> None:
    """The ambiguous-width characters ``app.screen`` draws, in the standard look and then
    in the contrast one, switched as the palette switches it, and back."""
    found[name] = drawn_ambiguous(app.screen)
    app.theme = CONTRAST
    await pilot.pause()
    assert app.has_class(f"-theme-{CONTRAST}")
    found[f"{name} (contrast)"] = drawn_ambiguous(app.screen)
    app.theme = STANDARD
    await pilot.pause()


def screen_text(screen, size: tuple[int, int]) -> str:
    """The screen as the terminal shows it: each widget's lines at its place, children over
    their parents; a wide character takes two cells (the second is left empty)."""
    width, height = size
    grid = [[" "] * width for _ in range(height)]
    for widget in [screen, *screen.query("*")]:
        region = widget.region
        if not widget.display or not region.area:
            continue
        strips = widget.render_lines(Region(0, 0, region.width, region.height))
        for dy, strip in enumerate(strips):
            y = region.y + dy
            if not 0 <= y < height:
                continue
            x = region.x
            for char in "".join(segment.text for segment in strip):
                cells = 2 if unicodedata.east_asian_width(char) in "WF" else 1
                if 0 <= x < width:
                    grid[y][x] = char
                    if cells == 2 and x + 1 < width:
                        grid[y][x + 1] = ""
                x += cells
    text = "\n".join("".join(row).rstrip() for row in grid)
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text + "\n"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_main_screens_match_their_snapshots(settings, size, monkeypatch, clerk, tmp_path):
    numbers = itertools.count(1)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(numbers)))
    # The slips go to the test's own folder, shown by the same relative path every run.
    monkeypatch.chdir(tmp_path)
    slips = Path("slips")
    app = CounterApp(replace(settings, slip_dir=slips), today=TODAY, staff=clerk)
    drawn: dict[str, str] = {}

    cut: list[str] = []
    ambiguous: dict[str, dict[str, set[str]]] = {}

    async def check(name: str) -> None:
        text = screen_text(app.screen, size)
        for _ in range(30):  # on a loaded machine the footer can come a moment later
            if name in NO_FOOTER or "F1 ヘルプ" in text.rstrip("\n").splitlines()[-1]:
                break
            await pilot.pause(0.1)
            text = screen_text(app.screen, size)
        drawn[name] = text
        if size == (80, 24):
            await check_both_looks(app, pilot, name, ambiguous)
            if name == "done":  # the slip's tick box drawn in full width
                assert TICK in str(app.screen.query_one("#slip-preview").render())
        cut.extend(f"{name}: {problem}" for problem in table_problems(app.screen))

    async with app.run_test(size=size) as pilot:
        await visit_screens(pilot, check)
    assert len(drawn) == 17
    if size == (80, 24):
        assert len(ambiguous) == 2 * 17
        assert {name: found for name, found in ambiguous.items() if found} == {}
    assert not cut, cut  # every column in view, every shortened cell ending in 「…」
    # The footer keeps F1 in view at 80 columns on every working screen.
    for name, text in drawn.items():
        if name not in NO_FOOTER:
            assert "F1 ヘルプ" in text.rstrip("\n").splitlines()[-1], name
    label = f"{size[0]}x{size[1]}"
    differences = []
    for name, text in drawn.items():
        path = SNAPSHOTS / f"{name.replace(' ', '-').replace(':', '')}-{label}.txt"
        if UPDATE:
            path.write_text(text, encoding="utf-8")
            continue
        if not path.exists():
            differences.append(f"{path.name} がありません（COUNTER_UPDATE_SNAPSHOTS=1 で作ります）")
            continue
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            diff = difflib.unified_diff(
                expected.splitlines(), text.splitlines(), str(path.name), "drawn", lineterm=""
            )
            differences.append("\n".join(diff))
    assert not differences, "\n\n".join(differences)
