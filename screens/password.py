"""A new password of one's own: asked at the sign-in after a supervisor's reset (the reset
password was known to two people), and open to anyone from the command palette."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from screens.base import CounterScreen
from screens.logs import log_failure
from screens.widgets.header import CounterHeader
from screens.widgets.secret_input import SecretInput

FIELDS = ("#old-password", "#new-password", "#new-password-again")


class ChangePasswordScreen(CounterScreen):
    HELP = "自分のパスワードを変更します。今のパスワードと、新しいパスワードを2回入力します。"
    BINDINGS = [
        Binding("f5", "change", "変更", tooltip="パスワードを変更します"),
        Binding("escape", "back", "戻る", tooltip="変更せずに戻ります（再設定後は戻れません）"),
    ]
    DEFAULT_CSS = """
    ChangePasswordScreen #password-box {
        width: 64;
        max-width: 100%;
        height: 1fr;
        padding: 0 1;
    }
    """

    def __init__(self, *, required: bool = False) -> None:
        """``required``: after a reset, the only way on is a new password."""
        super().__init__()
        self.required = required

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        yield Static("パスワードの変更", classes="title")
        with VerticalScroll(id="password-box"):
            if self.required:
                yield Static(
                    "パスワードが再設定されました。続ける前に、自分だけが知る"
                    "新しいパスワード（10文字以上）に変えてください。",
                    classes="hint",
                )
            yield Static("今のパスワード", classes="field-label")
            yield SecretInput(id="old-password")
            yield Static("新しいパスワード（10文字以上）", classes="field-label")
            yield SecretInput(id="new-password")
            yield Static("新しいパスワード（確認のため、もう一度）", classes="field-label")
            yield SecretInput(id="new-password-again")
            yield Static("", classes="error", id="password-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#old-password", Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if event.input is self.query_one(FIELDS[-1]):
            self.action_change()
        else:
            self.focus_next()

    def action_change(self) -> None:
        old, new, again = (self.query_one(f, Input).value for f in FIELDS)
        if new != again:
            self._error("新しいパスワードが2回で違います。もう一度入力してください")
            return
        self.change(old, new)

    @work(thread=True, exclusive=True, exit_on_error=False, group="change")
    def change(self, old: str, new: str) -> None:
        from db.staff import change_password

        app = self.app
        staff_id = app.signed_in_staff.id
        change_password(app.engine, staff_id, old, new, terminal=app.settings.device_id)

    @on(Worker.StateChanged)
    def worker_done(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "change":
            return
        if event.state == WorkerState.SUCCESS:
            self.app.password_changed()
        elif event.state == WorkerState.ERROR:
            from db.staff import NotAllowed, SignInRefused

            error = event.worker.error
            if isinstance(error, SignInRefused | NotAllowed | ValueError):
                self._error(str(error))
            else:
                log_failure("パスワードの変更", error)
                self._error("変更できませんでした（詳細は記録ファイルにあります）")

    def _error(self, message: str) -> None:
        for field in FIELDS:
            self.query_one(field, Input).value = ""
        self.query_one("#password-error", Static).update(message)
        self.query_one(FIELDS[0], Input).focus()

    def action_back(self) -> None:
        if not self.required:
            self.app.pop_screen()
