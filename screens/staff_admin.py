"""Staff accounts for supervisors and administrators: who may sign in, who is locked out,
and a new password for a clerk who forgot theirs (changed again at their next sign-in).

Adding and disabling accounts is ``counter staff`` (administrators); here a supervisor can
reset a clerk, an administrator anyone. The database refuses what the role may not do,
whatever this screen shows.
"""

from __future__ import annotations

from datetime import UTC, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker, WorkerState

from screens.base import CounterModal, CounterScreen, worker_result
from screens.logs import log_failure
from screens.widgets.fitted_table import Column, FittedTable
from screens.widgets.header import CounterHeader
from screens.widgets.secret_input import SecretInput


class StaffScreen(CounterScreen):
    HELP = "職員の一覧です。F5 で選んだ職員のパスワードを再設定します（監督者は窓口職員のみ）。"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "戻る", tooltip="前の画面に戻ります"),
        Binding("f5", "reset", "再設定", tooltip="選んだ職員のパスワードを再設定します"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.staff: list = []

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        yield Static("職員の管理", classes="title")
        yield Static("", classes="hint", id="staff-status")
        yield FittedTable(
            Column("ログインID", "login", flexible=True),
            Column("氏名", "name", flexible=True),
            Column("役割", "role"),
            Column("状態", "state", flexible=True),
            id="staff",
            cursor_type="row",
            zebra_stripes=True,
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#staff", DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load(self) -> list:
        from db.staff import list_staff

        return list_staff(self.app.engine)

    def _show(self, staff: list) -> None:
        self.staff = staff
        self.query_one("#staff", FittedTable).set_rows(
            ((member.login, member.display_name, member.role_label, _state(member)), member.id)
            for member in staff
        )

    def action_reset(self) -> None:
        table = self.query_one("#staff", DataTable)
        if not 0 <= table.cursor_row < len(self.staff):
            return
        chosen = self.staff[table.cursor_row]
        self.app.push_screen(NewPasswordDialog(chosen.display_name), self._reset_to(chosen))

    def _reset_to(self, chosen):
        def reset(password: str | None) -> None:
            if password:
                self.reset(chosen.login, password)

        return reset

    @work(thread=True, exclusive=True, exit_on_error=False, group="reset")
    def reset(self, login: str, password: str) -> str:
        from db.staff import reset_password

        app = self.app
        reset_password(
            app.engine, app.signed_in_staff, login, password, terminal=app.settings.device_id
        )
        return login

    @on(Worker.StateChanged)
    def worker_done(self, event: Worker.StateChanged) -> None:
        status = self.query_one("#staff-status", Static)
        if event.state == WorkerState.SUCCESS:
            if event.worker.group == "load":
                self._show(worker_result(event.worker, list))
            elif event.worker.group == "reset":
                status.update(
                    f"{worker_result(event.worker, str)} のパスワードを再設定しました。"
                    "次のログインで本人が新しいパスワードに変えます。"
                )
                self.load()
        elif event.state == WorkerState.ERROR:
            from db.staff import NotAllowed

            error = event.worker.error
            if isinstance(error, NotAllowed | ValueError):
                status.update(str(error))
            else:
                log_failure("職員の管理", error)
                status.update("できませんでした（詳細は記録ファイルにあります）")


def _state(member) -> str:
    if member.disabled:
        return "無効"
    if member.locked_until is not None and member.locked_until > datetime.now(UTC):
        return "ロック中"
    return "有効"


class NewPasswordDialog(CounterModal[str | None]):
    """The new password, typed twice; the person changes it at their next sign-in."""

    BINDINGS = [Binding("escape", "dismiss_empty", "やめる", tooltip="再設定しません")]
    DEFAULT_CSS = """
    NewPasswordDialog {
        align: center middle;
    }
    NewPasswordDialog #new-password-box {
        width: 60;
        max-width: 95%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.person = name

    def compose(self) -> ComposeResult:
        with Vertical(id="new-password-box"):
            yield Static(f"{self.person}さんの新しいパスワード", classes="title")
            yield Static("新しいパスワード（10文字以上）", classes="field-label")
            yield SecretInput(id="reset-password")
            yield Static("もう一度", classes="field-label")
            yield SecretInput(id="reset-password-again")
            yield Static("", classes="error", id="reset-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reset-password", Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "reset-password-again":
            self.focus_next()
            return
        first = self.query_one("#reset-password", Input).value
        if not first or first != event.value:
            self.query_one("#reset-error", Static).update("2つのパスワードが違います")
            for field in ("#reset-password", "#reset-password-again"):
                self.query_one(field, Input).value = ""
            self.query_one("#reset-password", Input).focus()
            return
        self.dismiss(first)

    def action_dismiss_empty(self) -> None:
        self.dismiss(None)
