"""Open and parked visits of the day, to take one up again (on any terminal).

Offered by itself at start when this terminal left a visit open (a crash or a power cut);
F7 on the search screen opens it any time. Enter resumes the visit at the step it was
saved at, with what was entered; F8 cancels a visit whose resident has left.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from counter.events import event_label
from db.drafts import OpenVisit
from screens.base import CounterScreen, worker_result
from screens.logs import log_failure
from screens.widgets.fitted_table import Column, FittedTable
from screens.widgets.header import CounterHeader

STEP_LABELS = {
    "event": "届出の選択",
    "questions": "確認事項",
    "plan": "手続き一覧",
    "forms": "届出書",
    "certificates": "証明書の請求",
}
STATUS_LABELS = {"open": "受付中", "parked": "保留中"}


class ResumeScreen(CounterScreen):
    HELP = "途中の受付（保留中・前回終了時に途中だったもの）を選んで続けます。"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "戻る", tooltip="世帯の検索に戻ります"),
        Binding("enter", "resume", "再開", tooltip="選んだ受付を続けます", priority=True),
        Binding("f8", "cancel", "取消", tooltip="来庁者が帰った受付を取り消します"),
    ]
    DEFAULT_CSS = """
    ResumeScreen #open-visits {
        height: 1fr;
    }
    """

    def __init__(self, *, offered: bool = False) -> None:
        super().__init__()
        self.offered = offered
        self.visits: list = []

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        yield Static("途中の受付", classes="title")
        intro = "Enter で再開、F8 で取消、Esc で戻ります。"
        if self.offered:
            intro = "前回、途中で終わった受付があります。" + intro
        yield Static(intro, classes="hint", id="resume-status")
        yield FittedTable(
            Column("受付番号", "number"),
            Column("状態", "status"),
            Column("世帯主", "head", flexible=True),
            Column("途中の段階", "step", flexible=True, least=10),
            Column("端末", "device", flexible=True),
            Column("更新", "updated"),
            id="open-visits",
            cursor_type="row",
            zebra_stripes=True,
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#open-visits", DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load(self) -> list:
        from workflows.lookups import visits_to_resume

        return visits_to_resume(self.app.engine, self.app.today, self.app.actor)

    def _show(self, visits: list) -> None:
        self.visits = visits
        rows = []
        for index, visit in enumerate(visits):
            when = visit.updated_at.astimezone().strftime("%H:%M") if visit.updated_at else ""
            cells = (
                str(visit.reception_number),
                STATUS_LABELS.get(visit.status, visit.status),
                visit.head_name or "（未選択）",
                _progress(visit),
                visit.device_id,
                when,
            )
            rows.append((cells, str(index)))
        self.query_one("#open-visits", FittedTable).set_rows(rows)
        if not visits:
            self.query_one("#resume-status", Static).update("途中の受付はありません。")

    def _chosen(self):
        table = self.query_one("#open-visits", DataTable)
        return self.visits[table.cursor_row] if 0 <= table.cursor_row < len(self.visits) else None

    def action_resume(self) -> None:
        visit = self._chosen()
        if visit is not None:
            self.take_up(visit)

    def action_cancel(self) -> None:
        visit = self._chosen()
        if visit is not None:
            self.cancel(visit)

    @work(thread=True, exclusive=True, exit_on_error=False, group="take_up")
    def take_up(self, visit):
        from dataclasses import replace

        from db.drafts import OPEN, save_draft

        device = self.app.settings.device_id
        save_draft(self.app.engine, visit.id, visit.draft, device_id=device)
        return replace(visit, status=OPEN, device_id=device)

    @work(thread=True, exclusive=True, exit_on_error=False, group="cancel")
    def cancel(self, visit):
        from db.drafts import cancel_visit
        from workflows.lookups import visits_to_resume

        cancel_visit(self.app.engine, visit.id)
        return visits_to_resume(self.app.engine, self.app.today, self.app.actor)

    @on(Worker.StateChanged)
    def worker_done(self, event: Worker.StateChanged) -> None:
        group = event.worker.group
        if event.state == WorkerState.SUCCESS:
            if group in ("load", "cancel"):
                self._show(worker_result(event.worker, list))
            elif group == "take_up":
                self.app.flow.resume(worker_result(event.worker, OpenVisit))
        elif event.state == WorkerState.ERROR:
            log_failure("途中の受付", event.worker.error)
            self.query_one("#resume-status", Static).update(
                f"続けられませんでした（{event.worker.error}）。一覧を読み直します。"
            )
            self.load()


def _progress(visit) -> str:
    """The step, with the events entered so far: 「手続き一覧（転入・出生）」."""
    step = STEP_LABELS.get(visit.step, visit.step)
    events = "・".join(map(event_label, visit.events))
    return f"{step}（{events}）" if events else step
