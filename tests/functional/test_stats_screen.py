"""「窓口の実績」: a supervisor reads the counter's figures of a period on the screen.

The figures are the hand-made week of tests/stats_week.py, whose every figure was worked
out by hand; the real app with Pilot at 80×24 shows them exactly as the export's JSON
gives them (a count under five as 「5件未満」, in the tables and with no bar), in Japanese
only, with no column pushed out of view and no cell cut without 「…」, in both looks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import add_staff
from narrow import table_problems
from sqlmodel import Session, select
from stats_week import fill_week
from test_keyboard import (
    drawn_ambiguous,
    english_words,
    help_rows,
    open_palette,
    run_command,
)
from test_login import fill
from test_visit_flow import shown, wait_for
from textual.geometry import Region
from textual.widgets import Static

from counter.stats import SUPPRESSED
from db.engine import make_engine
from db.models import AuditLogRow
from screens.app import CounterApp
from screens.help import HelpScreen
from screens.search import SearchScreen
from screens.stats import READING, StatsScreen
from screens.theme import THEME_ENV
from screens.widgets.bar_chart import BarChart
from screens.widgets.fitted_table import FittedTable

TODAY = date(2026, 11, 24)


@pytest.fixture
def office(settings):
    """The week's visits in the app's database; the administrator kanri and the clerk."""
    engine = make_engine(settings.database_url)
    fill_week(engine)
    staff = add_staff(engine)
    engine.dispose()
    return staff


async def open_stats(pilot) -> StatsScreen:
    """F4 on the search screen, once the database is open; the default period read."""
    app = pilot.app
    await wait_for(pilot, lambda: shown(app, SearchScreen) and app.database_ready)
    await pilot.press("f4")
    await wait_for(pilot, lambda: shown(app, StatsScreen))
    await wait_for(pilot, lambda: status(app.screen) not in ("", READING))
    return app.screen


async def read_period(pilot, screen: StatsScreen, start: str, end: str) -> None:
    """Type the period (F2 goes to its first day), Enter on each day reads the figures."""
    await pilot.press("f2")
    await fill(pilot, screen, {"#stats-from": start, "#stats-to": end})
    screen.query_one("#stats-from").focus()
    await pilot.press("enter", "enter")
    await wait_for(pilot, lambda: status(screen) not in ("", READING))
    await pilot.pause()  # the columns take their widths at the next refresh


def status(screen) -> str:
    return str(screen.query_one("#stats-status", Static).render())


def summary(screen) -> str:
    return str(screen.query_one("#stats-summary").render())


def rows(screen, key: str) -> dict[str, list[str]]:
    """A table's rows as given (before fitting), by their first cell."""
    table = screen.query_one(f"#stats-{key}", FittedTable)
    return {row[0]: row[1:] for row in map(table.full_row, table.keys)}


def drawn_bars(chart: BarChart) -> list[int]:
    """The cells of each bar as drawn (the bar colour), line by line under the caption."""
    colour = chart.get_component_rich_style("bar-chart--bar").bgcolor
    strips = chart.render_lines(Region(0, 0, chart.region.width, chart.region.height))
    return [
        sum(len(s.text) for s in strip if s.style and s.style.bgcolor == colour)
        for strip in strips[1:]
    ]


def drawn_text(screen) -> str:
    """Everything each widget of the screen draws, in view or scrolled out of it."""
    lines = []
    for widget in screen.query("*"):
        if widget.display and widget.region.area:
            region = Region(0, 0, widget.region.width, widget.region.height)
            lines += ["".join(s.text for s in strip) for strip in widget.render_lines(region)]
    return "\n".join(lines)


async def test_a_supervisor_reads_the_week_as_the_export_gives_it(settings, office):
    admin, _ = office
    app = CounterApp(settings, today=TODAY, staff=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        await read_period(pilot, screen, "2026-11-02", "令和8年11月8日")
        assert status(screen) == "米子市　令和8年11月2日（月）〜令和8年11月8日（日）"
        said = summary(screen)
        for part in ("受付 12件", "中央値 10.0分・90%値 30.0分", "1件あたりの手続き 2.08件",
                     "書かない率 95.2%", "住民が記入した欄 1"):  # fmt: skip
            assert part in said
        assert rows(screen, "days") == {
            "令和8年11月2日（月）": ["6"],
            "令和8年11月4日（水）": ["5"],
            "令和8年11月7日（土）": [SUPPRESSED],  # one visit on the holiday counter
        }
        events = {"出生": [SUPPRESSED], "証明書の請求": ["6"], "転入": ["5"]}
        assert rows(screen, "events") == events
        assert rows(screen, "certificates") == {
            "住民票の写しの交付": ["6"],
            "印鑑登録証明書の交付": [SUPPRESSED],
        }
        minutes = rows(screen, "minutes")
        assert minutes["全体"] == ["12", "10.0", "30.0"]
        assert minutes["証明書の請求"] == ["6", "4.0", "20.0"]
        assert minutes["出生"] == [SUPPRESSED] * 3  # the one birth took 25 minutes: not said
        assert rows(screen, "fields")["書かない率（%）"] == ["95.2"]
        assert rows(screen, "work")["届出書の印刷"] == ["5"]
        handoffs = rows(screen, "handoffs")
        assert handoffs["保険年金課"] == ["5", "5", "0", "3.0", "26.0"]
        assert handoffs["子育て支援課"] == [SUPPRESSED] * 3 + ["－", "－"]
        assert rows(screen, "payments") == {
            "戸籍・住民票などの証明手数料": ["6", "1,800", "5", "1,500"]
        }
        assert "科目数 1" in str(screen.query_one("#payments-heading", Static).render())
        assert rows(screen, "channels") == {"窓口": ["11"], "休日窓口": [SUPPRESSED]}
        hours = screen.query_one("#stats-hours", FittedTable)
        assert [hours.full_row(key) for key in hours.keys] == [
            ["月曜日", "9時台", "6"],
            ["水曜日", "13時台", "5"],
            ["土曜日", "10時台", SUPPRESSED],
        ]
        # The bars: the largest fills the chart, a 「5件未満」 row has none.
        chart = screen.query_one("#events-chart", BarChart)
        full = chart.content_region.width
        assert drawn_bars(chart) == [0, full, round(5 * full / 6)]
        assert drawn_bars(screen.query_one("#days-chart", BarChart))[2] == 0
        assert drawn_bars(screen.query_one("#hours-chart", BarChart))[2] == 0
        # Nothing the export withholds is drawn anywhere: the birth's 25 minutes.
        assert "25.0" not in drawn_text(screen)
    (looked,) = [
        row.detail
        for row in _audit(settings)
        if row.action == "view" and row.detail.endswith("〜2026-11-08")
    ]
    assert looked == "窓口の実績の閲覧 2026-11-02〜2026-11-08"


def _audit(settings) -> list[AuditLogRow]:
    with Session(make_engine(settings.database_url)) as session:
        return list(session.exec(select(AuditLogRow)).all())


@pytest.mark.parametrize("theme", ["standard", "contrast"])
async def test_at_80x24_every_column_shows_in_japanese(settings, office, theme, monkeypatch):
    monkeypatch.setenv(THEME_ENV, theme)
    admin, _ = office
    app = CounterApp(settings, today=TODAY, staff=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        await read_period(pilot, screen, "2026-11-02", "2026-11-08")
        assert table_problems(screen) == []
        assert drawn_ambiguous(screen) == {}
        text = drawn_text(screen)
        assert english_words(text) == set(), text
        for heading in ("日別の受付", "担当課への引き継ぎ", "混む曜日・時間帯"):
            assert heading in text
        assert "F5 集計" in text and "F2 期間" in text
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert help_rows(help_screen)["F5"].startswith("集計")
        assert english_words(drawn_text(help_screen)) == set()


async def test_from_the_palette_the_current_month_to_today_and_a_wrong_period(settings, office):
    _, clerk = office
    supervisor = replace(clerk, role="supervisor")
    app = CounterApp(settings, today=TODAY, staff=supervisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen) and app.database_ready)
        await run_command(pilot, "窓口の実績")
        await wait_for(pilot, lambda: shown(app, StatsScreen))
        screen = app.screen
        await wait_for(pilot, lambda: status(screen) not in ("", READING))
        assert screen.query_one("#stats-from").value == "令和8年11月1日"
        assert screen.query_one("#stats-to").value == "令和8年11月24日"
        assert "受付 13件" in summary(screen)  # the week and the Monday after it
        await read_period(pilot, screen, "2026-11-09", "2026-11-02")
        assert status(screen) == "最初の日: 最後の日より後の日は指定できません"
        assert screen.query_one("#stats-status").has_class("error")
        assert app.focused is screen.query_one("#stats-from")  # the field the line names
        assert "受付 13件" in summary(screen)  # the figures shown stay as they were
        await read_period(pilot, screen, "R8.13.1", "2026-11-02")
        assert status(screen).startswith("最初の日: ")
        assert app.focused is screen.query_one("#stats-from")


async def test_a_clerk_is_refused_and_not_offered_the_figures(settings, office):
    _, clerk = office
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen) and app.database_ready)
        await pilot.press("f4")
        refused = "窓口の実績は、監督者と管理者だけが使えます"
        await wait_for(pilot, lambda: any(n.message == refused for n in app._notifications))
        assert not isinstance(app.screen, StatsScreen)
        assert "窓口の実績" not in "\n".join(await open_palette(pilot))
        await pilot.press("escape")
        await pilot.press("f1")  # the search screen's help names the key and who may use it
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert help_rows(app.screen)["F4"].startswith("窓口の実績")
