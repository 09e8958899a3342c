"""Register a household the register does not know yet: a 転入 typed once at the counter.

Staff type each member as the 転出証明書 shows them (or load the pre-arrival file), the
postal codes fill in the town names, and F5 stores the household and opens the usual
event screen with 転入 chosen, so the visit goes on exactly as for a known household.
Names are kept exactly as typed (U+3000 and rare kanji included); only フリガナ, dates,
postal codes and the nationality code are normalised. Every member is registered as
living here since the 転入 date typed here (住定日). A 本籍 or 旧氏 is not typed on this
screen (the form fills 80×24 already): it comes with pre-arrival data, kept unchanged.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import Footer, Input, RadioSet, Static

from counter.household import (
    Address,
    EventCase,
    Household,
    Member,
)
from counter.textnorm import TextFormatError, normalize_postal_code
from counter.wareki import DateFormatError, parse_date
from screens.base import CounterScreen
from screens.widgets.date_field import DateField
from screens.widgets.header import CounterHeader
from screens.widgets.japanese_input import JapaneseInput
from screens.widgets.member_form import (
    MemberForm,
    Problem,
    labelled_field,
    show_problem,
)

ADDRESS_LABELS = {"new": "新しい住所", "previous": "転入前の住所"}


class PrearrivalLoaded(Message):
    """A pre-arrival file was read on a worker thread; the screen fills itself from it."""

    def __init__(self, case: EventCase | None, problem: str) -> None:
        super().__init__()
        self.case = case
        self.problem = problem


class NewcomerScreen(CounterScreen):
    HELP = "転入する世帯を1回だけ入力して住民記録に登録し、転入の受付に進みます。"
    BINDINGS = [
        Binding("escape", "back", "戻る", tooltip="世帯の検索に戻ります"),
        Binding("f4", "load_file", "事前データを読む", tooltip="事前データのファイルを読みます"),
        Binding("f5", "next", "次へ", tooltip="世帯を登録して転入の受付に進みます"),
        Binding("f6", "add_member", "人を追加", tooltip="入力欄を1人分ふやします"),
        Binding("f7", "remove_member", "人を削除", tooltip="いまの世帯員の欄を消します"),
    ]
    DEFAULT_CSS = """
    NewcomerScreen #newcomer-form {
        height: 1fr;
    }
    NewcomerScreen .member {
        height: auto;
        border-top: solid $primary;
    }
    NewcomerScreen .member-title, NewcomerScreen .section {
        text-style: bold;
        padding: 0 1;
    }
    NewcomerScreen .section {
        border-top: solid $primary;
    }
    NewcomerScreen .row, NewcomerScreen .field {
        height: auto;
    }
    NewcomerScreen .one {
        width: 1fr;
    }
    NewcomerScreen .two {
        width: 2fr;
    }
    NewcomerScreen .card-and-nationality {
        width: 22;
        height: auto;
    }
    NewcomerScreen .row > .field, NewcomerScreen .row > .card-and-nationality {
        margin-right: 1;
    }
    NewcomerScreen #date-row > .field {
        max-width: 40;
    }
    NewcomerScreen .field-error {
        display: none;
    }
    NewcomerScreen .label, NewcomerScreen .head-label {
        padding: 0 1;
    }
    NewcomerScreen ChoiceSet {
        padding: 0 1;
    }
    NewcomerScreen ChoiceSet.sex, NewcomerScreen ChoiceSet.card {
        layout: horizontal;
    }
    NewcomerScreen ChoiceSet.relation, NewcomerScreen ChoiceSet.insurance {
        layout: grid;
        grid-size: 3;
        grid-rows: auto;
    }
    NewcomerScreen ChoiceSet.insurance {
        grid-size: 2;
        grid-columns: auto auto;
        grid-gutter: 0 2;
    }
    NewcomerScreen ChoiceSet ChoiceButton {
        width: auto;
    }
    NewcomerScreen ChoiceSet.sex ChoiceButton, NewcomerScreen ChoiceSet.card ChoiceButton {
        margin-right: 2;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        # Kept for the screen's life: going back from the event screen and pressing F5
        # again updates the same household instead of registering a second one.
        self.household_id = str(uuid.uuid4())
        self.next_number = 1
        self.saved_numbers: set[int] = set()
        self.filled = {"new": "", "previous": ""}  # address text the postal code gave
        self.postal_problems = {"new": "", "previous": ""}
        self.busy = False
        self.leaving = False

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        yield Static("新しい世帯の登録（転入）", classes="title")
        with VerticalScroll(id="newcomer-form"):
            yield Static(
                "転出証明書のとおりに入力します。1人目が世帯主、F6 で1人追加、F7 で削除。",
                classes="hint",
            )
            # Member forms sit directly in the scroll: an auto-height container around
            # them is measured short by Textual 8.2 and cuts the rows off.
            yield self._new_member_form(None)
            for which, label in ADDRESS_LABELS.items():
                yield Static(label, classes="section")
                with Horizontal(classes="row"):
                    yield labelled_field(
                        "郵便番号",
                        JapaneseInput(placeholder="例: 683-0823", id=f"{which}-postal"),
                    )
                    yield labelled_field(
                        "住所（町名まで自動で入ります。番地を続けて入力）",
                        JapaneseInput(  # keep the town when focused: staff type on
                            placeholder="例: 鳥取県米子市加茂町二丁目1番地",
                            id=f"{which}-address",
                            select_on_focus=False,
                        ),
                        width="two",
                    )
            yield Static("転入した日", classes="section")
            with Horizontal(classes="row", id="date-row"):
                yield labelled_field(
                    "住み始めた日（西暦または和暦）",
                    DateField(input_id="event-date", placeholder="例: R8.11.20、2026-11-20"),
                )
            yield Static("事前データ（来庁予定の連絡で届いたファイル）", classes="section")
            yield labelled_field(
                "ファイルの場所を入力して F4 または Enter",
                Input(placeholder="例: /home/madoguchi/転入/yonago.json", id="prearrival-path"),
            )
        yield Static("", classes="hint", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DateField).show(self.app.today)
        self._renumber()
        self.query_one(".name", Input).focus()

    # ------------------------------------------------------------------ members

    def _new_member_form(self, member: Member | None, relation: str | None = "head") -> MemberForm:
        form = MemberForm(self.next_number, relation, member)
        self.next_number += 1
        return form

    def _forms(self) -> list[MemberForm]:
        return list(self.query(MemberForm))

    def _renumber(self) -> None:
        for index, form in enumerate(self._forms()):
            form.set_position(index)

    def _current_form(self) -> MemberForm | None:
        node: DOMNode | None = self.focused
        while node is not None and not isinstance(node, MemberForm):
            node = node.parent
        return node

    async def action_add_member(self) -> None:
        form = self._new_member_form(None, None)
        await self.query_one("#newcomer-form").mount(form, after=self._forms()[-1])
        self._renumber()
        form.query_one(".name", Input).focus()
        form.scroll_visible()

    async def action_remove_member(self) -> None:
        form = self._current_form()
        forms = self._forms()
        if form is None:
            self._status("削除する方の欄に移ってから F7 を押してください")
            return
        if len(forms) == 1:
            self._status("世帯員は1人以上必要です")
            return
        if form.number in self.saved_numbers:
            self._status("この方はすでに住民記録に登録しました。削除は住民記録の担当で行います")
            return
        index = forms.index(form)
        await form.remove()
        self._renumber()
        rest = self._forms()
        rest[min(index, len(rest) - 1)].query_one(".name", Input).focus()
        self._status("")

    # ------------------------------------------------------------------ postal codes

    @on(Input.Changed)
    def field_changed(self, event: Input.Changed) -> None:
        show_problem(event.input, "")
        self.leaving = False
        which = (event.input.id or "").removesuffix("-postal")
        if which not in ADDRESS_LABELS:
            return
        self.postal_problems[which] = ""
        try:
            code = normalize_postal_code(event.value)
        except TextFormatError:
            return
        self.look_up_postal_code(which, code)

    @on(RadioSet.Changed)
    def choice_changed(self, event: RadioSet.Changed) -> None:
        show_problem(event.radio_set, "")

    @work(thread=True, exit_on_error=False, group="postal")
    def look_up_postal_code(self, which: str, code: str) -> None:
        from counter.postal import address_for_postal_code

        try:
            text, problem = address_for_postal_code(code), ""
        except TextFormatError as exc:
            text, problem = "", str(exc)
        self.app.call_from_thread(self._postal_looked_up, which, code, text, problem)

    def _postal_looked_up(self, which: str, code: str, text: str, problem: str) -> None:
        postal = self.query_one(f"#{which}-postal", Input)
        if _postal_code_or_none(postal.value) != code:
            return  # staff typed on meanwhile
        if problem:  # the message names the code: 郵便番号 689-0000 は見つかりません
            self.postal_problems[which] = problem
            show_problem(postal, problem)
            return
        address = self.query_one(f"#{which}-address", Input)
        before = self.filled[which]
        if not address.value or (before and address.value.startswith(before)):
            address.value = text + address.value.removeprefix(before)
            address.cursor_position = len(address.value)
            if self.focused is postal:
                address.focus()
        self.filled[which] = text

    @on(Input.Submitted)
    def field_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "prearrival-path":
            self.action_load_file()
        else:
            self.focus_next()

    # ------------------------------------------------------------------ pre-arrival data

    def action_load_file(self) -> None:
        path_input = self.query_one("#prearrival-path", Input)
        text = path_input.value.strip().strip("\"'")
        if not text:
            path_input.focus()
            path_input.scroll_visible()
            self._status("事前データのファイルの場所を入力して、F4 または Enter を押してください")
            return
        if self.busy:
            return
        if self.saved_numbers:
            self._status(
                "登録した世帯には事前データを読み込めません。Esc で戻ってやり直してください"
            )
            return
        self.busy = True
        self._status("事前データを読んでいます")
        self.load_file(Path(text).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="prearrival")
    def load_file(self, path: Path) -> None:
        from counter.interchange import HouseholdFormatError, load_event_case

        try:
            case, problem = load_event_case(path), ""
        except HouseholdFormatError as exc:
            case, problem = None, str(exc)
        self.post_message(PrearrivalLoaded(case, problem))

    async def on_prearrival_loaded(self, message: PrearrivalLoaded) -> None:
        case, problem = message.case, message.problem
        self.busy = False
        path_input = self.query_one("#prearrival-path", Input)
        if case is not None and case.municipality != self.app.profile.code:
            problem = f"municipality: {self.app.profile.name}のデータではありません"
        if case is None or problem:
            show_problem(path_input, f"事前データ: {problem}")
            path_input.focus()
            self._status("事前データを読めませんでした。ファイルを確認してください")
            return
        await self._fill(case)
        note = (
            ""
            if case.event == "move_in"
            else "（転入のデータではないため、転入した日は今日のまま）"
        )
        self._status(
            f"事前データを読みました（{len(case.household.members)}人）{note}。確認して F5"
        )

    async def _fill(self, case: EventCase) -> None:
        form = self.query_one("#newcomer-form")
        await self.query(MemberForm).remove()
        ordered = sorted(case.household.members, key=lambda m: m.relation != "head")
        await form.mount_all(
            (self._new_member_form(m, m.relation) for m in ordered),
            before=self.query_one(".section"),
        )
        self._renumber()
        self._fill_address("new", case.household.address)
        if case.previous_address is not None:
            self._fill_address("previous", case.previous_address)
        if case.event == "move_in":
            self.query_one(DateField).show(case.event_date)
        self.query_one(".name", Input).focus()
        self.query_one("#newcomer-form").scroll_home(animate=False)

    def _fill_address(self, which: str, address: Address) -> None:
        self.query_one(f"#{which}-postal", Input).value = address.postal_code
        self.query_one(f"#{which}-address", Input).value = address.text

    # ------------------------------------------------------------------ next

    def action_next(self) -> None:
        if self.busy:
            return
        for error in self.query(".field-error"):
            error.display = False
        problems: list[Problem] = []  # in the order of the form: the first gets the focus
        date_problems: list[Problem] = []
        event_date = self._event_date(date_problems)
        members = []
        for index, form in enumerate(self._forms()):
            member, found = form.read(f"{self.household_id}-{form.number}", index == 0, event_date)
            members.append(member)
            problems += found
        new_address = self._address("new", problems)
        previous_address = self._address("previous", problems)
        problems += date_problems
        if problems:
            for widget, message in problems:
                show_problem(widget, message)
            first = problems[0][0]
            first.focus()
            first.scroll_visible()
            self._status(
                f"入力に誤りがあります（{len(problems)}件）。赤い説明の項目を直してください"
            )
            return
        assert event_date is not None and new_address and previous_address
        household = Household(
            address=new_address, members=tuple(members), household_id=self.household_id
        )
        self.busy = True
        self._status("住民記録に登録しています")
        self.save_household(household, event_date, previous_address)

    def _event_date(self, problems: list[Problem]) -> date | None:
        date_input = self.query_one("#event-date", Input)
        try:
            event_date = parse_date(date_input.value)
        except DateFormatError as exc:
            problems.append((date_input, f"転入した日: {exc}"))
            return None
        if event_date > self.app.today:
            problems.append((date_input, "転入した日: まだ来ていない日付は入力できません"))
            return None
        return event_date

    def _address(self, which: str, problems: list[Problem]) -> Address | None:
        label = ADDRESS_LABELS[which]
        postal = self.query_one(f"#{which}-postal", Input)
        address = self.query_one(f"#{which}-address", Input)
        code = _postal_code_or_none(postal.value)
        if code is None:
            problems.append((postal, f"{label}の郵便番号: 7桁の数字で入力してください"))
        elif self.postal_problems[which]:
            problems.append((postal, self.postal_problems[which]))
        text = address.value.strip(" \u3000")
        city = self.app.profile.prefecture + self.app.profile.name
        if not text:
            problems.append((address, f"{label}: 入力してください"))
        elif text == self.filled[which]:
            problems.append((address, f"{label}: 番地まで入力してください"))
        elif which == "new" and not text.startswith(city):
            problems.append((address, f"{label}: {city}の住所を入力してください"))
        elif which == "previous" and text.startswith(city):
            problems.append((address, f"{label}: {city}の中での引っ越しは転居の届出です"))
        if code is None or not text:
            return None
        return Address(postal_code=code, text=text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="newcomer-save")
    def save_household(self, household: Household, event_date: date, previous: Address) -> None:
        from screens.logs import log_failure
        from workflows.lookups import register_newcomer

        app = self.app
        try:
            register_newcomer(app.engine, household, municipality=app.profile.code, actor=app.actor)
        except Exception as exc:  # staff see one Japanese line, the log the rest
            log_failure("転入世帯の登録", exc)
            self.app.call_from_thread(self._save_failed)
            return
        self.app.call_from_thread(self._saved, household, event_date, previous)

    def _save_failed(self) -> None:
        self.busy = False
        self._status("登録できませんでした。もう一度 F5 を押すか、管理者に連絡してください")

    def _saved(self, household: Household, event_date: date, previous: Address) -> None:
        self.busy = False
        self.saved_numbers |= {form.number for form in self._forms()}
        self._status("登録しました。転入の受付を続けます")
        self.app.flow.newcomer_registered(self.household_id, event_date, previous)

    # ------------------------------------------------------------------ back

    def action_back(self) -> None:
        """Leaving drops what was typed, so a first Esc only warns (unless it is stored)."""
        typed = any(
            widget.value
            for widget in self.query(
                ".name, .kana, .birth, #new-address, #previous-address"
            ).results(Input)
        )
        if typed and not self.leaving and not self.saved_numbers:
            self.leaving = True
            self._status("入力した内容は消えます。戻るときは、もう一度 Esc を押してください")
            return
        self.app.pop_screen()

    def on_key(self, event: events.Key) -> None:
        if event.key != "escape":
            self.leaving = False

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)


def _postal_code_or_none(text: str) -> str | None:
    try:
        return normalize_postal_code(text)
    except TextFormatError:
        return None
