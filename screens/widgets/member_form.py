"""One member of a newcomer household as staff type it: name, kana, birth date, sex,
relation, health insurance, card and nationality, each with its message line.

Used by the newcomer screen (``screens.newcomer``); ``MemberForm.member`` returns the
member and the problems found, so the screen can show them all at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, RadioSet, Static

from counter.countries import country_code, country_name
from counter.household import HEALTH_INSURANCES, RELATIONS, SEXES, Member
from counter.residence import without_residence
from counter.textnorm import TextFormatError, check_field_text, normalize_kana
from counter.wareki import DateFormatError, format_wareki, parse_date
from screens.widgets.choice_set import ChoiceButton, ChoiceSet
from screens.widgets.japanese_input import JapaneseInput

SEX_KEYS = tuple(SEXES)
# The head is always first; その他 comes last, after every 続柄 the 住民票 writes.
OTHER_RELATIONS = (*(key for key in RELATIONS if key not in ("head", "other")), "other")
# A choice's words where the 住民票's pair (子の妻・子の夫) is too long for its button at 80
# columns; the forms still print the 住民票's own word for the member.
CHOICE_LABELS = {
    "child_spouse": "子の配偶者",
    "fathers_parent": "父方の祖父母",
    "mothers_parent": "母方の祖父母",
    "spouse_parent": "配偶者の父母",
    "spouse_child": "配偶者の子",
    "spouse_unfiled": "未届の妻・夫",
}
INSURANCE_KEYS = tuple(HEALTH_INSURANCES)
CARD_CHOICES = ("なし", "あり")
Problem = tuple[Widget, str]


def labelled_field(label: str, *widgets: Widget, width: str = "one") -> Vertical:
    """A label, the widget and the line where its message appears; ``width`` is the
    field's share of its row ("one" or "two" parts)."""
    return Vertical(
        Static(label, classes="label"),
        *widgets,
        Static("", classes="error field-error"),
        classes=f"field {width}",
    )


def _choices(labels: tuple[str, ...], chosen: int | None, classes: str) -> ChoiceSet:
    buttons = [ChoiceButton(label, value=index == chosen) for index, label in enumerate(labels)]
    return ChoiceSet(*buttons, compact=True, classes=classes)


def show_problem(widget: Widget, message: str) -> None:
    """Write ``message`` (or clear it with "") on the line under ``widget``."""
    field = next(a for a in widget.ancestors_with_self if a.has_class("field"))
    error = field.query_one(".field-error", Static)
    error.update(message)
    error.display = bool(message)


class MemberForm(Vertical):
    """One member: what the register needs, each field with its own message line."""

    def __init__(self, number: int, relation: str | None, member: Member | None = None) -> None:
        """``relation`` is the loaded member's, or None for a person staff add: their 続柄
        is chosen, never guessed (a default that changes from person to person was
        picked wrongly by a new user)."""
        super().__init__(classes="member")
        self.number = number  # the member id suffix, stable while rows come and go
        self.relation = relation
        self.loaded = member  # facts this form does not show are kept from a loaded file

    def compose(self) -> ComposeResult:
        m = self.loaded
        yield Static("", classes="member-title")
        with Horizontal(classes="row"):
            yield labelled_field(
                "氏名",
                JapaneseInput(m.name if m else "", placeholder="例: 米子　太郎", classes="name"),
            )
            yield labelled_field(
                "フリガナ",
                JapaneseInput(
                    m.kana if m else "", placeholder="例: よなご　たろう", classes="kana"
                ),
            )
            birth = format_wareki(m.birth_date, weekday=False) if m else ""
            yield labelled_field(
                "生年月日",
                JapaneseInput(birth, placeholder="例: S50.1.1", classes="birth"),
            )
        with Horizontal(classes="row"):
            sex = SEX_KEYS.index(m.sex) if m else None
            yield labelled_field("性別", _choices(tuple(SEXES.values()), sex, "sex"))
            yield labelled_field(
                "続柄",
                Static(RELATIONS["head"], classes="head-label"),
                _choices(
                    tuple(CHOICE_LABELS.get(key, RELATIONS[key]) for key in OTHER_RELATIONS),
                    OTHER_RELATIONS.index(self.relation)
                    if self.relation in OTHER_RELATIONS
                    else None,
                    "relation",
                ),
                width="two",
            )
        with Horizontal(classes="row"):
            insurance = INSURANCE_KEYS.index(m.health_insurance) if m else 0
            yield labelled_field(
                "健康保険（いま加入）",
                _choices(tuple(HEALTH_INSURANCES.values()), insurance, "insurance"),
            )
            with Vertical(classes="card-and-nationality"):
                yield labelled_field(
                    "マイナンバーカード",
                    _choices(CARD_CHOICES, int(m.mynumber_card) if m else 0, "card"),
                )
                yield labelled_field(
                    "国籍・地域",
                    Input(country_name(m.nationality) if m else "日本", classes="nationality"),
                )

    def set_position(self, index: int) -> None:
        """The first member is the head: no relation to choose, and the title says so."""
        head = index == 0
        title = f"{index + 1}人目（世帯主）" if head else f"{index + 1}人目"
        self.query_one(".member-title", Static).update(f"{title}　F7 でこの方を削除")
        self.query_one(".head-label").display = head
        self.query_one(".relation", RadioSet).display = not head

    def read(
        self, member_id: str, head: bool, event_date: date | None
    ) -> tuple[Member, list[Problem]]:
        """The member as typed, and the problems found (empty when the member is usable).

        Living here since ``event_date`` (the 転入); a 本籍 or 旧氏 of a loaded file is
        kept, the 本籍 only for a Japanese national (and a foreign resident's 在留資格 and
        在留カード only for a foreign one)."""
        problems: list[Problem] = []
        name_input = self.query_one(".name", Input)
        # Only half-width spaces around the name go; U+3000 and every character stay.
        name = name_input.value.strip(" ")
        if not name.strip("\u3000"):
            problems.append((name_input, "氏名: 入力してください"))
        else:
            try:
                check_field_text(name, "name")
            except TextFormatError as exc:
                problems.append((name_input, f"氏名: {exc}"))
        kana_input = self.query_one(".kana", Input)
        kana = ""
        try:
            kana = check_field_text(normalize_kana(kana_input.value), "kana")
            if not kana:
                problems.append((kana_input, "フリガナ: 入力してください"))
        except TextFormatError as exc:
            problems.append((kana_input, f"フリガナ: {exc}"))
        birth_input = self.query_one(".birth", Input)
        birth = date.min
        try:
            birth = parse_date(birth_input.value)
            if event_date is not None and birth > event_date:
                problems.append((birth_input, "生年月日: 転入した日より後の日付です"))
        except DateFormatError as exc:
            problems.append((birth_input, f"生年月日: {exc}"))
        sex = self.query_one(".sex", RadioSet)
        if sex.pressed_index < 0:
            problems.append((sex, "性別: 選んでください（左右キーで選びます）"))
        nationality_input = self.query_one(".nationality", Input)
        nationality = "JP"
        try:
            nationality = country_code(nationality_input.value)
        except TextFormatError as exc:
            problems.append((nationality_input, str(exc)))
        relations = self.query_one(".relation", RadioSet)
        if not head and relations.pressed_index < 0:
            problems.append((relations, "続柄: 選んでください（左右キーで選びます）"))
        relation = "head" if head else OTHER_RELATIONS[self._chosen(".relation")]
        honseki = self.loaded.honseki if self.loaded and nationality == "JP" else None
        member = replace(
            self.loaded or Member(member_id, name, kana, birth, "male", relation),
            id=member_id,
            name=name,
            kana=kana,
            birth_date=birth,
            sex=SEX_KEYS[max(sex.pressed_index, 0)],
            relation=relation,
            health_insurance=INSURANCE_KEYS[self._chosen(".insurance")],
            mynumber_card=self._chosen(".card") == 1,
            nationality=nationality,
            subject=True,
            resident_since=event_date,
            honseki=honseki,
        )
        if nationality == "JP":
            member = without_residence(member)
        return member, problems

    def _chosen(self, selector: str) -> int:
        return max(self.query_one(selector, RadioSet).pressed_index, 0)
