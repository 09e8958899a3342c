"""Find the household: kana (any width or script) or name, one page at a time."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Input, Static

from counter.wareki import format_wareki
from screens.base import CounterScreen
from screens.logs import log_failure
from screens.messages import SearchFinished
from screens.widgets.fitted_table import Cell, Column, FittedTable
from screens.widgets.header import CounterHeader
from screens.widgets.japanese_input import JapaneseInput

PREPARING = "データベースを準備しています。入力はできます（準備ができると候補が出ます）"


class SearchScreen(CounterScreen):
    HELP = "世帯を探して受付を始める画面です（カナ・氏名・生年月日・住所・郵便番号）。"
    has_more = False
    BINDINGS = [
        Binding("f2", "focus_search", "検索欄", tooltip="検索欄に移ります"),
        Binding("f3", "newcomer", "新しい世帯", tooltip="住民記録にない世帯を登録します"),
        # Not in the footer, as F8 below.
        Binding(
            "f4",
            "stats",
            "窓口の実績",
            tooltip="件数・分数・書かない率など（監督者・管理者）",
            show=False,
        ),
        Binding("f5", "open_household", "受付", tooltip="選んだ世帯の受付を始めます"),
        Binding(
            "f6",
            "certificates",
            "証明書",
            tooltip="選んだ方の証明書の請求を受けます",
        ),
        Binding("f7", "open_visits", "途中", tooltip="保留中・途中の受付を再開します"),
        # Not in the footer (no room at 80 columns, and only supervisors use it); F1 lists it.
        Binding(
            "f8",
            "outreach_conflicts",
            "出張の確認待ち",
            tooltip="取り込みの確認待ちを処理します（監督者・管理者）",
            show=False,
        ),
        Binding("f9", "department_queue", "担当課", tooltip="引き継がれた手続きを開きます"),
    ]

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        yield Static("世帯をさがす", classes="title")
        yield JapaneseInput(
            placeholder="カナ・氏名・生年月日（R2.4.1 も可）・住所・郵便番号で探せます",
            id="query",
        )
        yield Static(
            "入力すると候補が出ます。下キーで一覧に移り、Enter で受付を始めます。",
            classes="hint",
            id="status",
        )
        yield FittedTable(
            Column("氏名", "name", flexible=True),
            Column("カナ", "kana", flexible=True),
            Column("生年月日", "birth"),
            Column("住所", "address", flexible=True, least=10),
            Column("世帯人数", "members"),
            id="results",
            cursor_type="row",
            zebra_stripes=True,
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        if not self.app.database_ready:
            self.query_one("#status", Static).update(PREPARING)

    def database_preparing(self, progress: str) -> None:
        """Called by the app while the database is prepared (the first start seeds the
        demo register): what is being done, and how far it has got."""
        self.query_one("#status", Static).update(f"{PREPARING}\n{progress}")

    def database_opened(self) -> None:
        """Called by the app once the database is open: search what was typed meanwhile."""
        self.search(self.query_one("#query", Input).value)

    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#query")
    def query_submitted(self) -> None:
        table = self.query_one("#results", DataTable)
        if table.row_count:
            table.focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def search(self, query: str) -> None:
        """Search the register; the query (never the results) goes to the audit log first,
        and a search that cannot be recorded shows nothing."""
        from workflows.lookups import search_households

        if not query.strip(" \u3000"):
            self.has_more = False
            self.post_message(SearchFinished(query, []))
            return
        try:
            page = search_households(self.app.engine, query, self.app.actor)
        except Exception as exc:  # one Japanese line; the details go to the log
            log_failure("世帯の検索", exc)
            self.app.call_from_thread(
                self.query_one("#status", Static).update,
                "検索できませんでした（記録ファイルに詳細があります）。もう一度入力してください。",
            )
            return
        self.has_more = page.has_more
        self.post_message(SearchFinished(query, page.hits))

    def on_search_finished(self, message: SearchFinished) -> None:
        if message.query != self.query_one("#query", Input).value:
            return
        here = self.app.profile.prefecture + self.app.profile.name  # 鳥取県米子市: said once
        self.query_one("#results", FittedTable).set_rows(
            (
                (
                    hit.name,
                    hit.kana,
                    format_wareki(hit.birth_date, weekday=False),
                    Cell((hit.address, hit.address.removeprefix(here))),
                    f"{hit.member_count}人",
                ),
                hit.household_id + "|" + hit.resident_id,
            )
            for hit in message.hits
        )
        status = self.query_one("#status", Static)
        if not message.query.strip(" \u3000"):
            status.update("入力すると候補が出ます。下キーで一覧に移り、Enter で受付を始めます。")
        elif message.hits:
            status.update(
                f"{len(message.hits)}件{'以上（先頭50件を表示）' if self.has_more else ''}。"
                "下キーで一覧へ、Enter で受付を始めます。"
            )
        else:
            status.update("見つかりません。カナの一部や氏名で試してください。")

    def on_key(self, event) -> None:
        if event.key == "down" and self.focused is self.query_one("#query", Input):
            table = self.query_one("#results", DataTable)
            if table.row_count:
                table.focus()
                event.stop()

    @on(DataTable.RowSelected, "#results")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def action_focus_search(self) -> None:
        self.query_one("#query", Input).focus()

    def action_newcomer(self) -> None:
        self.app.flow.newcomer()

    def action_department_queue(self) -> None:
        self.app.flow.department_queue()

    def action_outreach_conflicts(self) -> None:
        self.app.open_outreach_conflicts()

    def action_stats(self) -> None:
        self.app.open_stats()

    def reset(self) -> None:
        """Ready for the next resident: empty query, empty list."""
        query = self.query_one("#query", Input)
        query.value = ""
        query.focus()

    def action_open_household(self) -> None:
        key = self._chosen()
        if key:
            self._open(key)

    def action_certificates(self) -> None:
        """The highlighted hit's certificate request: the person found is the one asking."""
        key = self._chosen()
        if key:
            household_id, _, resident_id = key.partition("|")
            self.app.flow.certificates(household_id, person=resident_id or None)

    def _chosen(self) -> str | None:
        """The highlighted hit's key, or None (and a word to staff) when there is none."""
        table = self.query_one("#results", DataTable)
        if not table.row_count:
            self.notify("先に世帯を検索して選んでください", severity="warning")
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _open(self, key: str | None) -> None:
        if not key:
            return
        household_id, _, _ = key.partition("|")
        self.app.flow.open_household(household_id)

    def action_open_visits(self) -> None:
        self.app.flow.open_visits()
