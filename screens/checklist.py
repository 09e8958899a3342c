"""The visit's checklist at the counter: each procedure done here, handed to its
department, later or not needed, with a note, and a line saying how far the visit is.

A line handed to a department is finished there, on any terminal (screens/department.py);
F5 and a refresh every 10 seconds bring that in, so the counter sees when the visit is
settled. All database work runs in thread workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker, WorkerState

from db.checklist import VisitProgress
from db.models import CHECKLIST_STATUSES
from db.visits import ChecklistLine
from screens.base import CounterScreen, worker_result
from screens.logs import log_failure
from screens.widgets.fitted_table import Column, FittedTable
from screens.widgets.header import CounterHeader
from screens.widgets.japanese_input import JapaneseInput

REFRESH_SECONDS = 10


def progress_line(progress: VisitProgress) -> str:
    """「完了 3／7、引き継ぎ中 2」: settled lines (see VisitProgress) out of all."""
    text = f"完了 {progress.settled}／{progress.total}、引き継ぎ中 {progress.handed}"
    if progress.all_done:
        text += "　すべての手続きが済みました"
    return text


@dataclass(frozen=True)
class LoadedChecklist:
    reception_number: int
    lines: list[ChecklistLine]
    progress: VisitProgress


class ChecklistScreen(CounterScreen):
    HELP = "受付した手続きごとに、窓口で完了・担当課へ引き継ぎ・後日・不要とメモを記録します。"
    DEFAULT_CSS = """
    ChecklistScreen #checklist {
        height: 1fr;
    }
    ChecklistScreen #progress {
        text-style: bold;
        padding: 0 1;
    }
    ChecklistScreen #checklist-message {
        height: auto;
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape", "back", "戻る", tooltip="受付完了の画面に戻ります"),
        Binding("1", "mark('done_here')", "窓口で完了", tooltip="この窓口で済ませました"),
        Binding("2", "mark('handed_to_department')", "引き継ぎ", tooltip="担当課へ引き継ぎます"),
        Binding("3", "mark('later')", "後日", tooltip="後日の手続きにします"),
        Binding("4", "mark('not_needed')", "不要", tooltip="この手続きは不要です"),
        Binding("n", "edit_note", "メモ", tooltip="選んだ手続きにメモを書きます"),
        Binding("f5", "refresh", "更新", tooltip="担当課での完了を読み直します"),
    ]

    def __init__(self, visit_id: str) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.lines: dict[str, ChecklistLine] = {}
        self.progress: VisitProgress | None = None
        self.editing: str | None = None  # the procedure whose note is being typed

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        yield Static("手続きのチェックリスト", classes="title", id="checklist-title")
        yield FittedTable(
            Column("状態", "status"),
            Column("担当課", "department", flexible=True),
            Column("手続き", "name", flexible=True, least=10),
            Column("メモ", "note", flexible=True),
            id="checklist",
            cursor_type="row",
            zebra_stripes=True,
        )
        yield Static("読み込んでいます", id="progress")
        yield JapaneseInput(
            placeholder="N でメモを書きます（Enter で保存、Esc で取り消し）",
            id="note",
            disabled=True,
        )
        yield Static("1 窓口で完了　2 担当課へ引き継ぎ　3 後日　4 不要", id="checklist-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#checklist", DataTable).focus()
        self.action_refresh()
        self.set_interval(REFRESH_SECONDS, self.action_refresh)

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load(self) -> LoadedChecklist:
        from db.checklist import visit_progress
        from db.visits import checklist, get_visit

        engine = self.app.engine
        return LoadedChecklist(
            reception_number=get_visit(engine, self.visit_id).reception_number,
            lines=checklist(engine, self.visit_id),
            progress=visit_progress(engine, self.visit_id),
        )

    @work(thread=True, exit_on_error=False, group="mark")
    def save(self, procedure_id: str, status: str, note: str) -> None:
        from db.checklist import set_counter_status

        app = self.app
        set_counter_status(
            app.engine,
            self.visit_id,
            procedure_id,
            status,
            staff_id=app.staff_id,
            note=note,
            terminal=app.settings.device_id,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group not in ("load", "mark"):
            return
        if event.state == WorkerState.SUCCESS:
            if event.worker.group == "load":
                self._show(worker_result(event.worker, LoadedChecklist))
            else:
                self.action_refresh()
        elif event.state == WorkerState.ERROR:
            self._failed(event.worker.error)

    def _show(self, loaded: LoadedChecklist) -> None:
        self.lines = {line.procedure_id: line for line in loaded.lines}
        self.progress = loaded.progress
        self.query_one("#checklist-title", Static).update(
            f"受付番号 {loaded.reception_number}　手続きのチェックリスト"
        )
        self.query_one("#checklist", FittedTable).set_rows(  # the cursor stays on its row
            (
                (CHECKLIST_STATUSES[line.status], line.department, line.name, line.note),
                line.procedure_id,
            )
            for line in loaded.lines
        )
        self.query_one("#progress", Static).update(progress_line(loaded.progress))

    def _failed(self, error: BaseException | None) -> None:
        if isinstance(error, (ValueError, LookupError)):
            self._message(str(error))
        else:
            log_failure("チェックリストの更新", error)
            self._message("保存できませんでした。もう一度お試しください。")

    def _message(self, text: str) -> None:
        self.query_one("#checklist-message", Static).update(text)

    def _selected(self) -> str | None:
        table = self.query_one("#checklist", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_mark(self, status: str) -> None:
        procedure_id = self._selected()
        if procedure_id is None or procedure_id not in self.lines:
            self._message("手続きを読み込んでいます。少しお待ちください。")
            return
        line = self.lines[procedure_id]
        self.save(procedure_id, status, line.note)
        self._message(f"「{line.name}」を{CHECKLIST_STATUSES[status]}にしました。")
        self.query_one("#checklist", DataTable).action_cursor_down()

    def action_edit_note(self) -> None:
        procedure_id = self._selected()
        if procedure_id is None or procedure_id not in self.lines:
            return
        self.editing = procedure_id
        note = self.query_one("#note", Input)
        note.disabled = False
        note.value = self.lines[procedure_id].note
        note.focus()
        self._message(f"「{self.lines[procedure_id].name}」のメモ（Enter で保存）")

    @on(Input.Submitted, "#note")
    def note_submitted(self, event: Input.Submitted) -> None:
        if self.editing is None:
            return
        line = self.lines[self.editing]
        self.save(line.procedure_id, line.status, event.value.strip(" \u3000"))
        self._message(f"「{line.name}」のメモを保存しました。")
        self._end_note()

    def action_back(self) -> None:
        if self.editing is not None:
            self._message("メモは保存していません。")
            self._end_note()
        else:
            self.app.pop_screen()

    def _end_note(self) -> None:
        self.editing = None
        self.query_one("#checklist", DataTable).focus()
        note = self.query_one("#note", Input)
        note.value = ""
        note.disabled = True
