"""証明書の請求: which certificates, for whom, who asks; each line's verdict as staff choose.

Reached with F6 from a search hit (the person found is the one asking, by default) or from
an opened household's event screen, and with F6 from a life event's plan to add a
request to the same visit. It opens on the commonest request, one 住民票の写し of the
whole household for the person themselves, so F10 alone confirms it. As staff change the
certificates (Space ticks one copy, a digit sets the copies), whom each is for, its
options or 年度, or who is at the counter with what papers, the rules core decides every
line again: 交付できる / 交付できない / 要確認 with its fee, and below the table the
highlighted line's reason, where to ask and what to show.

F10 stores the visit in a worker (``workflows.certificates``), writes the slip and the
request forms filled with the request, and shows the done step; in a visit that has
life events, F5 goes on to their forms first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Input, RadioSet, SelectionList, Static
from textual.worker import Worker, WorkerState

from counter.certificates import (
    CertificateDecision,
    CertificateKind,
    CertificateLine,
    load_certificate_rules,
    nendo_label,
)
from counter.events import event_label
from counter.household import EventCase, Household
from screens.base import VisitStep, worker_result
from screens.logs import log_failure
from screens.visit_session import make_draft
from screens.widgets.check_list import CheckList
from screens.widgets.choice_set import ChoiceButton, ChoiceSet
from screens.widgets.copies_list import CopiesList
from screens.widgets.fitted_table import Cell, Column, FittedTable
from screens.widgets.header import CounterHeader
from screens.widgets.japanese_input import JapaneseInput
from screens.widgets.wrapped_text import WrappedText
from workflows.certificates import (
    FLAGS,
    OUTSIDE_VISITORS,
    YEARS_OFFERED,
    CertificateChoices,
    CertificateVisit,
    certificate_visit,
    kinds_in_order,
)

# The draft key holding the certificate screen's choices (workflows.certificates).
DRAFT_KEY = "certificate"
VISITORS = {
    "spouse_or_lineal": "別世帯の配偶者・直系",
    "agent": "代理人",
    "third_party": "第三者",
}
FLAG_LABELS = {
    "proxy_letter": "委任状",
    "photo_id": "顔写真付きの証明書",
    "seal_card": "印鑑登録証（カード）",
    "mynumber_card": "マイナンバーカード",
}
# The verdicts in the table, shortest first when the column is narrow.
VERDICT_CELLS = {"yes": ("交付できる",), "no": ("交付できない",), "check": ("要確認",)}


def list_label(kind: CertificateKind) -> str:
    """The kind as the list shows it: its name without a closing （…） gloss."""
    name = kind.name
    if name.endswith("）") and "（" in name and not name.startswith("課税"):
        return name[: name.rindex("（")]
    return name


class CertificateScreen(VisitStep):
    HELP = (
        "証明書の請求を受ける画面です。証明書と通数、対象の方、記載事項や年度、来られた方"
        "（本人・代理人など）を選ぶと、交付できるかと手数料がすぐに出ます。確定は F10 です"
        "（届出に追加したときは F5 で届出書の確認に進みます）。"
    )
    BINDINGS = [
        Binding("escape", "back", "戻る", tooltip="前の画面に戻ります"),
        Binding("f5", "forms", "次へ", tooltip="届出に追加したとき: 届出書の確認に進みます"),
        Binding("f10", "confirm", "確定・案内票", tooltip="受付を確定して案内票と申請書を作ります"),
    ]

    def __init__(
        self,
        household_id: str,
        *,
        household: Household | None = None,
        person: str | None = None,
        earlier: tuple[EventCase, ...] = (),
        typed: dict[str, str] | None = None,
        saved: dict[str, Any] | None = None,
        first_step: bool = True,
    ) -> None:
        """``household`` when it is already open (the event screen, a plan), else it is
        opened here; ``person`` the member found by the search; ``earlier`` the life events
        this visit planned before, with what was ``typed`` for their forms; ``saved`` the
        choices of a parked visit; ``first_step`` when Esc leaves the visit."""
        super().__init__()
        self.household_id = household_id
        if household is None and earlier:
            household = earlier[-1].household
        self.household = _unmarked(household) if household else None
        self.person = person
        self.earlier = earlier
        self.typed: dict[str, str] = dict(typed or {})
        self.saved = saved
        self.first_step = first_step and not earlier
        self.rules = load_certificate_rules()
        self.choices: CertificateChoices | None = None
        self.decision: CertificateDecision | None = None
        self.kinds: list[CertificateKind] = []
        self.current = ""  # the kind whose members, options and 年度 are shown
        self.confirming = False

    # -- building ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        yield Static(self._title(), classes="title")
        yield FittedTable(
            Column("証明書", "name", flexible=True, least=10, weight=1.5),
            Column("対象の方", "members", flexible=True, least=10),
            Column("通数", "copies"),
            Column("判定", "verdict"),
            Column("手数料", "fee"),
            id="lines",
            cursor_type="row",
            zebra_stripes=True,
        )
        yield WrappedText(id="cert-detail")
        yield Static("", id="summary", classes="hint")
        if self.choices is None:
            yield Static("世帯を読み込んでいます。", classes="hint", id="loading")
        else:
            yield from self._form(self.choices)
        yield Footer()

    def _title(self) -> str:
        head = self.household.head if self.household else None
        whose = f"　{head.name}様の世帯" if head else ""
        if self.earlier:
            planned = "・".join(event_label(c.event) for c in self.earlier)
            return f"証明書の請求を追加する（この受付の届出: {planned}）"
        return f"証明書の請求{whose}"

    def _form(self, choices: CertificateChoices) -> ComposeResult:
        """Three columns: the certificates, whom the highlighted one is for (with its
        options or 年度), and who is at the counter. Each list is titled on its border,
        so the form fits 80×24 beside the verdicts."""
        household = choices.household
        with Horizontal(id="cert-form"):
            with VerticalScroll(id="cert-kinds", can_focus=False):
                kinds = CopiesList(
                    [(kind.id, list_label(kind)) for kind in self.kinds], choices.copies, id="kinds"
                )
                kinds.border_title = "証明書と通数"
                yield kinds
            with VerticalScroll(id="cert-whom", can_focus=False):
                members = CheckList(*((m.name, m.id) for m in household.members), id="members")
                members.border_title = "対象の方"
                yield members
                options = CheckList(id="options")
                options.border_title = "記載する事項"
                yield options
                with ChoiceSet(id="year") as year:
                    year.border_title = "年度"
                    latest = self._latest_year()
                    for offset in range(YEARS_OFFERED):
                        yield ChoiceButton(nendo_label(latest - offset), value=offset == 0)
            with VerticalScroll(id="cert-visitor", can_focus=False):
                with ChoiceSet(id="visitor") as visitor:
                    visitor.border_title = "来られた方"
                    for member in household.members:
                        yield ChoiceButton(member.name, value=member.id == choices.visitor)
                    for key, label in VISITORS.items():
                        yield ChoiceButton(label, value=key == choices.visitor)
                flags = CheckList(
                    *((FLAG_LABELS[f], f, f in choices.flags) for f in FLAGS), id="flags"
                )
                flags.border_title = "確認したもの"
                yield flags
                purpose = JapaneseInput(value=choices.purpose, id="purpose")
                purpose.border_title = "使いみち（提出先）"
                yield purpose
                name = JapaneseInput(value=choices.name, id="visitor-name")
                name.border_title = "来られた方の氏名"
                yield name

    def _latest_year(self) -> int:
        from counter.certificates import latest_tax_year

        return latest_tax_year(self.app.today, self.app.profile)

    def on_mount(self) -> None:
        self.kinds = kinds_in_order(self.app.today, self.rules)
        if self.household is not None:
            self.call_later(self._start, self.household)
        else:
            self.load_household()

    @work(thread=True, exclusive=True, exit_on_error=False, group="household")
    def load_household(self) -> None:
        from workflows.lookups import open_household

        app = self.app
        household = open_household(
            app.engine, self.household_id, app.actor, visit_id=lambda: app.visit.ensure_started().id
        )
        app.call_from_thread(lambda: self.call_later(self._start, household))

    async def _start(self, household: Household) -> None:
        """The household is open: the choices (saved, or the commonest request), the form."""
        self.household = _unmarked(household)
        if self.saved:
            self.choices = CertificateChoices.from_draft(self.household, self.saved)
        else:
            self.choices = CertificateChoices.start(self.household, self.person)
        self.current = next(iter(k for k in self.choices.copies if self.choices.copies[k]), "")
        await self.recompose()
        self._show_kind(self.current or self.kinds[0].id)
        self._show_visitor()
        self._refresh()
        kinds = self.query_one("#kinds", CopiesList)
        # Each list starts on its first line, so Space works at once.
        kinds.highlighted = [k.id for k in self.kinds].index(self.current or self.kinds[0].id)
        for selector in ("#members", "#options", "#flags"):
            listed = self.query_one(selector, CheckList)
            if listed.option_count:
                listed.highlighted = 0
        kinds.focus()
        self.app.visit.keep(self.visit_draft())

    # -- what staff change ---------------------------------------------------------------

    def _kind(self, kind_id: str) -> CertificateKind:
        return self.rules.kinds[kind_id]

    def _show_kind(self, kind_id: str) -> None:
        """Members, options and 年度 of ``kind_id`` (the highlighted certificate)."""
        assert self.choices is not None
        self.current = kind_id
        kind = self._kind(kind_id)
        choices = self.choices
        members = self.query_one("#members", CheckList)
        members.border_title = f"対象：{kind.short}"
        wanted = set(choices.members_of(kind))
        with members.prevent(SelectionList.SelectedChanged):
            for member in choices.household.members:
                if member.id in wanted:
                    members.select(member.id)
                else:
                    members.deselect(member.id)
        self._show_options(kind)
        tax = kind.where == "tax"
        year_set = self.query_one("#year", ChoiceSet)
        year_set.display = tax
        if tax:
            index = self._latest_year() - choices.year_of(kind, self.app.today, self.app.profile)
            buttons = list(year_set.query(ChoiceButton))
            if 0 <= index < len(buttons) and not buttons[index].value:
                with year_set.prevent(RadioSet.Changed):
                    buttons[index].value = True

    def _show_options(self, kind: CertificateKind) -> None:
        assert self.choices is not None
        offered = self.choices.options_offered(kind, self.rules)
        options = self.query_one("#options", CheckList)
        ticked = set(self.choices.options.get(kind.id, ()))
        with options.prevent(SelectionList.SelectedChanged):
            options.clear_options()
            options.add_options((self.rules.options[o].label, o, o in ticked) for o in offered)
        if offered:
            options.highlighted = 0
        options.display = bool(offered)

    def _show_visitor(self) -> None:
        assert self.choices is not None
        outside = self.choices.visitor in OUTSIDE_VISITORS
        self.query_one("#visitor-name").display = outside

    @on(SelectionList.SelectionHighlighted, "#kinds")
    def kind_highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        if self.choices is not None:
            self._show_kind(str(event.selection.value))

    @on(SelectionList.SelectedChanged, "#kinds")
    def copies_changed(self, event: SelectionList.SelectedChanged) -> None:
        if self.choices is None:
            return
        kinds = self.query_one("#kinds", CopiesList)
        self.choices.copies = {k: n for k, n in kinds.copies.items() if n}
        self._refresh()

    @on(SelectionList.SelectedChanged, "#members")
    def members_changed(self, event: SelectionList.SelectedChanged) -> None:
        if self.choices is None or not self.current:
            return
        ticked = set(event.selection_list.selected)
        order = [m.id for m in self.choices.household.members]
        self.choices.members[self.current] = tuple(m for m in order if m in ticked)
        self._show_options(self._kind(self.current))  # 旧氏 follows whom it is for
        self._refresh()

    @on(SelectionList.SelectedChanged, "#options")
    def options_changed(self, event: SelectionList.SelectedChanged) -> None:
        if self.choices is None or not self.current:
            return
        ticked = set(event.selection_list.selected)
        kind = self._kind(self.current)
        self.choices.options[kind.id] = tuple(o for o in kind.options if o in ticked)
        self._refresh()

    @on(RadioSet.Changed, "#year")
    def year_changed(self, event: RadioSet.Changed) -> None:
        if self.choices is None or not self.current or event.index < 0:
            return
        self.choices.years[self.current] = self._latest_year() - event.index
        self._refresh()

    @on(RadioSet.Changed, "#visitor")
    def visitor_changed(self, event: RadioSet.Changed) -> None:
        if self.choices is None or event.index < 0:
            return
        members = [m.id for m in self.choices.household.members]
        everyone = [*members, *VISITORS]
        self.choices.visitor = everyone[event.index]
        self._show_visitor()
        self._refresh()

    @on(SelectionList.SelectedChanged, "#flags")
    def flags_changed(self, event: SelectionList.SelectedChanged) -> None:
        if self.choices is not None:
            self.choices.flags = {str(f) for f in event.selection_list.selected}
            self._refresh()

    @on(Input.Changed, "#purpose")
    def purpose_changed(self, event: Input.Changed) -> None:
        if self.choices is not None:
            self.choices.purpose = event.value
            self._refresh()

    @on(Input.Changed, "#visitor-name")
    def name_changed(self, event: Input.Changed) -> None:
        if self.choices is not None:
            self.choices.name = event.value
            self._refresh()

    # -- the verdicts ------------------------------------------------------------------

    def _refresh(self) -> None:
        """Decide every line again (pure and fast) and show it."""
        assert self.choices is not None
        app = self.app
        self.decision = self.choices.decision(app.today, app.profile, self.rules)
        table = self.query_one("#lines", FittedTable)
        table.set_rows(
            (
                (
                    self._name_cell(line),
                    _members_cell(line.member_names),
                    f"{line.copies}通",
                    Cell(VERDICT_CELLS[line.issuable]),
                    "－" if line.issuable == "no" else f"{line.fee:,}円",
                ),
                str(index),
            )
            for index, line in enumerate(self.decision.lines)
        )
        self._show_detail(table.cursor_row)
        self.query_one("#summary", Static).update(self._summary())

    def _name_cell(self, line: CertificateLine) -> Cell:
        """The certificate's name, or its short name (with the 年度) when narrow."""
        short = self._kind(line.kind).short
        if line.year is not None:
            short = f"{short}（{nendo_label(line.year)}）"
        return Cell((line.name, short))

    def _summary(self) -> str:
        assert self.decision is not None
        lines = self.decision.lines
        if not lines:
            return "請求する証明書と対象の方を選んでください"
        billed = sum(line.fee for line in lines if line.issuable == "yes")
        checked = sum(line.fee for line in lines if line.issuable == "check")
        later = f"（要確認の{checked:,}円は確認後）" if checked else ""
        key = "F5 次へ" if self.earlier else "F10 確定・案内票"
        return f"手数料の合計 {billed:,}円{later}　{key}"

    @on(DataTable.RowHighlighted, "#lines")
    def line_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, index: int) -> None:
        detail = self.query_one("#cert-detail", WrappedText)
        if self.decision is None or not 0 <= index < len(self.decision.lines):
            detail.show([])
            return
        line = self.decision.lines[index]
        where = "請求先" if line.issuable == "no" else "窓口"
        shown = [f"理由：{line.reason}", f"{where}：{line.where}"]
        if line.documents:
            label = "必要なもの" if line.issuable != "no" else "請求に必要なもの"
            shown.append(f"{label}：{'、'.join(line.documents)}")
        detail.show(shown, line.member_names)

    # -- the visit -----------------------------------------------------------------------

    def visit_draft(self) -> dict:
        head = self.household.head if self.household else None
        if self.earlier:
            head = self.earlier[0].household.head
        draft = make_draft(
            "certificates",
            household_id=self.household_id,
            head_name=head.name if head else "",
            typed=self.typed,
            earlier=self.earlier,
        )
        if self.choices is not None:
            draft[DRAFT_KEY] = self.choices.to_draft()
        elif self.saved:
            draft[DRAFT_KEY] = self.saved
        return draft

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F10 confirms a request on its own; with life events, F5 goes on to their forms."""
        if action == "confirm":
            return not self.earlier
        if action == "forms":
            return bool(self.earlier)
        return True

    def action_back(self) -> None:
        current = self.app.visit.current
        if not self.first_step or current is None:
            self.app.pop_screen()
            return
        self.app.flow.leave(current.reception_number, self.visit_draft())

    def _visit(self) -> CertificateVisit | None:
        """The visit to store, or None (and why, under the table) when nothing is asked."""
        if self.choices is None or self.decision is None or self.household is None:
            return None
        if not self.decision.lines:
            self.query_one("#summary", Static).update(
                "請求する証明書がありません。証明書（スペース）と対象の方を選んでください"
            )
            return None
        app = self.app
        return certificate_visit(
            self.decision,
            self.household,
            app.profile,
            app.catalogue,
            on=app.today,
            earlier=self.earlier,
        )

    def action_forms(self) -> None:
        visit = self._visit()
        if visit is not None:
            self.app.flow.certificate_forms(visit, self.typed, self.visit_draft())

    def action_confirm(self) -> None:
        if self.confirming:
            return
        visit = self._visit()
        if visit is None:
            return
        self.confirming = True
        self.app.visit.keep(self.visit_draft())
        self.query_one("#summary", Static).update(
            "受付を保存し、案内票と申請書を作っています。しばらくお待ちください"
        )
        self.confirm_visit(visit)

    @work(thread=True, exclusive=True, exit_on_error=False, group="confirm")
    def confirm_visit(self, visit: CertificateVisit):
        from workflows.certificates import confirm_certificate_visit

        app = self.app
        confirmed = confirm_certificate_visit(
            app.engine,
            visit,
            app.profile,
            device_id=app.settings.device_id,
            keeper=app.documents,
            typed=self.typed,
            payment_key=app.settings.payment_key,
            visit_id=app.visit.current.id if app.visit.current else None,
        )
        return visit, confirmed

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "household" and event.state == WorkerState.ERROR:
            log_failure("世帯の表示", event.worker.error)
            self.query_one("#summary", Static).update(
                "世帯を読み込めませんでした。Esc で戻り、もう一度選んでください"
            )
            return
        if event.worker.group != "confirm":
            return
        if event.state == WorkerState.SUCCESS:
            from workflows.visit import ConfirmedVisit  # loaded by the confirmation

            visit, confirmed = worker_result(event.worker, tuple)
            assert isinstance(confirmed, ConfirmedVisit)
            self.app.flow.confirmed(visit.cases[0], visit.plan, confirmed)
        elif event.state == WorkerState.ERROR:
            self.confirming = False
            log_failure("受付の確定", event.worker.error)
            self.query_one("#summary", Static).update(
                "保存または案内票の作成に失敗しました。もう一度 F10 を押してください。"
                "続くときは管理者に連絡してください（詳細は記録ファイルにあります）。"
            )


def _unmarked(household: Household) -> Household:
    """The household without an event's subjects: the request marks its own."""
    return replace(household, members=tuple(replace(m, subject=False) for m in household.members))


def _members_cell(names: tuple[str, ...]) -> Cell:
    """Everyone, or the first and how many more when the column is narrow."""
    if len(names) < 2:
        return Cell(names)
    return Cell(("、".join(names), f"{names[0]}ほか{len(names) - 1}人"))
