"""窓口の実績: the counter's figures of a period, for supervisors and administrators.

The figures are those ``counter stats`` exports (db.stats, read in a worker) and are shown
only as the export's JSON gives them (screens.stats_tables), so a count the export
suppresses as 「5件未満」 never reaches the screen. Looking is recorded in the audit log,
as an export is. The app opens this screen for supervisors and administrators only
(screens.app).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input, Static

from counter.stats import MIN_SHOWN, SUPPRESSED, Figures, PeriodError, as_json, read_period
from counter.wareki import format_wareki
from screens.base import CounterScreen
from screens.logs import log_failure
from screens.stats_tables import Section, sections, summary
from screens.widgets.bar_chart import BarChart
from screens.widgets.date_field import DateField
from screens.widgets.fitted_table import FittedTable
from screens.widgets.header import CounterHeader
from screens.widgets.wrapped_text import WrappedText

READING = "集計しています"
UNREADABLE = "集計できませんでした（詳細は記録ファイルにあります）"
EMPTY = "この期間にはありません"
FIRST, LAST = "最初の日", "最後の日"  # the period's fields, as its messages name them


class StatsScreen(CounterScreen):
    HELP = (
        "窓口の実績（監督者・管理者）: 期間の受付の件数（日別・届出別・証明書別）、1件の分数"
        "（中央値・90%値）、手続きの数、書かない率、届出書、担当課への引き継ぎ、納付番号、"
        "受付の場所、混む曜日・時間帯を表示します。期間は西暦でも和暦でも入力できます。"
        f"{MIN_SHOWN}件未満の数は、出力と同じく「{SUPPRESSED}」と表示します。"
        "上下キーで表を送ります。"
    )
    BINDINGS = [
        Binding("escape", "app.pop_screen", "戻る", tooltip="世帯の検索に戻ります"),
        Binding("f2", "focus_period", "期間", tooltip="期間の最初の日に移ります"),
        Binding("f5", "read", "集計", tooltip="入力した期間で集計します"),
    ]
    DEFAULT_CSS = """
    StatsScreen #stats-period {
        height: auto;
    }
    StatsScreen #stats-period DateField {
        width: 1fr;
    }
    StatsScreen #stats-until {
        width: auto;
        padding: 1 0;
    }
    StatsScreen #stats-summary {
        height: auto;
        padding: 0 1;
        text-style: bold;
    }
    StatsScreen #stats-body {
        height: 1fr;
        border-top: solid $primary;
    }
    StatsScreen .stats-heading {
        text-style: bold underline;
        padding: 0 1;
        margin-top: 1;
    }
    StatsScreen .stats-section {
        height: auto;
    }
    StatsScreen .stats-section FittedTable {
        width: 1fr;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.asked: tuple[date, date] | None = None

    def compose(self) -> ComposeResult:
        today = self.app.today
        yield CounterHeader()
        yield Static("窓口の実績", classes="title")
        with Horizontal(id="stats-period"):
            yield DateField(input_id="stats-from", placeholder="最初の日（例: R8.11.1）")
            yield Static("〜", id="stats-until")
            yield DateField(input_id="stats-to", placeholder="最後の日（例: 2026-11-30）")
        yield Static("", classes="hint", id="stats-status")
        yield WrappedText(id="stats-summary")
        with VerticalScroll(id="stats-body"):
            yield Static(
                f"{MIN_SHOWN}件未満の数は「{SUPPRESSED}」と表示します（出力と同じ）",
                classes="hint",
            )
            for section in sections(as_json(Figures(self.app.profile.code, today, today))):
                yield Static(section.heading, classes="stats-heading", id=f"{section.key}-heading")
                yield Static(EMPTY, classes="hint", id=f"{section.key}-empty")
                with Horizontal(classes="stats-section", id=f"{section.key}-section"):
                    table = FittedTable(*section.columns, id=f"stats-{section.key}",
                                        cursor_type="none", show_cursor=False)  # fmt: skip
                    table.can_focus = False  # the column scrolls as one
                    yield table
                    if section.chart is not None:
                        yield BarChart("グラフ", id=f"{section.key}-chart")
        yield Footer()

    def on_mount(self) -> None:
        today = self.app.today
        first, last = self.query(DateField)
        first.show(today.replace(day=1))
        last.show(today)
        self.query_one("#stats-body").focus()
        self.action_read()

    def action_focus_period(self) -> None:
        self.query_one("#stats-from", Input).focus()

    @on(Input.Submitted, "#stats-from")
    def from_given(self) -> None:
        self.query_one("#stats-to", Input).focus()

    @on(Input.Submitted, "#stats-to")
    def to_given(self) -> None:
        self.action_read()

    def action_read(self) -> None:
        """Read the figures of the period typed; what is wrong with it, said in one line."""
        first, last = self.query_one("#stats-from", Input), self.query_one("#stats-to", Input)
        try:
            start, end = read_period(first.value, last.value, (FIRST, LAST))
        except PeriodError as exc:
            (first if exc.field == FIRST else last).focus()
            self._say(str(exc), error=True)
            return
        self.asked = (start, end)
        self._say(READING)
        self.load(start, end)

    def _say(self, line: str, *, error: bool = False) -> None:
        status = self.query_one("#stats-status", Static)
        status.update(line)
        status.set_class(error, "error")
        status.set_class(not error, "hint")

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def load(self, start: date, end: date) -> None:
        """The figures, once the look is recorded (a look not recorded does not happen)."""
        from db.stats import figures

        app = self.app
        try:
            app.audit("view", detail=f"窓口の実績の閲覧 {start}〜{end}")
            data = as_json(figures(app.engine, app.profile.code, start, end))
        except Exception as exc:  # one Japanese line for staff, the rest in the log
            log_failure("窓口の実績の集計", exc)
            app.call_from_thread(self._failed, (start, end))
            return
        app.call_from_thread(self._show, data)

    def _failed(self, period: tuple[date, date]) -> None:
        if self.is_attached and period == self.asked:
            self._say(UNREADABLE, error=True)

    def _show(self, data: dict[str, Any]) -> None:
        period = (date.fromisoformat(data["from"]), date.fromisoformat(data["to"]))
        if not self.is_attached or period != self.asked:  # left, or another period asked
            return
        start, end = period
        self._say(f"{self.app.profile.name}　{format_wareki(start)}〜{format_wareki(end)}")
        parts = summary(data)
        self.query_one("#stats-summary", WrappedText).show(["　".join(parts)], keep=parts)
        for section in sections(data):
            self._fill(section)

    def _fill(self, section: Section) -> None:
        key = section.key
        self.query_one(f"#{key}-heading", Static).update(section.heading)
        self.query_one(f"#{key}-empty").display = not section.rows
        self.query_one(f"#{key}-section").display = bool(section.rows)
        self.query_one(f"#stats-{key}", FittedTable).set_rows(
            (texts, str(index)) for index, texts in enumerate(section.texts())
        )
        if section.chart is not None:
            self.query_one(f"#{key}-chart", BarChart).show(
                [row[section.chart] for row in section.rows]
            )
