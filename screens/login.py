"""Staff sign in before anything of a resident shows.

On a new install there is no account and no default password: this screen then creates
the first administrator, who chooses the password here. A supervisor's reset makes the
next sign-in ask for a new password (``ChangePasswordScreen``).
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from screens.base import CounterScreen, worker_result
from screens.logs import log_failure
from screens.widgets.header import CounterHeader
from screens.widgets.japanese_input import JapaneseInput
from screens.widgets.secret_input import SecretInput

SIGN_IN, FIRST_ADMINISTRATOR = "sign_in", "first_administrator"
PREPARING = "データベースを準備しています。入力はできます。"


class LoginScreen(CounterScreen):
    HELP = (
        "職員のログイン画面です。ログイン名とパスワードを入力して Enter を押します。"
        "初めて起動したときは、ここで最初の管理者を登録します。"
    )
    BINDINGS = [
        Binding("f5", "submit", "ログイン", tooltip="入力した内容でログインします"),
    ]
    DEFAULT_CSS = """
    LoginScreen #login-box {
        width: 64;
        max-width: 100%;
        height: 1fr;
        padding: 0 1;
    }
    LoginScreen #first-only, LoginScreen #again-only {
        height: auto;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.mode = SIGN_IN
        self.busy = False
        self.preparing = ""  # what the database is doing meanwhile, under the intro

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        yield Static("職員ログイン", classes="title", id="login-title")
        with VerticalScroll(id="login-box"):
            yield Static("", classes="hint", id="login-intro")
            yield Static("ログイン名", classes="field-label")
            yield Input(id="login")
            with Vertical(id="first-only"):
                yield Static("氏名（画面と記録に出ます）", classes="field-label")
                yield JapaneseInput(placeholder="例: 米子　一郎", id="display-name")
            yield Static("パスワード", classes="field-label")
            yield SecretInput(id="password")
            with Vertical(id="again-only"):
                yield Static("パスワード（確認のため、もう一度）", classes="field-label")
                yield SecretInput(id="password-again")
            yield Static("", classes="error", id="login-error")
        yield Footer()

    def on_mount(self) -> None:
        if self.app.new_install:
            self.mode = FIRST_ADMINISTRATOR
        if not self.app.database_ready:
            self.preparing = PREPARING
        self._show_mode()
        self.query_one("#login", Input).focus()
        if self.app.database_ready:
            self.database_opened()

    def database_preparing(self, progress: str) -> None:
        """Called by the app while the first start seeds the demo register."""
        self.preparing = f"{PREPARING}\n{progress}"
        self._show_mode()

    def accounts_known(self, any_staff: bool) -> None:
        """Called by the app once the schema is up to date, before any demo seeding."""
        mode = SIGN_IN if any_staff else FIRST_ADMINISTRATOR
        if mode != self.mode:
            self.mode = mode
            self._show_mode()

    def database_opened(self) -> None:
        """Called by the app once the database is open: is there any account yet?"""
        self.preparing = ""
        self.find_mode()

    @work(thread=True, exclusive=True, exit_on_error=False, group="mode")
    def find_mode(self) -> str:
        from db.staff import has_staff

        return SIGN_IN if has_staff(self.app.engine) else FIRST_ADMINISTRATOR

    def _show_mode(self) -> None:
        first = self.mode == FIRST_ADMINISTRATOR
        self.query_one("#first-only").display = first
        self.query_one("#again-only").display = first
        title = "最初の管理者の登録" if first else "職員ログイン"
        self.query_one("#login-title", Static).update(title)
        intro = (
            "職員がまだ登録されていません。この端末を管理する方のログイン名・氏名・"
            "パスワード（10文字以上）を決めて入力してください。"
            if first
            else "ログイン名とパスワードを入力して Enter を押してください。"
        )
        self.query_one("#login-intro", Static).update(
            f"{intro}\n{self.preparing}" if self.preparing else intro
        )

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        last = "#password-again" if self.mode == FIRST_ADMINISTRATOR else "#password"
        if event.input is self.query_one(last):
            self.action_submit()
        else:
            self.focus_next()

    def action_submit(self) -> None:
        if self.busy:
            return
        login = self.query_one("#login", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not login:
            self._error("ログイン名を入力してください", "#login")
            return
        if not password:
            self._error("パスワードを入力してください", "#password")
            return
        if self.mode == FIRST_ADMINISTRATOR:
            name = self.query_one("#display-name", Input).value.strip(" ")
            if not name.strip("\u3000"):
                self._error("氏名を入力してください", "#display-name")
                return
            if password != self.query_one("#password-again", Input).value:
                self._error("2つのパスワードが違います。もう一度入力してください", "#password")
                self._clear_passwords()
                return
        self.busy = True
        self.query_one("#login-error", Static).update("確認しています…")
        if self.mode == FIRST_ADMINISTRATOR:
            self.create_first(login, name, password)
        else:
            self.sign_in(login, password)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sign_in")
    def sign_in(self, login: str, password: str):
        from db.staff import sign_in

        app = self.app
        return sign_in(
            app.engine,
            login,
            password,
            terminal=app.settings.device_id,
            lock_minutes=app.settings.account_lock_minutes,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="sign_in")
    def create_first(self, login: str, name: str, password: str):
        from counter.staff import ADMINISTRATOR
        from db.staff import create_staff, sign_in

        app = self.app
        terminal = app.settings.device_id
        create_staff(
            app.engine,
            login=login,
            display_name=name,
            role=ADMINISTRATOR,
            password=password,
            actor=None,
            terminal=terminal,
        )
        return sign_in(app.engine, login, password, terminal=terminal)

    @on(Worker.StateChanged)
    def worker_done(self, event: Worker.StateChanged) -> None:
        group = event.worker.group
        if group == "mode" and event.state == WorkerState.SUCCESS:
            self.mode = worker_result(event.worker, str)
            self._show_mode()
        elif group == "sign_in" and event.state == WorkerState.SUCCESS:
            self.busy = False
            self._clear_passwords()
            from db.staff import StaffMember  # loaded by the sign-in that just ran

            self.app.signed_in(worker_result(event.worker, StaffMember))
        elif event.state == WorkerState.ERROR:
            self.busy = False
            self._clear_passwords()
            self._error(_reason(event.worker.error), "#password")

    def _clear_passwords(self) -> None:
        self.query_one("#password", Input).value = ""
        self.query_one("#password-again", Input).value = ""

    def _error(self, message: str, focus: str) -> None:
        self.query_one("#login-error", Static).update(message)
        self.query_one(focus).focus()


def _reason(error: BaseException | None) -> str:
    """Refusals and password rules speak for themselves; anything else goes to the log."""
    from db.engine import database_problem
    from db.staff import NotAllowed, SignInRefused

    if isinstance(error, SignInRefused | NotAllowed | ValueError):
        return str(error)
    log_failure("ログイン", error)
    if error is not None and (problem := database_problem(error)):
        return problem  # busy or unreachable: what to do, in one line
    return "ログインできませんでした。管理者に連絡してください（詳細は記録ファイルにあります）"
