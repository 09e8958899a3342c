"""The visit is stored: show the reception number, the slip and the payment code."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from counter.household import EventCase
from counter.payment import el_number
from counter.plan import Plan
from screens.visit_service import ConfirmedVisit
from screens.widgets.header import CounterHeader


class DoneScreen(Screen):
    BINDINGS = [
        Binding("f2", "next_visit", "次の受付", tooltip="世帯の検索に戻ります"),
    ]

    def __init__(self, case: EventCase, plan: Plan, confirmed: ConfirmedVisit) -> None:
        super().__init__()
        self.case = case
        self.plan = plan
        self.confirmed = confirmed

    def compose(self) -> ComposeResult:
        visit = self.confirmed.visit
        lines = [
            f"受付番号 {visit.reception_number} を保存しました。",
            f"手続き {len(self.plan.procedures)}件　手数料の合計 {self.plan.total_fee:,}円",
            f"案内票: {self.confirmed.slip_path}",
        ]
        if self.confirmed.forms_path is not None:
            lines.append(f"記入済みの届出書: {self.confirmed.forms_path}")
        if visit.payment is not None:
            demo = "（見本・架空の番号）" if self.app.profile.payment_demo else ""
            lines.append(f"お支払い用コード{demo}: eL番号 {el_number(visit.payment)}")
        lines.append("")
        lines.append("F2 で次の受付に進みます。")
        yield CounterHeader()
        yield Static("受付完了", classes="title")
        yield Static("\n".join(lines), id="done")
        yield Footer()

    def action_next_visit(self) -> None:
        from screens.search import SearchScreen

        while len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        search = self.app.screen
        if isinstance(search, SearchScreen):
            search.reset()
