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
from counter.rules import plan as make_plan
from counter.wareki import format_wareki
from screens.visit_session import case_draft
from screens.widgets.header import CounterHeader


class PlanScreen(Screen):
    HELP = "必要な手続きを、対象の方・理由・期限・手数料とともに確認する画面です。"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "戻る", tooltip="質問に戻ります"),
        Binding("f5", "forms", "次へ", tooltip="届出書の確認と窓口で記入する項目に進みます"),
    ]

    def __init__(self, case: EventCase) -> None:
        super().__init__()
        self.case = case
        self.plan: Plan | None = None
        # What staff typed for the forms, by datum key: kept when they come back here.
        self.typed: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        app = self.app
        self.plan = make_plan(self.case, app.catalogue, app.profile, filed_on=app.today)
        head = self.case.household.head
        yield CounterHeader()
        yield Static(
            f"必要な手続き　{head.name if head else ''}様の世帯　"
            f"{event_label(self.case.event)}（{format_wareki(self.case.event_date)}）",
            classes="title",
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
            f"手数料の合計 {self.plan.total_fee:,}円　F5 で届出書の確認に進みます"
        )

    def visit_draft(self) -> dict:
        return case_draft("plan", self.case, self.typed)

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
        lines = [f"理由: {p.reason}", f"期限: {p.deadline_text}"]
        if p.documents:
            lines.append(f"持ち物: {'、'.join(p.documents)}")
        lines.append(f"窓口: {p.counter}　根拠: {p.legal_basis}")
        self.query_one("#detail", Static).update("\n".join(lines))

    def action_forms(self) -> None:
        from screens.forms_check import FormsScreen

        assert self.plan is not None
        self.app.push_screen(FormsScreen(self.case, self.plan, self.typed))
