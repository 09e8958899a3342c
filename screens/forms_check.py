"""Check the pre-filled forms and type, once, what only staff can know; F10 confirms.

Each datum (電話番号, 振込先口座, ...) is asked once however many forms print it
(ワンスオンリー); the preview beside the inputs shows the highlighted form with what was
typed, so staff can check a form before the resident signs it. A blank input prints as
「窓口で記入」. What was typed lives in the plan screen's dict, so Esc and back keeps it.

The individual number (個人番号) is asked once per person a form needs it for, in a plain
input that shows it in full while typed: the one place it is shown. It is kept apart
from the other typed values, in the visit's memory (``VisitSession.numbers``), so no
draft ever holds it; the preview shows it masked.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker, WorkerState

from counter.household import EventCase
from counter.plan import Plan
from forms.prefill import (
    FilledForm,
    StaffInput,
    VisitInfo,
    check_typed,
    forms_for_visit,
    staff_inputs,
)
from screens.base import VisitStep, worker_result
from screens.logs import log_failure
from screens.visit_session import NUMBERS_TYPED, case_draft
from screens.widgets.fitted_table import Column, FittedTable
from screens.widgets.header import CounterHeader
from screens.widgets.japanese_input import JapaneseInput
from screens.widgets.wrapped_text import WrappedText


def form_preview(form: FilledForm) -> list[str]:
    """The form as staff check it: sections, each field with its printed value."""
    lines = [form.title]
    for section in form.sections:
        lines.append(f"【{section.title}】")
        lines += [f"　{f.label}：{f.shown}" for f in section.fields]
        for row in section.rows:
            lines.append(f"　〔{row.member_name}〕")
            lines += [f"　　{f.label}：{f.shown}" for f in row.fields]
    return lines


class FormsScreen(VisitStep):
    HELP = "届出書を確認し、窓口でしか分からない項目を一度だけ入力して受付を確定します。"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "戻る", tooltip="手続きの一覧に戻ります"),
        Binding("f10", "confirm", "確定・案内票", tooltip="受付を確定して案内票と届出書を作ります"),
    ]

    def __init__(
        self,
        cases: tuple[EventCase, ...],
        plan: Plan,
        typed: dict[str, str],
        *,
        given: Mapping[int, Mapping[str, str]] | None = None,
        draft: dict | None = None,
    ) -> None:
        """``cases`` are the visit's events, the first one first, which ``plan`` covers.
        A visit ending in a certificate request brings what its forms take from the
        request (``given``, by event) and the request's own ``draft``, which a parked
        visit reopens at."""
        super().__init__()
        self.cases = cases
        self.case = cases[0]
        self.plan = plan
        self.typed = typed
        self.given = given
        self.draft = draft
        self.forms: list[FilledForm] = []
        self.inputs: list[StaffInput] = []
        self.confirming = False

    @property
    def numbers(self) -> dict[str, str]:
        """The individual numbers as typed, by ``mynumber_key``: the visit's memory, not a draft."""
        return self.app.visit.numbers

    def _fill(self, typed: dict[str, str], numbers: dict[str, str]) -> list[FilledForm]:
        app = self.app
        info = VisitInfo(0, app.today, "")
        return forms_for_visit(
            self.plan,
            self.case,
            app.profile,
            info,
            typed,
            more_cases=self.cases[1:],
            numbers=numbers,
            given=self.given,
        )

    def _checked(
        self, inputs: list[StaffInput] | None = None
    ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """(typed values, individual numbers, error by input key), each checked."""
        inputs = self.inputs if inputs is None else inputs
        values, errors = check_typed(inputs, {**self.typed, **self.numbers})
        numbers = {item.key for item in inputs if item.mynumber}
        typed = {k: v for k, v in values.items() if k not in numbers}
        return typed, {k: v for k, v in values.items() if k in numbers}, errors

    def _resumed_numbers(self) -> int:
        """How many individual numbers were typed before this visit was parked and
        resumed, when none has been typed again yet."""
        current = self.app.visit.current
        if current is None or any(v.strip() for v in self.numbers.values()):
            return 0
        return int(current.draft.get(NUMBERS_TYPED) or 0)

    def compose(self) -> ComposeResult:
        self.forms = self._fill({}, {})
        self.inputs = staff_inputs(self.forms)
        yield CounterHeader()
        yield Static(f"届出書の確認（{len(self.forms)}枚）と窓口で記入する項目", classes="title")
        with Horizontal(id="forms-body"):
            with VerticalScroll(id="staff-inputs"):
                if self.inputs:
                    yield Static(_inputs_hint(len(self.inputs)), classes="hint", id="inputs-hint")
                else:
                    yield Static("窓口で記入する項目はありません。", classes="hint")
                resumed = self._resumed_numbers()
                if resumed and any(item.mynumber for item in self.inputs):
                    yield Static(
                        f"保留前に入力した個人番号（{resumed}件）は保存していません。"
                        "もう一度入力してください",
                        classes="error",
                        id="mynumber-resumed",
                    )
                for index, item in enumerate(self.inputs):
                    with Vertical(classes="staff-input", id=f"staff-input-{index}"):
                        yield Static(item.label, classes="field-label")
                        if item.mynumber:  # shown in full while typed; never a password bullet
                            yield Input(value=self.numbers.get(item.key, ""), id=f"typed-{index}")
                        else:
                            value = self.typed.get(item.key, "")
                            yield JapaneseInput(value=value, id=f"typed-{index}")
                        used = "、".join(item.forms)
                        note = f"{item.note}　" if item.note else ""
                        yield Static(f"{note}使う届出書: {used}", classes="hint")
                        yield Static("", classes="error", id=f"typed-error-{index}")
            with Vertical(id="forms-side"):
                yield FittedTable(
                    Column("届出書", "form", flexible=True),
                    Column("窓口で記入", "blank"),
                    id="forms",
                    cursor_type="row",
                    zebra_stripes=True,
                )
                with VerticalScroll(id="form-preview-box"):
                    yield WrappedText(id="form-preview")
        yield Static(self._summary(), id="summary", classes="hint")
        yield Footer()

    def _summary(self) -> str:
        if not self.forms:
            return "この届出で作る届出書はありません。F10 で確定して案内票を作ります"
        return "F10 で受付を確定し、案内票と記入済みの届出書を作ります"

    def visit_draft(self) -> dict:
        """The step's draft: what was typed, but of the individual numbers only how many."""
        if self.draft is not None:  # a certificate request reopens at its own screen
            draft = {**self.draft, "step": "forms", "typed": dict(self.typed)}
        else:
            draft = case_draft("forms", self.cases[-1], self.typed, self.cases[:-1])
        keys = {item.key for item in self.inputs if item.mynumber}
        draft[NUMBERS_TYPED] = sum(1 for k, v in self.numbers.items() if k in keys and v.strip())
        return draft

    def on_mount(self) -> None:
        self.app.visit.keep(self.visit_draft())
        table = self.query_one("#forms", DataTable)
        self._refresh_forms()
        if self.inputs:
            self.query_one("#typed-0", Input).focus()
        else:
            table.focus()

    def _refresh_forms(self) -> None:
        """Fill the forms again with what is typed now (pure and fast: a few ms)."""
        values, numbers, _ = self._checked()
        self.forms = self._fill(values, numbers)
        self._hide_filled_inputs()
        table = self.query_one("#forms", FittedTable)
        table.set_rows(
            ((form.name, f"{form.blank_count}項目" if form.blank_count else "なし"), str(index))
            for index, form in enumerate(self.forms)
        )
        if self.forms:
            self._show_form(table.cursor_row)

    @on(DataTable.RowHighlighted, "#forms")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_form(event.cursor_row)

    def _show_form(self, index: int) -> None:
        if not 0 <= index < len(self.forms):
            return
        form = self.forms[index]
        names = [row.member_name for section in form.sections for row in section.rows]
        self.query_one("#form-preview", WrappedText).show(form_preview(form), names)

    def _hide_filled_inputs(self) -> None:
        """An empty input the register now fills is hidden: typing the 請求者's name lets
        the register give their フリガナ and 生年月日, which then need no typing."""
        needed = {item.key for item in staff_inputs(self.forms)}
        for index, item in enumerate(self.inputs):
            value = (self.numbers if item.mynumber else self.typed).get(item.key, "")
            shown = item.key in needed or bool(value.strip())
            self.query_one(f"#staff-input-{index}").display = shown
        if self.inputs:
            count = sum(bool(w.display) for w in self.query(".staff-input"))
            self.query_one("#inputs-hint", Static).update(_inputs_hint(count))

    def _index(self, widget: Input) -> int:
        return int((widget.id or "").removeprefix("typed-"))

    @on(Input.Changed)
    def typed_changed(self, event: Input.Changed) -> None:
        index = self._index(event.input)
        item = self.inputs[index]
        (self.numbers if item.mynumber else self.typed)[item.key] = event.value
        self.query_one(f"#typed-error-{index}", Static).update("")
        self._refresh_forms()
        self._show_form_using(self.inputs[index])

    def _show_form_using(self, item: StaffInput) -> None:
        """Bring the first form that prints this datum into the preview."""
        table = self.query_one("#forms", DataTable)
        names = [form.name for form in self.forms]
        current = names[table.cursor_row] if 0 <= table.cursor_row < len(names) else None
        if current not in item.forms and item.forms[0] in names:
            table.move_cursor(row=names.index(item.forms[0]))

    @on(Input.Submitted)
    def typed_submitted(self, event: Input.Submitted) -> None:
        index = self._index(event.input)
        _, _, errors = self._checked([self.inputs[index]])
        if errors:
            self.query_one(f"#typed-error-{index}", Static).update(errors[self.inputs[index].key])
            return
        self.focus_next()

    def action_confirm(self) -> None:
        if self.confirming:
            return
        values, numbers, errors = self._checked()
        for index, item in enumerate(self.inputs):
            self.query_one(f"#typed-error-{index}", Static).update(errors.get(item.key, ""))
        if errors:
            first = next(i for i, item in enumerate(self.inputs) if item.key in errors)
            self.query_one(f"#typed-{first}", Input).focus()
            self.query_one("#summary", Static).update(
                f"入力に誤りがあります（{len(errors)}件）。赤い説明の項目を直してください"
            )
            return
        self.confirming = True
        self.query_one("#summary", Static).update(
            "受付を保存し、案内票と届出書を作っています。しばらくお待ちください"
        )
        self.confirm_visit(values, numbers)

    @work(thread=True, exclusive=True, exit_on_error=False, group="confirm")
    def confirm_visit(self, values: dict[str, str], numbers: dict[str, str]):
        from workflows.visit import confirm_visit

        app = self.app
        return confirm_visit(
            app.engine,
            self.case,
            self.plan,
            app.profile,
            device_id=app.settings.device_id,
            keeper=app.documents,
            typed=values,
            payment_key=app.settings.payment_key,
            visit_id=app.visit.current.id if app.visit.current else None,
            more_cases=self.cases[1:],
            numbers=numbers,
            given=self.given,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "confirm":
            return
        if event.state == WorkerState.SUCCESS:
            from workflows.visit import ConfirmedVisit  # loaded by the confirmation

            self.app.flow.confirmed(
                self.case, self.plan, worker_result(event.worker, ConfirmedVisit)
            )
        elif event.state == WorkerState.ERROR:
            self.confirming = False
            if self._refused_numbers(event.worker.error):
                return
            log_failure("受付の確定", event.worker.error)
            self.query_one("#summary", Static).update(
                "保存または案内票の作成に失敗しました。もう一度 F10 を押してください。"
                "続くときは管理者に連絡してください（詳細は記録ファイルにあります）。"
            )

    def _refused_numbers(self, error: BaseException | None) -> bool:
        """No key to seal an individual number: nothing was stored; say so at each typed
        number (a blank one is allowed: the form then says 「窓口で記入」)."""
        from db.vault import MyNumberKeyError

        if not isinstance(error, MyNumberKeyError):
            return False
        for index, item in enumerate(self.inputs):
            if item.mynumber and self.numbers.get(item.key, "").strip():
                self.query_one(f"#typed-error-{index}", Static).update(str(error))
        self.query_one("#summary", Static).update(
            "個人番号を保存できないため、受付を確定していません。赤い説明を確かめてください"
        )
        return True


def _inputs_hint(count: int) -> str:
    return (
        f"窓口で記入する項目 {count}件（1回入力すると、"
        "使うすべての届出書に入ります。空欄は用紙に「窓口で記入」と出ます）"
    )
