"""Pick the event for the chosen household and type only what the register lacks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import (
    Footer,
    Input,
    RadioSet,
    SelectionList,
    Static,
)

from counter.events import (
    EVENTS,
    EVERYONE_BY_DEFAULT,
    SUBJECT_LABELS,
    born_after_problem,
    event_date_problem,
    event_label,
    subjects_problem,
)
from counter.household import (
    HEALTH_INSURANCES,
    Address,
    EventCase,
    Household,
    Member,
    relation_label,
)
from counter.textnorm import TextFormatError, check_field_text, normalize_kana
from counter.wareki import DateFormatError, age_on, format_wareki, parse_date
from screens.base import VisitStep
from screens.visit_session import make_draft
from screens.widgets.check_list import CheckList
from screens.widgets.choice_set import ChoiceButton, ChoiceSet
from screens.widgets.date_field import DateField
from screens.widgets.fitted_table import Column, FittedTable
from screens.widgets.header import CounterHeader
from screens.widgets.japanese_input import JapaneseInput

# Short enough for a 4-column grid at 80 columns.
SHORT_LABELS = {
    "move_in_from_abroad": "国外から転入",
    "employee_insurance_gain": "社会保険加入",
    "employee_insurance_loss": "社会保険喪失",
}
EVENT_CHOICES = tuple((event, SHORT_LABELS.get(event, label)) for event, label in EVENTS.items())


class EventScreen(VisitStep):
    HELP = "届出の種類と日を選び、住民登録にない情報だけを入力する画面です。"
    BINDINGS = [
        Binding("escape", "back", "戻る", tooltip="前の画面に戻ります"),
        Binding("f5", "next", "次へ", tooltip="質問に進みます"),
        Binding("f6", "certificates", "証明書", tooltip="この世帯の証明書の請求を受けます"),
    ]

    def __init__(
        self,
        household_id: str,
        *,
        event: str | None = None,
        event_date: date | None = None,
        previous_address: Address | None = None,
        earlier: tuple[EventCase, ...] = (),
        typed: dict[str, str] | None = None,
    ) -> None:
        """``event`` and the rest come preset for a household just registered (転入).
        ``earlier`` are the events this visit already planned when staff add another (F3
        on the plan), with what was ``typed`` for their forms."""
        super().__init__()
        self.household_id = household_id
        self.household: Household | None = None
        self.preset_event = event
        self.preset_event_date = event_date
        self.previous_address = previous_address
        self.earlier = earlier
        self.typed = typed or {}

    def compose(self) -> ComposeResult:
        yield CounterHeader()
        if self.earlier:
            planned = "・".join(event_label(c.event) for c in self.earlier)
            yield Static(f"届出を追加する（この受付の届出: {planned}）", classes="title")
        else:
            yield Static("届出を選ぶ", classes="title")
        yield FittedTable(
            Column("続柄", "relation"),
            Column("氏名", "name", flexible=True, weight=1.5),
            Column("カナ", "kana", flexible=True, weight=1.5),
            Column("生年月日", "birth"),
            Column("年齢", "age"),
            Column("健康保険", "insurance", flexible=True),
            id="members",
            cursor_type="none",
            zebra_stripes=True,
        )
        with VerticalScroll(id="event-form"):
            yield Static("届出の種類（矢印キーで選び、Enter で日付へ）", classes="field-label")
            with ChoiceSet(id="event"):
                for index, (_, label) in enumerate(EVENT_CHOICES):
                    yield ChoiceButton(label, value=index == 0)
            yield Static(
                "出来事の日（生まれた・転入した・亡くなった日。届出日ではありません）",
                classes="field-label",
            )
            yield DateField(
                input_id="event-date", placeholder="例: R8.11.20、令和8年11月20日、2026-11-20"
            )
            with Vertical(id="birth-fields"):
                yield Static("生まれた子の氏名（戸籍のとおり）", classes="field-label")
                # The surname is filled in: the cursor waits after it, nothing is selected.
                yield JapaneseInput(
                    placeholder="例: 米子　陽翔", id="child-name", select_on_focus=False
                )
                yield Static("生まれた子のフリガナ", classes="field-label")
                yield JapaneseInput(
                    placeholder="例: ヨナゴ　ハルト", id="child-kana", select_on_focus=False
                )
                yield Static("性別", classes="field-label")
                with ChoiceSet(id="child-sex"):
                    yield ChoiceButton("男", value=True)
                    yield ChoiceButton("女")
            with Vertical(id="move-fields"):
                yield Static("", classes="field-label", id="subjects-label")
                yield CheckList(id="movers")
            yield Static("", classes="error", id="error")
        yield Footer()

    def on_mount(self) -> None:
        event_date = self.preset_event_date or self.app.today
        self.query_one(DateField).show(event_date)
        self._show_fields("birth")
        if self.preset_event is not None:
            index = [event for event, _ in EVENT_CHOICES].index(self.preset_event)
            self.query_one("#event", RadioSet).query(ChoiceButton)[index].value = True
        if self.earlier:
            # The household as the visit left it (with a child born earlier in the visit).
            members = tuple(_with_subject(m, False) for m in self.earlier[-1].household.members)
            self._show_household(replace(self.earlier[-1].household, members=members))
            self.app.visit.keep(self.visit_draft())
        else:
            self.load_household()

    def action_certificates(self) -> None:
        """A certificate request instead of (or after) an event: Esc comes back here."""
        if self.household is None:
            return
        self.app.flow.certificates(
            self.household_id,
            household=self.household,
            earlier=self.earlier,
            typed=self.typed,
            first_step=False,
        )

    def action_back(self) -> None:
        """Back to the plan of the events already entered, or, for the visit's first
        event, to the search after asking what becomes of the visit's number."""
        current = self.app.visit.current
        if self.earlier or current is None:
            self.app.pop_screen()
            return
        self.app.flow.leave(current.reception_number, self.visit_draft())

    @work(thread=True, exclusive=True, exit_on_error=False, group="household")
    def load_household(self) -> None:
        from workflows.lookups import open_household

        app = self.app
        household = open_household(
            app.engine, self.household_id, app.actor, visit_id=lambda: app.visit.ensure_started().id
        )
        self.app.call_from_thread(self._show_household, household)
        self.app.call_from_thread(lambda: self.app.visit.keep(self.visit_draft()))

    def visit_draft(self) -> dict:
        head = self.household.head if self.household else None
        if self.earlier:
            head = self.earlier[0].household.head
        return make_draft(
            "event",
            household_id=self.household_id,
            head_name=head.name if head else "",
            typed=self.typed,
            earlier=self.earlier,
        )

    def _show_household(self, household: Household) -> None:
        self.household = household
        self.query_one("#members", FittedTable).set_rows(
            (
                (
                    relation_label(member, household),
                    member.name,
                    member.kana,
                    format_wareki(member.birth_date, weekday=False),
                    f"{age_on(member.birth_date, self.app.today)}歳",
                    HEALTH_INSURANCES[member.health_insurance],
                ),
                member.id,
            )
            for member in household.members
        )
        self._fill_subjects()
        self._prefill_child(household)
        self.query_one("#event", RadioSet).focus()

    def _prefill_child(self, household: Household) -> None:
        """A newborn takes the household's surname in most births: the head's surname and
        its kana are filled in, and staff type the given name after them (or change it)."""
        head = household.head
        for selector, full in (
            ("#child-name", head and head.name),
            ("#child-kana", head and head.kana),
        ):
            field = self.query_one(selector, Input)
            surname, space, _ = (full or "").partition("\u3000")
            if space and not field.value:
                field.value = surname + space

    def _fill_subjects(self) -> None:
        if self.household is None:
            return
        everyone = self.event in EVERYONE_BY_DEFAULT
        movers = self.query_one("#movers", SelectionList)
        movers.clear_options()
        for member in self.household.members:
            label = f"{member.name}（{relation_label(member, self.household)}）"
            movers.add_option((label, member.id, everyone))
        movers.highlighted = 0  # so Space works at once, without a cursor key first

    @property
    def event(self) -> str:
        return EVENT_CHOICES[max(self.query_one("#event", RadioSet).pressed_index, 0)][0]

    @on(RadioSet.Changed, "#event")
    def event_changed(self) -> None:
        self._show_fields(self.event)

    def _show_fields(self, event: str) -> None:
        self.query_one("#birth-fields").display = event == "birth"
        self.query_one("#move-fields").display = event != "birth"
        if event != "birth":
            self.query_one("#subjects-label", Static).update(
                f"{SUBJECT_LABELS[event]}（スペースで選択・解除）"
            )
            self._fill_subjects()

    def _error(self, message: str, focus: str) -> None:
        self.query_one("#error", Static).update(message)
        self.query_one(focus).focus()

    def action_next(self) -> None:
        if self.household is None:
            return
        try:
            event_date = parse_date(self.query_one("#event-date", Input).value)
        except DateFormatError as exc:
            self._error(f"出来事の日: {exc}", "#event-date")
            return
        if reason := event_date_problem(self.event, event_date, self.app.today):
            self._error(f"出来事の日: {reason}", "#event-date")
            return
        members = self._case_members(event_date)
        if members is None:
            return
        born = ((m.name, m.birth_date) for m in members if m.subject)
        if reason := born_after_problem(self.event, event_date, born):
            self._error(f"出来事の日: {reason}", "#event-date")
            return
        twice = self._entered_before(members)
        if twice:
            self._error(
                f"{twice}さんの{event_label(self.event)}は、この受付ですでに入力しています",
                "#movers",
            )
            return
        case = EventCase(
            municipality=self.app.profile.code,
            event=self.event,
            event_date=event_date,
            household=Household(
                address=self.household.address,
                members=members,
                household_id=self.household.household_id,
            ),
            previous_address=self.previous_address if self.event == self.preset_event else None,
        )
        self.query_one("#error", Static).update("")
        self.app.flow.event_entered(case, self.earlier, self.typed)

    def _entered_before(self, members: tuple[Member, ...]) -> str | None:
        """The name of someone this event was already entered for in this visit."""
        chosen = {m.id for m in members if m.subject}
        for case in self.earlier:
            if case.event == self.event:
                again = [m for m in case.subjects if m.id in chosen]
                if again:
                    return again[0].name
        return None

    def _case_members(self, event_date: date) -> tuple[Member, ...] | None:
        assert self.household is not None
        members = self.household.members
        if self.event != "birth":
            chosen = set(self.query_one("#movers", SelectionList).selected)
            if problem := subjects_problem(self.event, len(chosen)):
                self._error(problem, "#movers")
                return None
            return tuple(_with_subject(m, m.id in chosen) for m in members)
        name = self.query_one("#child-name", Input).value.strip(" ")
        if not name.strip("\u3000"):
            self._error("生まれた子の氏名: 入力してください", "#child-name")
            return None
        if name.endswith("\u3000"):  # the surname filled in, and no given name after it
            self._error("生まれた子の氏名: 名を入力してください", "#child-name")
            return None
        try:
            check_field_text(name, "name")
        except TextFormatError as exc:
            self._error(f"生まれた子の氏名: {exc}", "#child-name")
            return None
        try:
            kana = check_field_text(
                normalize_kana(self.query_one("#child-kana", Input).value), "kana"
            )
        except TextFormatError as exc:
            self._error(f"生まれた子のフリガナ: {exc}", "#child-kana")
            return None
        if not kana or self.query_one("#child-kana", Input).value.endswith("\u3000"):
            self._error("生まれた子のフリガナ: 名のフリガナまで入力してください", "#child-kana")
            return None
        sex = ("male", "female")[max(self.query_one("#child-sex", RadioSet).pressed_index, 0)]
        child = Member(
            id=f"{self.household.household_id}-new{len(members) + 1}",
            name=name,
            kana=kana,
            birth_date=event_date,
            sex=sex,
            relation="child",
            health_insurance="none",
            subject=True,
            resident_since=event_date,  # born here: living here since birth
        )
        return (*(_with_subject(m, False) for m in members), child)


def _with_subject(member: Member, subject: bool) -> Member:
    return replace(member, subject=subject)
