"""The procedure list per member with reasons; F5 goes on to the forms, where the visit is
confirmed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from counter.events import event_label
from counter.household import EventCase
from counter.plan import STATUS_LABELS, Plan
from counter.rules import plan_visit
from counter.wareki import format_wareki
from screens.visit_session import case_draft
from screens.widgets.header import CounterHeader


class PlanScreen(Screen):
    HELP = "必要な手続きを、対象の方・理由・期限・手数料とともに確認する画面です。"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "戻る", tooltip="質問に戻ります"),
        Binding("f3", "add_event", "届出追加", tooltip="同じ受付で、ほかの届出も受け付けます"),
        Binding("f5", "forms", "次へ", tooltip="届出書の確認と窓口で記入する項目に進みます"),
    ]

    def __init__(
        self,
        case: EventCase,
        *,
        earlier: tuple[EventCase, ...] = (),
        typed: dict[str, str] | None = None,
    ) -> None:
        """The plan of the visit: ``earlier`` events (added before F3) and ``case``."""
        super().__init__()
        self.case = case
        self.earlier = earlier
        self.cases = (*earlier, case)
        self.plan: Plan | None = None
        # What staff typed for the forms, by datum key: kept when they come back here.
        self.typed: dict[str, str] = dict(typed or {})

    def compose(self) -> ComposeResult:
        app = self.app
        self.plan = plan_visit(self.cases, app.catalogue, app.profile, filed_on=app.today)
        head = self.cases[0].household.head
        events = "・".join(
            # one event with its weekday; several without, so the line fits
            f"{event_label(event)}（{format_wareki(day, weekday=len(self.cases) == 1)}）"
            for event, day in self.plan.events
        )
        yield CounterHeader()
        yield Static(
            f"必要な手続き　{head.name if head else ''}様の世帯　{events}", classes="title"
        )
        yield DataTable(id="procedures", cursor_type="row", zebra_stripes=True)
        yield Static("", id="detail")
        yield Static(self._summary(), id="summary", classes="hint")
        yield Footer()

    def _summary(self) -> str:
        assert self.plan is not None
        checks = sum(1 for p in self.plan.procedures if p.status == "check")
        return (
            f"{len(self.plan.procedures)}件（うち要確認 {checks}件）　"
            f"手数料の合計 {self.plan.total_fee:,}円　"
            "F5 届出書の確認　F3 届出の追加"
        )

    def visit_draft(self) -> dict:
        return case_draft("plan", self.case, self.typed, self.earlier)

    def on_mount(self) -> None:
        self.app.visit.keep(self.visit_draft())
        assert self.plan is not None
        table = self.query_one("#procedures", DataTable)
        table.add_columns("状態", "担当課", "手続き", "対象の方", "期限", "手数料")
        for index, p in enumerate(self.plan.procedures):
            table.add_row(
                STATUS_LABELS[p.status],
                p.department,
                p.name,
                "、".join(p.member_names),
                p.deadline_short,
                f"{p.fee:,}円" if p.fee else "なし",
                key=str(index),
            )
        table.focus()
        self._show_detail(0)

    @on(DataTable.RowHighlighted, "#procedures")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, index: int) -> None:
        assert self.plan is not None
        if not self.plan.procedures:
            self.query_one("#detail", Static).update("必要な手続きはありません。")
            return
        p = self.plan.procedures[index]
        lines = [f"理由: {p.explained_reason}", f"期限: {p.deadline_text}"]
        if len(self.cases) > 1:
            lines.insert(0, f"届出: {event_label(self.cases[p.case].event)}")
        if p.documents:
            lines.append(f"持ち物: {'、'.join(p.documents)}")
        lines.append(f"窓口: {p.counter}　根拠: {p.legal_basis}")
        self.query_one("#detail", Static).update("\n".join(lines))

    def action_forms(self) -> None:
        from screens.forms_check import FormsScreen

        assert self.plan is not None
        self.app.push_screen(FormsScreen(self.cases, self.plan, self.typed))

    def action_add_event(self) -> None:
        """Another event of the same visit (a birth after a move-in): picked for the
        household as it now is, then planned together with what is here."""
        from screens.event import EventScreen

        household = self.case.household
        self.app.push_screen(
            EventScreen(household.household_id or "", earlier=self.cases, typed=self.typed)
        )
