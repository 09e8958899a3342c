"""A department's queue: procedures the counters handed to it, with the visit's data and
forms, and F10 to mark one done.

The resident stays at the counter (one-stop), so the department works from this list on
any terminal. It reloads every 10 seconds, so hand-offs made at other terminals appear
without a key press. All database work runs in thread workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker, WorkerState

from counter.events import event_label
from counter.wareki import format_wareki, format_wareki_short
from db.checklist import QueueLine
from screens.base import CounterScreen, worker_result
from screens.logs import log_failure
from screens.widgets.fitted_table import Column, FittedTable
from screens.widgets.header import CounterHeader
from screens.widgets.japanese_input import JapaneseInput

REFRESH_SECONDS = 10


@dataclass(frozen=True)
class LoadedQueue:
    waiting: dict[str, int]  # department name -> lines waiting
    department: str | None
    lines: list[QueueLine]


def local_time(at: datetime | None) -> datetime | None:
    """Stored times are UTC (SQLite gives them back without a zone); staff read local time."""
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone()


def line_detail(line: QueueLine) -> str:
    """What the department needs to act without asking the counter again."""
    handed = local_time(line.handed_at)
    when = f"{format_wareki(handed.date(), weekday=False)} {handed:%H:%M}" if handed else ""
    return "\n".join(
        [
            f"受付番号 {line.reception_number}（{format_wareki(line.office_date)}）"
            f"　{'・'.join(map(event_label, line.events))}",
            f"世帯主 {line.head_name}様　{line.address}",
            f"手続き {line.procedure_name}（対象の方 {'、'.join(line.member_names) or 'なし'}）",
            f"メモ {line.note or 'なし'}",
            f"引き継ぎ {line.handed_by or '窓口'}　{when}",
            f"届出書 {line.forms_path or 'この受付で作成した届出書はありません'}",
        ]
    )


class DepartmentQueueScreen(CounterScreen):
    HELP = "窓口から引き継がれた手続きを担当課ごとに表示し、済んだものを F10 で完了にします。"
    DEFAULT_CSS = """
    DepartmentQueueScreen #department-body {
        height: 1fr;
    }
    DepartmentQueueScreen #departments {
        width: 26;
        height: 1fr;
    }
    DepartmentQueueScreen #queue-side {
        width: 1fr;
    }
    DepartmentQueueScreen #queue {
        height: 1fr;
    }
    DepartmentQueueScreen #queue-detail {
        height: auto;
        max-height: 10;
        padding: 0 1;
        border-top: solid $primary;
    }
    DepartmentQueueScreen #queue-status, DepartmentQueueScreen #queue-message {
        height: auto;
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "戻る", tooltip="世帯の検索に戻ります"),
        Binding("f5", "refresh", "更新", tooltip="引き継ぎの一覧を読み直します"),
        Binding("f10", "mark_done", "完了にする", tooltip="選んだ手続きを担当課で完了にします"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.department: str | None = None
        self.lines: dict[str, QueueLine] = {}

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        yield Static("担当課の受付（窓口から引き継がれた手続き）", classes="title")
        with Horizontal(id="department-body"):
            yield FittedTable(
                Column("担当課", "name", flexible=True),
                Column("件数", "count"),
                id="departments",
                cursor_type="row",
            )
            with Vertical(id="queue-side"):
                yield FittedTable(
                    Column("受付日", "date"),
                    Column("番号", "number"),
                    Column("世帯主", "head", flexible=True),
                    Column("手続き", "name", flexible=True, least=10),
                    Column("引き継ぎ", "handed"),
                    id="queue",
                    cursor_type="row",
                    zebra_stripes=True,
                )
                yield Static("", id="queue-detail")
        yield JapaneseInput(placeholder="完了のメモ（なくても完了にできます）", id="done-note")
        yield Static("読み込んでいます", id="queue-status")
        yield Static("", id="queue-message")  # the outcome of the last F10, kept over reloads
        yield Footer()

    def on_mount(self) -> None:
        departments = self.query_one("#departments", FittedTable)
        profile = sorted(self.app.profile.departments.values(), key=lambda d: d.order)
        departments.set_rows(((d.name, ""), d.name) for d in profile)
        departments.focus()
        self.action_refresh()
        self.set_interval(REFRESH_SECONDS, self.action_refresh)

    def action_refresh(self) -> None:
        self.load(self.department, self._listed())

    def _listed(self) -> list[str]:
        """Department names in the list: the profile's, in visiting order, then others."""
        return list(self.query_one("#departments", FittedTable).keys)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load(self, department: str | None, listed: list[str]) -> LoadedQueue:
        """Without a chosen department, the first in the list that has hand-offs."""
        from db.checklist import departments_with_handoffs
        from workflows.lookups import department_lines

        engine = self.app.engine
        waiting = departments_with_handoffs(engine)
        if department is None and waiting:
            department = next((name for name in listed if name in waiting), next(iter(waiting)))
        lines = department_lines(engine, department, self.app.actor) if department else []
        return LoadedQueue(waiting, department, lines)

    @work(thread=True, exit_on_error=False, group="mark")
    def mark(self, line: QueueLine, note: str) -> QueueLine:
        from db.checklist import mark_done_by_department

        app = self.app
        mark_done_by_department(
            app.engine,
            line.visit_id,
            line.procedure_id,
            app.staff_id,
            note,
            terminal=app.settings.device_id,
        )
        return line

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group not in ("load", "mark"):
            return
        if event.state == WorkerState.SUCCESS:
            if event.worker.group == "load":
                self._show(worker_result(event.worker, LoadedQueue))
            else:
                line = worker_result(event.worker, QueueLine)
                self._message(
                    f"受付番号 {line.reception_number}「{line.procedure_name}」を完了にしました。"
                )
                self.query_one("#done-note", Input).value = ""
                self.action_refresh()
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, (ValueError, LookupError)):
                self._message(str(error))
                self.action_refresh()
            else:
                log_failure("担当課の受付", error)
                self._message("データベースに接続できませんでした。もう一度お試しください。")

    def _show(self, loaded: LoadedQueue) -> None:
        if self.department is not None and loaded.department != self.department:
            return  # staff chose another department while this was loading
        first = self.department is None
        self.department = loaded.department
        departments = self.query_one("#departments", FittedTable)
        listed = self._listed()
        # A department no longer in the profile still gets its queue, after the others.
        names = listed + [n for n in loaded.waiting if n not in listed]
        departments.set_rows(
            ((name, f"{loaded.waiting[name]}件" if name in loaded.waiting else ""), name)
            for name in names
        )
        if first and loaded.department is not None:
            departments.move_cursor(row=departments.get_row_index(loaded.department))
        self._fill_queue(loaded.lines)

    def _fill_queue(self, lines: list[QueueLine]) -> None:
        queue = self.query_one("#queue", FittedTable)
        selected = self._selected_key()
        self.lines = {f"{line.visit_id}|{line.procedure_id}": line for line in lines}
        rows = []
        for key, line in self.lines.items():
            handed = local_time(line.handed_at)
            cells = (
                format_wareki_short(line.office_date),
                str(line.reception_number),
                line.head_name,
                line.procedure_name,
                f"{handed:%H:%M}" if handed else "",
            )
            rows.append((cells, key))
        queue.set_rows(rows)
        if selected in self.lines:
            queue.move_cursor(row=queue.get_row_index(selected))
        self._show_detail()
        if self.department is None:
            self._status("引き継がれた手続きはありません。")
        elif lines:
            self._status(
                f"{self.department}　{len(lines)}件。F10 で完了にします"
                "（担当課は左の一覧で選んで Enter）"
            )
        else:
            self._status(f"{self.department}への引き継ぎはありません。")

    def _selected_key(self) -> str | None:
        queue = self.query_one("#queue", DataTable)
        if not queue.row_count:
            return None
        return queue.coordinate_to_cell_key(queue.cursor_coordinate).row_key.value

    def _show_detail(self) -> None:
        key = self._selected_key()
        detail = line_detail(self.lines[key]) if key in self.lines else ""
        self.query_one("#queue-detail", Static).update(detail)

    @on(DataTable.RowSelected, "#departments")
    def department_selected(self, event: DataTable.RowSelected) -> None:
        name = event.row_key.value
        if name != self.department:
            self.department = name
            self._fill_queue([])
            self._status(f"{name}の一覧を読み込んでいます")
            self.action_refresh()
        self.query_one("#queue", DataTable).focus()

    @on(DataTable.RowHighlighted, "#queue")
    def line_highlighted(self) -> None:
        self._show_detail()

    def action_mark_done(self) -> None:
        key = self._selected_key()
        if key not in self.lines:
            self._message("完了にする手続きを一覧から選んでください。")
            return
        note = self.query_one("#done-note", Input).value.strip(" \u3000")
        self._message("")
        self.mark(self.lines[key], note)

    def _status(self, text: str) -> None:
        self.query_one("#queue-status", Static).update(text)

    def _message(self, text: str) -> None:
        self.query_one("#queue-message", Static).update(text)
