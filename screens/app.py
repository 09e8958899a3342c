"""The counter application: the search screen at once, the database opened in a worker.

Staff can type a query while the database opens; any worker that needs the database
waits for it (``CounterApp.engine``), so nothing on the screen ever waits.

Keyboard first: F1 opens help for the current screen, Ctrl+P the command palette with
Japanese-only commands (look, help, quit); the look comes from COUNTER_THEME.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, Static

from counter.catalogue import Catalogue, load_catalogue
from counter.payment.keys import KEY_FILE_ENV, PaymentKeyError
from counter.profile import MunicipalityProfile, load_profile
from screens.help import key_display
from screens.logs import log_failure
from screens.messages import DatabaseFailed, DatabasePreparing, DatabaseReady
from screens.settings import DEMO_HOUSEHOLDS, Settings
from screens.theme import CONTRAST, CONTRAST_THEME, THEME_ENV, other_theme, theme_from_environment
from screens.visit_session import VisitSession

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from textual.screen import Screen


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

    def __init__(self, settings: Settings, *, today: date | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.today = today or date.today()
        self._engine: Engine | None = None
        self._database_opened = threading.Event()  # set when ready, and when it failed
        self._screen_thread: int | None = None
        self.visit = VisitSession(self)
        self.profile: MunicipalityProfile = load_profile(settings.municipality)
        self.catalogue: Catalogue = load_catalogue().with_profile(self.profile)
        if not self.profile.payment_demo and settings.payment_key is None:
            raise PaymentKeyError(f"{KEY_FILE_ENV}: 本番の設定では確認番号の鍵ファイルが必要です")
        self.visit.show()
        self.register_theme(CONTRAST_THEME)
        self.theme, self.theme_warning = theme_from_environment(os.environ.get(THEME_ENV))

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
        # After the first paint: importing SQLAlchemy holds the GIL for a second or so.
        self.call_after_refresh(self.prepare_database)

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
    def database_ready(self) -> bool:
        return self._engine is not None

    @work(thread=True, exclusive=True, exit_on_error=False, group="database")
    def prepare_database(self) -> None:
        from counter.demo import generate_households
        from counter.progress import Progress
        from db.engine import make_engine
        from db.migrate import upgrade
        from db.register import count_households, save_households

        # Posted, not called from this thread: the work never waits for the screen.
        progress = Progress(
            lambda line, final: self.post_message(DatabasePreparing(line)),
            after=0,
            every=PREPARING_EVERY_SECONDS,
        )
        try:
            engine = make_engine(self.settings.database_url)
            upgrade(engine)
            seeded = 0
            if self.settings.seed_demo and count_households(engine) == 0:
                households = generate_households(
                    DEMO_HOUSEHOLDS, seed=0, on=self.today, progress=progress
                )
                seeded = save_households(
                    engine, households, municipality=self.profile.code, progress=progress
                )
            self._engine = engine
            self._database_opened.set()  # here, not on the screen thread: workers may wait
            self.post_message(DatabaseReady(seeded))
        except Exception as exc:  # staff see one Japanese line, the log the rest
            log_failure("データベースの準備", exc)
            self._database_opened.set()
            self.post_message(DatabaseFailed(_database_reason(exc)))
            return
        self.warm_fonts()
        try:
            self.offer_open_visits()
        except Exception as exc:  # the visits stay in the database; F7 lists them too
            log_failure("途中の受付の確認", exc)

    @work(thread=True, exclusive=True, exit_on_error=False, group="fonts")
    def warm_fonts(self) -> None:
        from forms.fonts import warm_fonts

        try:
            warm_fonts()
        except Exception as exc:  # a missing font only slows the first slip down
            log_failure("フォントの準備", exc)

    def on_database_preparing(self, message: DatabasePreparing) -> None:
        for screen in self.screen_stack:
            if hasattr(screen, "database_preparing"):
                screen.database_preparing(message.progress)

    def on_database_ready(self, message: DatabaseReady) -> None:
        if message.seeded:
            self.notify(f"見本の住民データ（{message.seeded}世帯）を用意しました", title="初回起動")
        for screen in self.screen_stack:
            if hasattr(screen, "database_opened"):
                screen.database_opened()

    def offer_open_visits(self) -> None:
        """After a crash or a power cut: this terminal's unfinished visits, offered back."""
        from db.drafts import OPEN, open_visits

        device = self.settings.device_id
        left = open_visits(self.engine, office_date=self.today, device_id=device, status=OPEN)
        if left:
            self.call_from_thread(self._offer_resume)

    def _offer_resume(self) -> None:
        from screens.resume import ResumeScreen

        self.push_screen(ResumeScreen(offered=True))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F12 (保留) only on the screens of a visit in progress."""
        if action == "park":
            return self.visit.current is not None and hasattr(self.screen, "visit_draft")
        return True

    def action_park(self) -> None:
        current = self.visit.current
        if current is not None and hasattr(self.screen, "visit_draft"):
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
        from screens.search import SearchScreen

        self.visit.end()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(self.screen, SearchScreen):
            self.screen.reset()
        self.notify(f"受付番号 {number} を保留にしました。F7 で再開できます", title="保留")

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
            title, explanation = "テーマの切り替え（標準の表示に戻す）", "標準の表示に戻します"
        else:
            title = "テーマの切り替え（大きな文字・高コントラスト）"
            explanation = "太字・広い間隔・黒地に白と黄色の見やすい表示にします"
        yield SystemCommand(title, explanation, self.action_switch_theme)
        yield SystemCommand(
            "ヘルプ", "この画面の使い方とキーの一覧を表示します（F1）", self.action_help
        )
        yield SystemCommand("終了", "アプリを終了します（Ctrl+Q）", self.action_quit)


def _database_reason(exc: Exception) -> str:
    """A Japanese reason staff can act on; details stay in the log file."""
    from db.engine import DatabaseRefused

    if isinstance(exc, DatabaseRefused):
        return str(exc)
    text = str(exc).lower()
    if "could not connect" in text or "connection refused" in text:
        return "データベースのサーバーに接続できません"
    if "unable to open" in text or "permission denied" in text:
        return "データベースのファイルを開けません"
    return "原因は記録ファイルを確認してください"
