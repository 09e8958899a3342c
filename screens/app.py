"""The counter application: the search screen at once, the database opened in a worker.

Staff can type a query while the database opens; any worker that needs the database
waits for it (``CounterApp.engine``), so nothing on the screen ever waits.

Keyboard first: F1 opens help for the current screen, Ctrl+P the command palette with
Japanese-only commands (look, help, quit); the look comes from COUNTER_THEME.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Footer, Static

from counter.catalogue import Catalogue, load_catalogue
from counter.payment.keys import KEY_FILE_ENV, PaymentKeyError
from counter.profile import MunicipalityProfile, load_profile
from counter.staff import can
from db.paths import sqlite_file
from screens.base import CounterScreen, VisitStep
from screens.flow import VisitFlow
from screens.help import key_display
from screens.logs import log_failure
from screens.messages import AccountsKnown, DatabaseFailed, DatabasePreparing, DatabaseReady
from screens.settings import (
    DEMO_HOUSEHOLDS,
    Settings,
    SettingsError,
    document_keeper,
    outreach_day_problem,
)
from screens.theme import CONTRAST, CONTRAST_THEME, THEME_ENV, other_theme, theme_from_environment
from screens.visit_session import VisitSession
from workflows.actor import Actor

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from textual.screen import Screen

    from db.staff import StaffMember


OUTREACH_TITLE = "出張（オフライン）"
DATABASE_WAIT_SECONDS = 120
PREPARING_EVERY_SECONDS = 0.2  # how often the search screen hears how far seeding has got


class DatabaseUnavailable(RuntimeError):
    """A worker asked for the database that could not be opened."""


class CounterApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "書かないワンストップ窓口"
    BINDINGS = [
        Binding("f1", "help", "ヘルプ", tooltip="この画面の使い方とキーの一覧を表示します"),
        # Not in the footer (its room goes to the screen keys at 80 columns); F1 lists it.
        Binding("ctrl+q", "quit", "終了", tooltip="アプリを終了します", priority=True, show=False),
        # Declared here so Textual adds no English "palette" key; the footer shows it right.
        Binding(
            "ctrl+p",
            "command_palette",
            "コマンド",
            tooltip="コマンドの一覧を開きます（表示の切り替え・ヘルプ・終了）",
            show=False,
            priority=True,
        ),
        Binding("f12", "park", "保留", tooltip="この受付を保留にして、次の方を受け付けます"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]
    # On an outreach laptop, what the header says beside the title (visits waiting).
    outreach_line: reactive[str] = reactive("")

    def __init__(
        self, settings: Settings, *, today: date | None = None, staff: StaffMember | None = None
    ) -> None:
        """``staff`` starts the app signed in (tests sign in through ``db.staff`` first);
        without it the login screen comes before anything else."""
        super().__init__()
        self.settings = settings
        self.today = today or date.today()
        if settings.outreach is not None:
            # The laptop's 受付番号 block is of its outing day: another day is refused
            # before anything is numbered outside it.
            if problem := outreach_day_problem(settings.outreach, self.today):
                raise SettingsError(problem)
            self.title = OUTREACH_TITLE
        self.staff = staff
        self.locked = False
        self._last_input = time.monotonic()
        self._engine: Engine | None = None
        self._database_opened = threading.Event()  # set when ready, and when it failed
        self._screen_thread: int | None = None
        self.visit = VisitSession(self)
        self.flow = VisitFlow(self)
        # A SQLite file not there yet is a new install: no account can exist, so the first
        # administrator is asked for at once rather than after the database is prepared.
        database = sqlite_file(settings.database_url)
        self.new_install = database is not None and not database.exists()
        self.profile: MunicipalityProfile = load_profile(settings.municipality)
        self.catalogue: Catalogue = load_catalogue().with_profile(self.profile)
        if not self.profile.payment_demo and settings.payment_key is None:
            raise PaymentKeyError(f"{KEY_FILE_ENV}: 本番の設定では確認番号の鍵ファイルが必要です")
        self.visit.show()
        self.register_theme(CONTRAST_THEME)
        self.theme, self.theme_warning = theme_from_environment(os.environ.get(THEME_ENV))
        self.documents = document_keeper(settings)  # last: nothing after it may refuse

    def compose(self) -> ComposeResult:
        # The start-up line only; each working screen brings its own header.
        yield Static("データベースを準備しています。少しお待ちください。", id="startup")
        yield Footer()

    def on_mount(self) -> None:
        from screens.search import SearchScreen

        self._screen_thread = threading.get_ident()
        if self.theme_warning:
            self.notify(self.theme_warning, title="表示の設定", severity="warning")
        self.push_screen(SearchScreen())
        if self.staff is None:
            from screens.login import LoginScreen

            self.push_screen(LoginScreen())
        # After the first paint: importing SQLAlchemy holds the GIL for a second or so.
        self.call_after_refresh(self.prepare_database)
        idle_seconds = self.settings.idle_lock_minutes * 60
        self.set_interval(min(15.0, idle_seconds / 4), self._check_idle)

    def on_unmount(self) -> None:
        self.documents.close()  # an outreach laptop's working folder goes with the app

    async def on_event(self, event: events.Event) -> None:
        """Any key, click or paste counts as staff being at the terminal (idle lock)."""
        staff_input = isinstance(event, events.Key | events.MouseDown | events.Paste)
        if staff_input and not event.is_forwarded:
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _check_idle(self) -> None:
        idle = time.monotonic() - self._last_input
        if self.staff is None or self.locked or idle < self.settings.idle_lock_minutes * 60:
            return
        from screens.lock import LockScreen

        self.locked = True
        self.push_screen(LockScreen())
        self.audit("lock", detail=f"{self.settings.idle_lock_minutes:g}分間操作なし")

    def unlocked(self) -> None:
        self.locked = False
        self._last_input = time.monotonic()
        self.pop_screen()  # db.staff.confirm_password recorded the unlock

    def signed_in(self, staff: StaffMember) -> None:
        """The login screen let ``staff`` in; a reset password must be changed first."""
        from screens.login import LoginScreen
        from screens.password import ChangePasswordScreen

        self.staff = staff
        self._last_input = time.monotonic()
        if isinstance(self.screen, LoginScreen):
            self.pop_screen()
        if staff.must_change_password:
            self.push_screen(ChangePasswordScreen(required=True))
        elif self.database_ready:
            self.ready_for_staff()
        self.notify(f"{staff.display_name}さん、ログインしました", title="ログイン")

    def password_changed(self) -> None:
        from dataclasses import replace

        self.staff = replace(self.signed_in_staff, must_change_password=False)
        self.pop_screen()
        self.notify("パスワードを変更しました", title="パスワード")

    def sign_out(self) -> None:
        """Park the visit in progress (its draft is saved), record the logout, and show
        the login screen with nothing of a resident behind it."""
        if self.staff is None:
            return
        current = self.visit.current
        draft = self.screen_draft()
        self._sign_out(self.staff, current.id if current else None, draft)

    def screen_draft(self) -> dict | None:
        """The draft of the visit's screen nearest the top (under a lock screen, say)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, VisitStep):
                return screen.visit_draft()
        return None

    @work(thread=True, exclusive=True, exit_on_error=False, group="sign_out")
    def _sign_out(self, staff: StaffMember, visit_id: str | None, draft: dict | None) -> None:
        from db.drafts import PARKED, save_draft
        from db.staff import sign_out

        try:
            if visit_id is not None and draft is not None:
                save_draft(self.engine, visit_id, draft, status=PARKED)
            sign_out(self.engine, staff, terminal=self.settings.device_id)
        except Exception as exc:  # the login screen comes anyway: nobody stays signed in
            log_failure("ログアウト", exc)
        self.call_from_thread(self._signed_out)

    def _signed_out(self) -> None:
        from screens.login import LoginScreen

        self.staff = None
        self.locked = False
        self.flow.back_to_search()
        self.push_screen(LoginScreen())

    def audit(self, action: str, **fields: object) -> None:
        """Record ``action`` by the signed-in staff member. From a worker it is written
        before the worker goes on (a look that is not recorded does not happen); from the
        screen thread it is written in a worker of its own."""

        def write() -> None:
            self.actor.record(self.engine, action, **fields)

        if threading.get_ident() != self._screen_thread:
            write()
            return

        def write_logged() -> None:
            try:
                write()
            except Exception as exc:
                log_failure(f"監査ログの記録（{action}）", exc)

        self.run_worker(write_logged, thread=True, group="audit", exit_on_error=False)

    @property
    def engine(self) -> Engine:
        """The database. A worker waits while it is being opened; the screen's own thread
        never waits (it must keep painting, and it starts the opening worker)."""
        on_screen_thread = threading.get_ident() == self._screen_thread
        if self._engine is None and not on_screen_thread:
            self._database_opened.wait(timeout=DATABASE_WAIT_SECONDS)
        if self._engine is None:
            raise DatabaseUnavailable("データベースを開けていません")
        return self._engine

    @property
    def actor(self) -> Actor:
        """Who works at this terminal now, as the workflows record it."""
        return Actor(self.staff_id, self.settings.device_id)

    @property
    def signed_in_staff(self) -> StaffMember:
        """Who is signed in, for the screens only shown to someone signed in."""
        if self.staff is None:
            raise RuntimeError("ログインしていません")
        return self.staff

    @property
    def staff_id(self) -> str | None:
        """Who is signed in, as visits, checklist lines and the audit log record it."""
        return self.staff.id if self.staff else None

    @property
    def database_ready(self) -> bool:
        return self._engine is not None

    @work(thread=True, exclusive=True, exit_on_error=False, group="database")
    def prepare_database(self) -> None:
        from counter.demo import as_demo, generate_households, has_demo_data
        from counter.progress import Progress
        from db.engine import make_engine
        from db.migrate import upgrade
        from db.outreach_store import store_engine
        from db.register import DemoRefused, count_households, save_households
        from db.staff import has_staff

        # Posted, not called from this thread: the work never waits for the screen.
        def report(line: str, final: bool) -> None:
            self.post_message(DatabasePreparing(line))

        progress = Progress(
            report,
            after=0,
            every=PREPARING_EVERY_SECONDS,
        )
        try:
            outreach = self.settings.outreach
            engine = (
                store_engine(outreach.path, outreach.key)
                if outreach
                else make_engine(self.settings.database_url)
            )
            upgrade(engine)
            self.post_message(AccountsKnown(has_staff(engine)))
            seeded = 0
            code = self.profile.code
            if self.settings.seed_demo and has_demo_data(code) and count_households(engine) == 0:
                households = generate_households(
                    DEMO_HOUSEHOLDS, seed=0, on=self.today, municipality=code, progress=progress
                )
                # Marked as demo, refused beside any real resident, in the audit log.
                try:
                    seeded = save_households(
                        engine, as_demo(households), municipality=code,
                        progress=progress, demo=True, audit_as=(None, self.settings.device_id),
                    )  # fmt: skip
                except DemoRefused:  # a register was imported meanwhile: no demo beside it
                    seeded = 0
            self._engine = engine
            self._database_opened.set()  # here, not on the screen thread: workers may wait
            self.post_message(DatabaseReady(seeded))
        except Exception as exc:  # staff see one Japanese line, the log the rest
            log_failure("データベースの準備", exc)
            self._database_opened.set()
            self.post_message(DatabaseFailed(_database_reason(exc)))
            return
        self.warm_fonts()
        if self.staff is not None:  # else once someone signs in
            self.call_from_thread(self.ready_for_staff)

    @work(thread=True, exclusive=True, exit_on_error=False, group="fonts")
    def warm_fonts(self) -> None:
        """Load the fonts before the first visit; without a Japanese font the counter is
        told once, now, with what to install (no PDF will be written until then)."""
        from forms.fonts import FontMissing, warm_fonts

        try:
            warm_fonts()
        except FontMissing as exc:
            self.call_from_thread(
                self.notify, str(exc), title="印刷の準備", severity="error", timeout=30
            )
        except Exception as exc:  # anything else only slows the first slip down
            log_failure("フォントの準備", exc)

    def _counter_screens(self) -> list[CounterScreen]:
        return [s for s in self.screen_stack if isinstance(s, CounterScreen)]

    def on_database_preparing(self, message: DatabasePreparing) -> None:
        for screen in self._counter_screens():
            screen.database_preparing(message.progress)

    def on_accounts_known(self, message: AccountsKnown) -> None:
        for screen in self._counter_screens():
            screen.accounts_known(message.any_staff)

    def on_database_ready(self, message: DatabaseReady) -> None:
        self.count_waiting()
        if message.seeded:
            self.notify(f"見本の住民データ（{message.seeded}世帯）を用意しました", title="初回起動")
        for screen in self._counter_screens():
            screen.database_opened()

    def count_waiting(self) -> None:
        """On an outreach laptop, count the visits waiting to be handed back for the
        header (from the screen thread; elsewhere nothing)."""
        if self.settings.outreach is not None and self.database_ready:
            self._count_waiting()

    @work(thread=True, exclusive=True, exit_on_error=False, group="waiting")
    def _count_waiting(self) -> None:
        from workflows.outreach import visits_waiting

        try:
            waiting = visits_waiting(self.engine)
        except Exception as exc:  # the header keeps its last count
            log_failure("持ち帰り待ちの数", exc)
            return
        self.call_from_thread(setattr, self, "outreach_line", f"持ち帰り待ち {waiting}件")

    def ready_for_staff(self) -> None:
        """Someone is signed in and the database is open: this terminal's unfinished
        visits are offered back, and a supervisor hears of outreach conflicts waiting."""
        self.offer_open_visits()
        if can(self.signed_in_staff.role, "outreach_import"):
            self.tell_outreach_conflicts()

    @work(thread=True, exclusive=True, exit_on_error=False, group="outreach_conflicts")
    def tell_outreach_conflicts(self) -> None:
        """One line when outreach hand-backs left something to settle; none otherwise."""
        from workflows.outreach_conflicts import open_conflicts

        try:
            waiting = len(open_conflicts(self.engine))
        except Exception as exc:  # the screen lists them anyway
            log_failure("出張の確認待ちの数", exc)
            return
        if waiting:
            self.call_from_thread(
                self.notify,
                f"出張の確認待ちが{waiting}件あります。世帯の検索で F8（または Ctrl+P の"
                "「出張の確認待ち」）を押して処理してください",
                title="出張の確認待ち",
            )

    @work(thread=True, exclusive=True, exit_on_error=False, group="offer")
    def offer_open_visits(self) -> None:
        """After a crash or a power cut: this terminal's unfinished visits, offered back."""
        from db.drafts import OPEN, open_visits

        device = self.settings.device_id
        try:
            left = open_visits(self.engine, office_date=self.today, device_id=device, status=OPEN)
        except Exception as exc:  # the visits stay in the database; F7 lists them too
            log_failure("途中の受付の確認", exc)
            return
        if left:
            self.call_from_thread(self._offer_resume)

    def _offer_resume(self) -> None:
        self.flow.open_visits(offered=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Signed out or locked, only help and quit; F12 (保留) only on the screens of a
        visit in progress."""
        if self.staff is None or self.locked:
            return action in ("help", "quit", "help_quit")
        if action == "park":
            return self.visit.current is not None and isinstance(self.screen, VisitStep)
        return True

    def action_park(self) -> None:
        current = self.visit.current
        if current is not None and isinstance(self.screen, VisitStep):
            self.park_visit(current.id, current.reception_number, self.screen.visit_draft())

    @work(thread=True, exclusive=True, exit_on_error=False, group="park")
    def park_visit(self, visit_id: str, number: int, draft: dict) -> None:
        from db.drafts import PARKED, save_draft

        try:
            save_draft(self.engine, visit_id, draft, status=PARKED)
        except Exception as exc:  # one Japanese line for staff, the rest in the log
            log_failure("受付の保留", exc)
            self.call_from_thread(self.notify, "保留にできませんでした", severity="error")
            return
        self.call_from_thread(self._parked, number)

    def _parked(self, number: int) -> None:
        self.flow.back_to_search(
            f"受付番号 {number} を保留にしました。F7 で再開できます", title="保留"
        )

    def on_database_failed(self, message: DatabaseFailed) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.query_one("#startup", Static).update(
            "データベースを開けませんでした（"
            f"{message.reason}）。設定を確認して、Ctrl+Q で終了してください。"
        )

    def format_title(self, title: str, sub_title: str) -> Content:
        """Title and city parted by 「｜」: Textual's em dash is ambiguous width."""
        if not sub_title:
            return Content(title)
        return Content.assemble(title, ("｜", "dim"), Content(sub_title).stylize("dim"))

    def get_key_display(self, binding: Binding) -> str:
        """F-keys and Esc as printed on the keycaps (F5, not f5); Ctrl stays ^q."""
        if binding.key_display or "ctrl+" in binding.key:
            return super().get_key_display(binding)
        return key_display(binding.key)

    def action_help_quit(self) -> None:
        self.notify("終了するときは Ctrl+Q を押してください", title="終了しますか")

    def action_help(self) -> None:
        from textual.command import CommandPalette

        from screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen) or CommandPalette.is_open(self):
            return
        self.push_screen(HelpScreen(self.screen))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from screens.commands import JapaneseCommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(JapaneseCommandPalette())

    def action_switch_theme(self) -> None:
        self.theme = other_theme(self.theme)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Only Japanese commands: Textual's own (Theme, Keys, Screenshot…) are English."""
        if self.theme == CONTRAST:
            title, explanation = "コントラスト強調をやめる（標準の表示）", "標準の表示に戻します"
        else:
            title = "コントラスト強調の表示（太字・黒地に白と黄色）"
            explanation = (
                "文字を太くし、間隔を広げ、黒地に白と黄色で表示します"
                "（文字の大きさは端末の設定で変えます）"
            )
        yield SystemCommand(title, explanation, self.action_switch_theme)
        yield SystemCommand(
            "ヘルプ", "この画面の使い方とキーの一覧を表示します（F1）", self.action_help
        )
        yield SystemCommand(
            "職員の管理", "パスワードの再設定など（監督者・管理者）", self.open_staff
        )
        if self.staff is not None and can(self.staff.role, "outreach_import"):
            yield SystemCommand(
                "出張の確認待ち",
                "持ち帰りの取り込みで残った確認待ちを処理します（世帯の検索で F8）",
                self.open_outreach_conflicts,
            )
        if self.staff is not None and can(self.staff.role, "view_stats"):
            yield SystemCommand(
                "窓口の実績",
                "期間の受付件数・分数・書かない率などを表示します（世帯の検索で F4）",
                self.open_stats,
            )
        yield SystemCommand(
            "パスワードの変更", "自分のパスワードを変更します", self.change_password
        )
        yield SystemCommand("ログアウト", "ログアウトして、ログイン画面に戻ります", self.sign_out)
        yield SystemCommand("終了", "アプリを終了します（Ctrl+Q）", self.action_quit)

    def change_password(self) -> None:
        from screens.password import ChangePasswordScreen

        self.push_screen(ChangePasswordScreen())

    def open_staff(self) -> None:
        """Staff accounts, for supervisors and administrators."""
        from screens.staff_admin import StaffScreen

        self._open_if_allowed("reset_clerk", "職員の管理", StaffScreen)

    def open_outreach_conflicts(self) -> None:
        """What outreach hand-backs left to settle, for supervisors and administrators."""
        from screens.outreach_conflicts import OutreachConflictsScreen

        self._open_if_allowed("outreach_import", "出張の確認待ち", OutreachConflictsScreen)

    def open_stats(self) -> None:
        """The counter's figures of a period, for supervisors and administrators."""
        from screens.stats import StatsScreen

        self._open_if_allowed("view_stats", "窓口の実績", StatsScreen)

    def _open_if_allowed(
        self, permission: str, name: str, screen: Callable[[], CounterScreen]
    ) -> None:
        """Open ``screen`` when the one signed in may; anyone else is told why not."""
        if self.staff is None or not can(self.staff.role, permission):
            self.notify(f"{name}は、監督者と管理者だけが使えます", severity="error")
            return
        self.push_screen(screen())


def _database_reason(exc: Exception) -> str:
    """A Japanese reason staff can act on; details stay in the log file."""
    from db.engine import DatabaseRefused, database_problem
    from db.migrate import SchemaHalfBuilt

    if isinstance(exc, DatabaseRefused | SchemaHalfBuilt):
        return str(exc)
    return database_problem(exc) or "原因は記録ファイルを確認してください"
