"""The screen lock: after the idle minutes, nothing of a resident stays on the screen
until the signed-in staff member types the password again.

A counter terminal is left alone whenever staff walk a resident to another counter. The
lock covers every screen (a full screen, not a dialog over the visit), keeps the visit
as it was, and counts wrong passwords toward the account lock like a sign-in. F4 signs
out instead, for a colleague to sign in; the visit in progress is parked first.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from screens.base import CounterScreen
from screens.logs import log_failure
from screens.widgets.header import CounterHeader
from screens.widgets.secret_input import SecretInput


class LockScreen(CounterScreen):
    # Focused by Textual once composed: a lock taken away at the moment it comes (staff
    # signing out) has nothing to query in a mount handler.
    AUTO_FOCUS = "#unlock-password"
    HELP = "画面はロックされています。パスワードを入力して Enter で元の画面に戻ります。"
    BINDINGS = [
        Binding("f4", "sign_out", "ログアウト", tooltip="ログアウトして、別の職員がログインします"),
    ]
    DEFAULT_CSS = """
    LockScreen #lock-box {
        width: 64;
        max-width: 100%;
        height: auto;
        padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        staff = self.app.staff
        yield CounterHeader()
        yield Static("画面ロック", classes="title")
        with Vertical(id="lock-box"):
            yield Static(
                f"しばらく操作がなかったため、画面をロックしました。\n"
                f"{staff.display_name if staff else ''}さんのパスワードを入力して"
                " Enter を押してください。",
                classes="hint",
            )
            yield Static("パスワード", classes="field-label")
            yield SecretInput(id="unlock-password")
            yield Static("", classes="error", id="unlock-error")
        yield Footer()

    @on(Input.Submitted, "#unlock-password")
    def submitted(self, event: Input.Submitted) -> None:
        password, event.input.value = event.value, ""
        if password:
            self.query_one("#unlock-error", Static).update("確認しています…")
            self.unlock(password)

    @work(thread=True, exclusive=True, exit_on_error=False, group="unlock")
    def unlock(self, password: str) -> bool:
        from db.staff import confirm_password

        app = self.app
        staff_id = app.signed_in_staff.id
        return confirm_password(app.engine, staff_id, password, terminal=app.settings.device_id)

    @on(Worker.StateChanged)
    def worker_done(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "unlock":
            return
        if event.state == WorkerState.SUCCESS:
            if event.worker.result:
                self.app.unlocked()
            else:
                self.query_one("#unlock-error", Static).update(
                    "パスワードが違います（5回続けて間違えるとアカウントがロックされます）"
                )
        elif event.state == WorkerState.ERROR:
            from db.staff import SignInRefused

            error = event.worker.error
            if isinstance(error, SignInRefused):  # locked or disabled meanwhile
                self.app.notify(str(error), title="ロック", severity="error")
                self.app.sign_out()
                return
            log_failure("画面ロックの解除", error)
            self.query_one("#unlock-error", Static).update(
                "確認できませんでした。もう一度入力してください"
            )

    def action_sign_out(self) -> None:
        self.app.sign_out()
