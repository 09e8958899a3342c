"""The first start seeds the demo register in a worker (issue 7): the search screen says
what is being done and how far it has got, takes input meanwhile, then is the normal
screen. Driven through the real app with Pilot on a new SQLite file."""

from __future__ import annotations

import re
from datetime import date

from conftest import add_staff
from test_visit_flow import paste, wait_for
from textual.widgets import DataTable, Input, Static

import screens.app
from db.engine import make_engine
from db.migrate import upgrade
from screens.app import CounterApp
from screens.search import PREPARING, SearchScreen
from screens.settings import Settings

TODAY = date(2026, 11, 24)
SEEDED = 1_000  # storing them takes about a second here: long enough to watch
STORING = re.compile(r"住民データの登録　([\d,]+)／1,000世帯（(\d+)%）")
HINT = "入力すると候補が出ます。下キーで一覧に移り、Enter で受付を始めます。"


async def test_first_start_shows_how_far_seeding_has_got_then_the_normal_screen(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(screens.app, "DEMO_HOUSEHOLDS", SEEDED)
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'counter.sqlite3'}",
        slip_dir=tmp_path / "slips",
        device_id="pilot-test",
    )
    # the administrator signed in already (the login screen shows the same line meanwhile)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    admin, _ = add_staff(engine)
    engine.dispose()
    app = CounterApp(settings, today=TODAY, staff=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        await wait_for(pilot, lambda: bool(screen.query("#status")))
        status = screen.query_one("#status", Static)
        query = screen.query_one("#query", Input)
        shown: list[str] = []
        typed_while_seeding = False
        for _ in range(1_500):
            text = str(status.render())
            if not shown or shown[-1] != text:
                shown.append(text)
            if STORING.search(text) and not typed_while_seeding:
                paste(query, "ヤマ")  # staff may type while the register is being made
                await pilot.pause()
                typed_while_seeding = query.value == "ヤマ" and not app.database_ready
            if app.database_ready and "件" in text:
                break
            await pilot.pause(0.02)

        storing = [text for text in shown if STORING.search(text)]
        assert len(storing) >= 2, shown  # the line moves on as households are stored
        assert all(text.startswith(PREPARING + "\n") for text in storing)
        counts = [int(STORING.search(text).group(1).replace(",", "")) for text in storing]
        assert counts == sorted(counts) and counts[-1] > 0
        assert typed_while_seeding, shown  # the screen took input during seeding

        # then the normal screen: what was typed meanwhile is searched
        table = screen.query_one("#results", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        assert "準備" not in str(status.render())
        query.value = ""
        await wait_for(pilot, lambda: str(status.render()) == HINT)
        assert app.database_ready
