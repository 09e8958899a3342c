"""The procedure list per member with reasons; F5 goes on to the forms, where the visit is
confirmed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from counter.events import event_label
from counter.household import EventCase
from counter.plan import OVERDUE, OVERDUE_MARK, STATUS_LABELS, Plan
from counter.rules import plan_visit
from counter.wareki import format_wareki
from screens.base import VisitStep
from screens.visit_session import case_draft
from screens.widgets.fitted_table import Cell, Column, FittedTable
from screens.widgets.header import CounterHeader
from screens.widgets.wrapped_text import WrappedText


class PlanScreen(VisitStep):
    HELP = "必要な手続きを、対象の方・理由・期限・手数料とともに確認する画面です。"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "戻る", tooltip="質問に戻ります"),
        Binding("f3", "add_event", "届出追加", tooltip="同じ受付で、ほかの届出も受け付けます"),
        Binding("f5", "forms", "次へ", tooltip="届出書の確認と窓口で記入する項目に進みます"),
        Binding(
            "f6", "add_certificates", "証明書追加", tooltip="同じ受付で、証明書の請求も受けます"
        ),
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
        yield FittedTable(
            Column("状態", "status"),
            Column("担当課", "department", flexible=True, least=10),
            Column("手続き", "name", flexible=True, least=10, weight=2),
            Column("対象の方", "members", flexible=True, least=18),  # 「境港　大輔ほか3人」
            Column("期限", "deadline"),
            Column("手数料", "fee"),
            id="procedures",
            cursor_type="row",
            zebra_stripes=True,
        )
        yield WrappedText(id="detail")
        yield Static(self._summary(), id="summary", classes="hint")
        yield Footer()

    def _summary(self) -> str:
        assert self.plan is not None
        checks = sum(1 for p in self.plan.procedures if p.status == "check")
        late = len(self.plan.overdue)
        overdue = f"{OVERDUE_MARK}{OVERDUE}（{late}件）\n" if late else ""
        if self.plan.planned_ahead:
            overdue += f"{self.plan.planned_ahead}\n"
        return (
            f"{overdue}{len(self.plan.procedures)}件（うち要確認 {checks}件）　"
            f"手数料の合計 {self.plan.total_fee:,}円　"
            "F5 届出書の確認　F3 届出の追加"
        )

    def visit_draft(self) -> dict:
        return case_draft("plan", self.case, self.typed, self.earlier)

    def on_mount(self) -> None:
        self.app.visit.keep(self.visit_draft())
        assert self.plan is not None
        table = self.query_one("#procedures", FittedTable)
        table.set_rows(
            (
                (
                    STATUS_LABELS[p.status],
                    p.department,
                    p.name,
                    members_cell(p.member_names),
                    p.deadline_short,
                    f"{p.fee:,}円" if p.fee else "なし",
                ),
                str(index),
            )
            for index, p in enumerate(self.plan.procedures)
        )
        table.focus()
        self._show_detail(0)

    @on(DataTable.RowHighlighted, "#procedures")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, index: int) -> None:
        assert self.plan is not None
        detail = self.query_one("#detail", WrappedText)
        if not self.plan.procedures:
            detail.show(["必要な手続きはありません。"])
            return
        p = self.plan.procedures[index]
        lines = [f"理由：{p.explained_reason}", f"期限：{p.deadline_text}"]
        if p.deadline_notice:
            lines.append(f"ご案内：{p.deadline_notice}")
        if p.late:
            lines.append(f"{p.late.label}：{p.late.text}（{p.late.basis}）")
        if len(self.cases) > 1:
            lines.insert(0, f"届出：{event_label(self.cases[p.case].event)}")
        if p.documents:
            lines.append(f"持ち物：{'、'.join(p.documents)}")
        lines.append(f"窓口：{p.counter}　根拠：{p.legal_basis}")
        detail.show(lines, p.member_names)

    def action_forms(self) -> None:
        assert self.plan is not None
        self.app.flow.to_forms(self.cases, self.plan, self.typed)

    def action_add_certificates(self) -> None:
        """A certificate request in the same visit (a 住民票 for the new employer after a
        転入): chosen for the household as it now is, then stored with the events."""
        household = self.cases[-1].household
        self.app.flow.certificates(
            household.household_id or "", household=household, earlier=self.cases, typed=self.typed
        )

    def action_add_event(self) -> None:
        """Another event of the same visit (a birth after a move-in): picked for the
        household as it now is, then planned together with what is here."""
        self.app.flow.add_event(self.cases, self.typed)


def members_cell(names: tuple[str, ...]) -> Cell:
    """Everyone, or the first and how many more when the column is narrow."""
    if len(names) < 2:
        return Cell(names)
    return Cell(("、".join(names), f"{names[0]}ほか{len(names) - 1}人"))
