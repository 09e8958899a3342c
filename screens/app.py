"""The counter application: paints at once, then opens the database in a worker."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from counter.catalogue import Catalogue, load_catalogue
from counter.payment.keys import KEY_FILE_ENV, PaymentKeyError
from counter.profile import MunicipalityProfile, load_profile
from screens.logs import log_failure
from screens.messages import DatabaseFailed, DatabaseReady
from screens.settings import DEMO_HOUSEHOLDS, Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class CounterApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "書かないワンストップ窓口"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q", "quit", "終了", tooltip="アプリを終了します", priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(self, settings: Settings, *, today: date | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.today = today or date.today()
        self.engine: Engine | None = None
        self.profile: MunicipalityProfile = load_profile(settings.municipality)
        self.catalogue: Catalogue = load_catalogue().with_profile(self.profile)
        if not self.profile.payment_demo and settings.payment_key is None:
            raise PaymentKeyError(f"{KEY_FILE_ENV}: 本番の設定では確認番号の鍵ファイルが必要です")
        self.sub_title = f"{self.profile.name}　{self.profile.office}"

    def compose(self) -> ComposeResult:
        # The start-up line only; each working screen brings its own header.
        yield Static("データベースを準備しています…", id="startup")
        yield Footer()

    def on_mount(self) -> None:
        self.prepare_database()

    @work(thread=True, exclusive=True, exit_on_error=False, group="database")
    def prepare_database(self) -> None:
        from counter.demo import generate_households
        from db.engine import make_engine
        from db.migrate import upgrade
        from db.register import count_households, save_households

        try:
            engine = make_engine(self.settings.database_url)
            upgrade(engine)
            seeded = 0
            if self.settings.seed_demo and count_households(engine) == 0:
                households = generate_households(DEMO_HOUSEHOLDS, seed=0, on=self.today)
                seeded = save_households(engine, households, municipality=self.profile.code)
            self.post_message(DatabaseReady(engine, seeded))
        except Exception as exc:  # staff see one Japanese line, the log the rest
            log_failure("データベースの準備", exc)
            self.post_message(DatabaseFailed(_database_reason(exc)))
            return
        self.warm_fonts()

    @work(thread=True, exclusive=True, exit_on_error=False, group="fonts")
    def warm_fonts(self) -> None:
        from forms.fonts import warm_fonts

        try:
            warm_fonts()
        except Exception as exc:  # a missing font only slows the first slip down
            log_failure("フォントの準備", exc)

    def on_database_ready(self, message: DatabaseReady) -> None:
        from screens.search import SearchScreen

        self.engine = message.engine
        if message.seeded:
            self.notify(f"見本の住民データ（{message.seeded}世帯）を用意しました", title="初回起動")
        self.push_screen(SearchScreen())

    def on_database_failed(self, message: DatabaseFailed) -> None:
        self.query_one("#startup", Static).update(
            "データベースを開けませんでした（"
            f"{message.reason}）。設定を確認して、Ctrl+Q で終了してください。"
        )

    def action_help_quit(self) -> None:
        self.notify("終了するときは Ctrl+Q を押してください", title="終了しますか")


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
