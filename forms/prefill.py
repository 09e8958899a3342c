"""Pre-fill the visit's forms so the resident only checks and signs.

Every value the register, the event or an answer knows is filled in; a value only staff
can know is typed once per visit (one datum key, reused by every form that needs it); a
value nobody knows stays blank, marked 「窓口で記入」 — never guessed.

The individual number is typed by staff like such a value, once per person, but it is
kept apart from the other typed values (never in a draft) and a filled form holds it
masked (``counter.mynumber.mask``): the preview and the kept PDF show the last four
digits. Only ``with_numbers`` puts it in full, for the copy sent to the printer.
Pure: no PDF library here.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Any

from counter.catalogue import CATALOGUE_DIR, read_catalogue
from counter.child_allowance import (
    CHILD,
    claimant,
    claimant_candidates,
    older_siblings,
    recipient,
    relation_to,
)
from counter.countries import country_name
from counter.events import event_label
from counter.household import (
    ANSWERS,
    HEALTH_INSURANCES,
    SEXES,
    EventCase,
    Member,
    relation_label,
)
from counter.mynumber import mask
from counter.mynumber import normalize as normalize_mynumber
from counter.plan import Plan, PlannedProcedure
from counter.profile import MunicipalityProfile
from counter.textnorm import (
    TextFormatError,
    format_postal_code,
    normalize_kana,
    normalize_number,
    normalize_phone,
)
from counter.wareki import age_on, format_wareki
from forms.registry import (
    COUNTER,
    DEFINITIONS,
    FieldDef,
    FormDefinition,
    Yoshiki,
    definition_for,
    origin_of,
)

PREFILLED, TYPED, BLANK = "prefilled", "typed", "blank"
RESIDENT = "resident"  # a box the resident writes in their own hand
VISIT_STATUSES = ("required", "check")
# The key of an individual number is ``mynumber#<member id>``; a form's claimant who has
# no row of their own (児童手当: 父母のうち所得の高い方) is ``mynumber#claimant``. It is no
# datum key: the number never goes with the other typed values.
MYNUMBER_PREFIX = "mynumber#"
CLAIMANT = "claimant"


def mynumber_key(person: str) -> str:
    """The key of ``person``'s individual number (a member id, or ``CLAIMANT``)."""
    return MYNUMBER_PREFIX + person


def mynumber_person(key: str) -> str:
    return key.removeprefix(MYNUMBER_PREFIX)


@cache
def form_texts() -> dict[str, Any]:
    return tomllib.loads((DEFINITIONS / "form_texts.toml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class VisitInfo:
    """What the counter knows about this visit itself."""

    reception_number: int
    office_date: date
    staff_name: str


@dataclass(frozen=True)
class Context:
    case: EventCase
    plan: Plan
    profile: MunicipalityProfile
    visit: VisitInfo
    procedure: PlannedProcedure | None
    typed: Mapping[str, str] = dataclasses.field(default_factory=dict)  # staff typed, by datum


def _parent(context: Context, sex: str, attribute: str) -> Any:
    """Head and spouse are the parents of a child born into the household (Member.is_parent)."""
    return getattr(_parent_member(context, sex), attribute, None)


MEMBER: dict[str, Callable[[Member, Context], Any]] = {
    "name": lambda m, c: m.name,
    "kana": lambda m, c: m.kana,
    "birth_date": lambda m, c: m.birth_date,
    "age": lambda m, c: form_texts()["age"].format(age=age_on(m.birth_date, c.case.event_date)),
    "sex": lambda m, c: SEXES.get(m.sex),
    "relation": lambda m, c: relation_label(m, c.case.household),
    "health_insurance": lambda m, c: HEALTH_INSURANCES.get(m.health_insurance),
    "nationality": lambda m, c: country_name(m.nationality),
    "honseki": lambda m, c: _national(m, m.honseki.text if m.honseki else None),
    "former_surname": lambda m, c: m.former_surname or None,
    "mynumber_card": lambda m, c: m.mynumber_card,
    "seal_registered": lambda m, c: m.seal_registered,
    "care_certified": lambda m, c: m.care_certified,
    "disability_certificate": lambda m, c: m.disability_certificate,
    "child_allowance_recipient": lambda m, c: m.child_allowance_recipient,
    # A foreign resident's facts (住民基本台帳法30条の45); 「該当なし」 for a Japanese
    # national, who has none (never left for the counter to fill).
    "residence_status": lambda m, c: _foreign(m, m.residence_status),
    "residence_period": lambda m, c: _foreign(m, m.residence_period),
    "residence_expiry": lambda m, c: _foreign(m, m.residence_expiry),
    "residence_card_number": lambda m, c: _foreign(m, m.residence_card_number),
    "koseki_head": lambda m, c: _national(m, None),
}
CONTEXT: dict[str, dict[str, Callable[[Context], Any]]] = {
    "household": {
        "address": lambda c: c.case.household.address.text,
        "postal_code": lambda c: c.case.household.address.postal_code,
        "head_name": lambda c: c.case.household.head.name if c.case.household.head else None,
        "head_kana": lambda c: c.case.household.head.kana if c.case.household.head else None,
        "father_name": lambda c: _parent(c, "male", "name"),
        "father_birth_date": lambda c: _parent(c, "male", "birth_date"),
        "mother_name": lambda c: _parent(c, "female", "name"),
        "mother_birth_date": lambda c: _parent(c, "female", "birth_date"),
        "father_age": lambda c: _parent_age(c, "male"),
        "mother_age": lambda c: _parent_age(c, "female"),
        "parents_honseki": lambda c: _parents_honseki(c),
    },
    "event": {
        "label": lambda c: event_label(c.case.event),
        "date": lambda c: c.case.event_date,
        "previous_address": lambda c: c.case.previous_address and c.case.previous_address.text,
        "previous_postal_code": lambda c: (
            c.case.previous_address and c.case.previous_address.postal_code
        ),
    },
    "visit": {
        "reception_number": lambda c: str(c.visit.reception_number),
        "date": lambda c: c.visit.office_date,
        "staff": lambda c: c.visit.staff_name,
    },
    "profile": {
        "name": lambda c: c.profile.name,
        "prefecture": lambda c: c.profile.prefecture,
        "office": lambda c: c.profile.office,
        "phone": lambda c: c.profile.phone,
        "addressee": lambda c: form_texts()["addressee"].format(city=c.profile.name),
        "school_board": lambda c: form_texts()["school_board"].format(city=c.profile.name),
    },
    "procedure": {
        "name": lambda c: c.procedure and c.procedure.name,
        "fee": lambda c: c.procedure and c.procedure.fee,
        "benefit": lambda c: c.procedure and c.procedure.benefit,
        "deadline": lambda c: c.procedure and c.procedure.deadline,
    },
}
DATE_SOURCES = {
    "member.birth_date",
    "household.father_birth_date",
    "household.mother_birth_date",
    "event.date",
    "visit.date",
    "procedure.deadline",
    "member.residence_expiry",
}


@cache
def question_ids() -> frozenset[str]:
    return frozenset(read_catalogue(CATALOGUE_DIR)[0].questions)


def source_problems(definition: FormDefinition) -> list[str]:
    """Sources that name nothing this module can fill, and dates without ``wareki``."""
    problems = []
    for field in definition.fields:
        kind, attribute = field.kind, field.attribute
        known = (
            kind == "staff"
            or (kind == "member" and attribute in MEMBER)
            or (kind == "answer" and attribute in question_ids())
            or attribute in CONTEXT.get(kind, {})
        )
        where = f"{definition.path.name}: 項目「{field.key}」"
        if not known:
            problems.append(f"{where}: source「{field.source}」は存在しません")
        if (field.source in DATE_SOURCES) != (field.format == "wareki"):
            problems.append(f'{where}: 日付には format = "wareki"、日付以外には付けません')
    return problems


@dataclass(frozen=True)
class FilledField:
    key: str
    label: str
    value: str
    source: str
    status: str
    note: str = ""
    datum_key: str | None = None
    format: str | None = None
    number_key: str | None = None  # an individual number's field: whose (``mynumber_key``)
    confirm: bool = False  # the resident checks this value before signing
    person: str = ""  # an individual number's field: whose, as staff are asked for it

    @property
    def mynumber(self) -> bool:
        return self.number_key is not None

    @property
    def origin(self) -> str:
        """Where this value came from (``forms.registry.ORIGINS``): as the definition says,
        but typed at the counter when staff typed it (a register value the register lacked)."""
        if self.status == TYPED:
            return COUNTER
        return origin_of(self.source, resident=self.status == RESIDENT)

    @property
    def shown(self) -> str:
        """What the paper shows: the value, or the mark for the counter (or the resident)
        to write it."""
        if self.status == RESIDENT:
            return form_texts()["resident_mark"]
        return self.value if self.status != BLANK else form_texts()["blank_mark"]


@dataclass(frozen=True)
class FilledRow:
    member_id: str
    member_name: str
    fields: tuple[FilledField, ...]


@dataclass(frozen=True)
class FilledSection:
    key: str
    title: str
    fields: tuple[FilledField, ...] = ()
    rows: tuple[FilledRow, ...] = ()
    per_member: bool = False


@dataclass(frozen=True)
class FilledForm:
    name: str
    title: str
    sections: tuple[FilledSection, ...]
    declaration: str
    signature: str
    note: str
    reception_number: int
    office_date: str
    city: str
    demo: bool
    late: str = ""  # 届出期間経過, for the department that receives the form
    yoshiki: Yoshiki | None = None  # the 様式 it follows, in its order

    @property
    def draft(self) -> bool:
        """A 戸籍届書: printed as a copying aid for the 法定様式, never as the form."""
        return self.yoshiki is not None and self.yoshiki.draft

    @property
    def fields(self) -> tuple[FilledField, ...]:
        found: list[FilledField] = []
        for section in self.sections:
            found += section.fields
            for row in section.rows:
                found += row.fields
        return tuple(found)

    def _count(self, status: str) -> int:
        return sum(1 for f in self.fields if f.status == status)

    @property
    def prefilled_count(self) -> int:
        return self._count(PREFILLED)

    @property
    def typed_count(self) -> int:
        return self._count(TYPED)

    @property
    def blank_count(self) -> int:
        return self._count(BLANK)

    @property
    def resident_count(self) -> int:
        return self._count(RESIDENT)

    def field(self, key: str, member_id: str | None = None) -> FilledField:
        """One field by key (and member for per-member rows): what tests and screens read."""
        for section in self.sections:
            candidates = (
                [f for r in section.rows if r.member_id == member_id for f in r.fields]
                if member_id
                else list(section.fields)
            )
            for candidate in candidates:
                if candidate.key == key:
                    return candidate
        raise KeyError(key)


@dataclass(frozen=True)
class StaffInput:
    """One datum staff types once for the whole visit."""

    key: str
    label: str
    note: str
    value: str
    forms: tuple[str, ...]
    format: str | None = None
    mynumber: bool = False

    def normalize(self, text: str) -> str:
        """The value as the forms print it; raises TextFormatError with a message for staff.

        Blank stays blank (the paper then says 「窓口で記入」). Free text is kept exactly,
        U+3000 included, apart from the spaces around it; an individual number must pass
        its check digit.
        """
        text = text.strip(" \t\r\n")
        if not text:
            return ""
        check = normalize_mynumber if self.mynumber else TYPED_CHECKS.get(self.format or "")
        return check(text) if check else text


TYPED_CHECKS: dict[str, Callable[[str], str]] = {
    "phone": normalize_phone,
    "number": normalize_number,
}


def check_typed(
    inputs: list[StaffInput], typed: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Normalise what staff typed: (values by datum key, error message by datum key)."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for item in inputs:
        try:
            values[item.key] = item.normalize(typed.get(item.key, ""))
        except TextFormatError as error:
            errors[item.key] = str(error)
    return values, errors


def _display(field: FieldDef, raw: Any) -> str | None:
    """The printed text of a known value; None when nobody knows it."""
    if raw is None or raw == "":
        return None
    texts = form_texts()
    if isinstance(raw, bool):
        return texts["yes"] if raw else texts["no"]
    if isinstance(raw, date):
        return format_wareki(raw)
    if field.format == "yen":
        return texts["yen"].format(amount=f"{int(raw):,}")
    if field.format == "postal":
        try:
            return texts["postal"].format(code=format_postal_code(str(raw)))
        except TextFormatError:
            return str(raw)
    if field.format == "kana":
        try:
            return normalize_kana(str(raw))
        except TextFormatError:
            return str(raw)
    return str(raw)


def _raw(field: FieldDef, context: Context, member: Member | None) -> Any:
    kind, attribute = field.kind, field.attribute
    if kind == "staff":
        return None
    if kind == "member":
        return MEMBER[attribute](member, context) if member else None
    if kind == "answer":
        return ANSWERS.get(context.case.answer(attribute))
    return CONTEXT[kind][attribute](context)


def _answer_unknown(field: FieldDef, context: Context) -> bool:
    return field.kind == "answer" and context.case.answer(field.attribute) == "unknown"


def _fill(
    field: FieldDef,
    context: Context,
    typed: Mapping[str, str],
    member: Member | None,
    numbers: Mapping[str, str],
    given: Mapping[str, str],
) -> FilledField:
    datum_key = None
    if field.datum:
        datum_key = f"{field.datum}#{member.id}" if member else field.datum
    base: dict[str, Any] = dict(
        key=field.key,
        label=field.label,
        source=field.source,
        datum_key=datum_key,
        format=field.format,
        confirm=field.confirm,
    )
    if field.resident:
        return FilledField(**base, value="", status=RESIDENT, note=field.note)
    if datum_key and given.get(datum_key):  # from the request itself, not typed by staff
        return FilledField(**base, value=given[datum_key], status=PREFILLED, note=field.note)
    if field.mynumber:
        whose, person = number_person(field, context, member)
        key = mynumber_key(whose)
        base.update(number_key=key, person=person)
        number = numbers.get(key)
        if number:
            return FilledField(**base, value=mask(number), status=TYPED, note=field.note)
        note = field.note or form_texts()["mynumber_note"]
        return FilledField(**base, value="", status=BLANK, note=note)
    value = (
        None if _answer_unknown(field, context) else _display(field, _raw(field, context, member))
    )
    if value is not None:
        return FilledField(**base, value=value, status=PREFILLED, note=field.note)
    typed_value = (typed.get(datum_key) or "").strip(" \t\r\n") if datum_key else ""
    if typed_value:
        return FilledField(**base, value=typed_value, status=TYPED, note=field.note)
    return FilledField(**base, value="", status=BLANK, note=field.note)


def prefill_form(
    definition: FormDefinition,
    case: EventCase,
    plan: Plan,
    profile: MunicipalityProfile,
    visit: VisitInfo,
    typed: Mapping[str, str] | None = None,
    *,
    member_ids: tuple[str, ...] = (),
    procedure: PlannedProcedure | None = None,
    numbers: Mapping[str, str] | None = None,
    given: Mapping[str, str] | None = None,
) -> FilledForm:
    """One form filled from what the visit knows; ``member_ids`` are its per-member rows,
    ``numbers`` the individual numbers staff typed (checked, by ``mynumber_key``), masked.
    ``given`` are datums the visit already knows, by datum key (a certificate request's
    kind, copies and requester), or for this form alone by 「<form name>/<datum key>」:
    filled as data, before any source or typed value."""
    typed = typed or {}
    numbers = numbers or {}
    given = form_given(given or {}, definition.name)
    context = Context(case, plan, profile, visit, procedure, typed)
    members = [case.household.member(member_id) for member_id in member_ids]
    sections = []
    for section in definition.sections:
        fields = definition.fields_of(section.key, case.event)
        if section.per_member:
            rows = tuple(
                FilledRow(
                    m.id, m.name, tuple(_fill(f, context, typed, m, numbers, given) for f in fields)
                )
                for m in members
            )
            sections.append(FilledSection(section.key, section.title, rows=rows, per_member=True))
        else:
            filled = tuple(_fill(f, context, typed, None, numbers, given) for f in fields)
            sections.append(FilledSection(section.key, section.title, fields=filled))
    return FilledForm(
        name=definition.name,
        title=definition.title,
        sections=tuple(sections),
        declaration=definition.declaration,
        signature=definition.signature,
        note=definition.note,
        reception_number=visit.reception_number,
        office_date=format_wareki(visit.office_date),
        city=profile.name,
        demo=profile.payment_demo,
        late=_late_line(procedure),
        yoshiki=definition.yoshiki,
    )


def _late_line(procedure: PlannedProcedure | None) -> str:
    """「【届出期間経過】期限 … を過ぎて…」 when the form's 届出 is filed after its period."""
    if procedure is None or procedure.late is None or procedure.deadline is None:
        return ""
    late = procedure.late
    deadline = format_wareki(procedure.deadline)
    return form_texts()["late"].format(label=late.label, deadline=deadline, basis=late.basis)


FORM_SCOPE = "/"  # a given datum for one form only: 「<form name>/<datum key>」


def form_given(given: Mapping[str, str], form: str) -> dict[str, str]:
    """The given datums one form takes: those for every form, then its own (a request's
    requester stands differently on each form: 本人 on one, for the household on another)."""
    prefix = form + FORM_SCOPE
    shared = {k: v for k, v in given.items() if FORM_SCOPE not in k}
    return shared | {k.removeprefix(prefix): v for k, v in given.items() if k.startswith(prefix)}


def forms_for_visit(
    plan: Plan,
    case: EventCase,
    profile: MunicipalityProfile,
    visit: VisitInfo,
    typed: Mapping[str, str] | None = None,
    *,
    more_cases: Sequence[EventCase] = (),
    numbers: Mapping[str, str] | None = None,
    given: Mapping[int, Mapping[str, str]] | None = None,
) -> list[FilledForm]:
    """The visit's forms: one per form name of its required or to-check procedures, in
    visiting order, with the members of those procedures as rows.

    A visit of several events (``more_cases`` after ``case``) gets a form per event that
    needs it: each is filled from its own event (its date, its reason, its people).
    ``given`` holds, by the index of the event (0 = ``case``), datums its forms take from
    the visit itself rather than from staff (a certificate request's details)."""
    given = given or {}
    cases = (case, *more_cases)
    by_form: dict[tuple[str, int], list[PlannedProcedure]] = {}
    for procedure in sorted(plan.procedures, key=lambda p: p.order):
        if procedure.status in VISIT_STATUSES:
            for name in procedure.forms:
                by_form.setdefault((name, procedure.case), []).append(procedure)
    forms = []
    for (name, index), procedures in by_form.items():
        wanted = {member_id for p in procedures for member_id in p.members}
        order = [m.id for m in cases[index].household.members]
        forms.append(
            prefill_form(
                definition_for(name, visit.office_date),
                cases[index],
                plan,
                profile,
                visit,
                typed,
                member_ids=tuple(m for m in order if m in wanted),
                procedure=procedures[0],
                numbers=numbers,
                given=given.get(index),
            )
        )
    return forms


def staff_inputs(forms: list[FilledForm]) -> list[StaffInput]:
    """What staff must type for the visit: each datum once, however many forms use it."""
    found: dict[str, StaffInput] = {}
    for form in forms:
        for section in form.sections:
            labelled = [(f, "") for f in section.fields] + [
                (f, row.member_name) for row in section.rows for f in row.fields
            ]
            for field, member_name in labelled:
                key = field.datum_key or field.number_key
                if key is None or field.status == PREFILLED:
                    continue
                known = found.get(key)
                if known is not None:
                    if form.name not in known.forms:
                        found[key] = replace(known, forms=(*known.forms, form.name))
                    continue
                found[key] = _staff_input(field, member_name, form.name)
    return list(found.values())


def _staff_input(field: FilledField, member_name: str, form_name: str) -> StaffInput:
    if field.mynumber:
        texts = form_texts()
        person = member_name or field.person or texts["mynumber_claimant"]
        label = texts["mynumber_label"].format(person=person)
        note = texts["mynumber_input_note"]
        return StaffInput(field.number_key or "", label, note, "", (form_name,), mynumber=True)
    label = f"{field.label}（{member_name}）" if member_name else field.label
    return StaffInput(
        field.datum_key or "", label, field.note, field.value, (form_name,), field.format
    )


def number_keys(forms: Sequence[FilledForm]) -> set[str]:
    """The keys of the individual numbers these forms ask for."""
    return {f.number_key for form in forms for f in form.fields if f.number_key}


def with_numbers(forms: Sequence[FilledForm], numbers: Mapping[str, str]) -> list[FilledForm]:
    """The forms as the printer gets them: each individual number in ``numbers`` (by
    ``mynumber_key``) in full. Only for the temporary copy sent to the printer; whatever
    is kept or shown is made from the masked forms."""

    def full(fields: tuple[FilledField, ...]) -> tuple[FilledField, ...]:
        return tuple(
            replace(f, value=numbers[f.number_key], status=TYPED)
            if f.number_key is not None and f.number_key in numbers
            else f
            for f in fields
        )

    return [
        replace(
            form,
            sections=tuple(
                replace(
                    section,
                    fields=full(section.fields),
                    rows=tuple(replace(row, fields=full(row.fields)) for row in section.rows),
                )
                for section in form.sections
            ),
        )
        for form in forms
    ]


def origin_name(origin: str) -> str:
    """The word for an origin (``forms.registry.ORIGINS``), as the paper and the docs print it."""
    return form_texts()["origins"][origin]


def _parent_age(context: Context, sex: str) -> str | None:
    """A parent's age on the day of the birth: the 出生届 asks for it beside the birth date."""
    birth = _parent(context, sex, "birth_date")
    if birth is None or birth > context.case.event_date:
        return None
    return form_texts()["age"].format(age=age_on(birth, context.case.event_date))


def _parents_honseki(context: Context) -> str | None:
    """The parents' 本籍, which the child of a 出生届 enters: only when every parent in the
    household has one and they agree (else nobody knows it here, and staff type it)."""
    parents = [m for m in context.case.household.members if m.is_parent]
    texts = {m.honseki.text if m.honseki else None for m in parents}
    return texts.pop() if len(texts) == 1 else None


# --- 児童手当's 請求者 and each child's 続柄 to them; the 世帯主 where a form asks (issue 24) ---


def _claimed(context: Context) -> list[Member]:
    """The children the form is about: its procedure's members, else the event's."""
    members = context.case.household.members
    if context.procedure is not None:
        return [m for m in members if m.id in context.procedure.members]
    return list(context.case.subjects)


def claim_people(context: Context) -> tuple[Member | None, tuple[Member, ...]]:
    """The 請求者 of a new 児童手当 claim when the register leaves one choice, and every
    member who may be it (both parents: the one with the higher income, for staff to ask).
    Of two, the one whose name staff typed as the 請求者 is it: the register then fills
    the rest (フリガナ, 生年月日, 配偶者), so nothing it holds is typed twice."""
    claimed = _claimed(context)
    named = context.typed.get(CLAIMANT_DATUM, "")
    return claimant(context.case, claimed, named), claimant_candidates(context.case, claimed)


CLAIMANT_DATUM = "child_allowance_claimant"


def _claimant_attribute(context: Context, attribute: str) -> Any:
    person, _ = claim_people(context)
    return getattr(person, attribute) if person else None


def _partner(context: Context, person: Member | None) -> Member | None:
    """The head's spouse for the head, the head for the spouse (not the one who died);
    else the register cannot say."""
    if person is None or person.relation not in ("head", "spouse"):
        return None
    other = "spouse" if person.relation == "head" else "head"
    gone = {m.id for m in context.case.subjects} if context.case.event == "death" else set()
    members = context.case.household.members
    return next((m for m in members if m.relation == other and m.id not in gone), None)


def _relation_to_claimant(member: Member, context: Context) -> str | None:
    person, candidates = claim_people(context)
    return relation_to(person, candidates, member, context.case)


def _relation_to_recipient(member: Member, context: Context) -> str | None:
    return relation_to(recipient(context.case), (), member, context.case)


def _with_claimant(
    member: Member,
    context: Context,
    key: str,
    relation_of: Callable[[Member, Context], str | None] = _relation_to_claimant,
) -> str | None:
    """同居 / 監護 / 生計 of a child the claimant (or the recipient) claims for, from the
    form texts: known only when the child's 続柄 to them is (生計: 同一 for their own child,
    else 維持, 児童手当法第4条)."""
    relation = relation_of(member, context)
    if relation is None:
        return None
    texts = form_texts()["child_allowance"]
    if key == "livelihood":
        return texts["livelihood_own" if relation == CHILD else "livelihood_other"]
    return texts[key]


def _with_recipient(member: Member, context: Context, key: str) -> str | None:
    return _with_claimant(member, context, key, _relation_to_recipient)


def _older_siblings(context: Context) -> tuple[Member, ...]:
    return older_siblings(context.case, _claimed(context))


def _older_column(context: Context, value: Callable[[Member], str]) -> str:
    """One column of the 兄姉等 rows, each sibling's value in order; なし when the register
    household has none (one living elsewhere is the resident's to write)."""
    found = _older_siblings(context)
    if not found:
        return form_texts()["child_allowance"]["no_older_sibling"]
    return form_texts()["child_allowance"]["separator"].join(value(m) for m in found)


def _nominal_head(context: Context) -> str | None:
    """擬制世帯主: the head stays out of 国保 while members of the household join it."""
    head = context.case.household.head
    if head is None:
        return None
    texts = form_texts()["nhi_nominal_head"]
    joining = {m.id for m in _claimed(context)}
    if head.id in joining or head.health_insurance == "national":
        return texts["no"]
    return texts["yes"]


def _head_attribute(context: Context, attribute: str) -> Any:
    head = context.case.household.head
    return getattr(head, attribute) if head else None


MEMBER["relation_to_claimant"] = _relation_to_claimant
MEMBER["relation_to_recipient"] = _relation_to_recipient
MEMBER["lives_with_claimant"] = lambda m, c: _with_claimant(m, c, "together")
MEMBER["custody"] = lambda m, c: _with_claimant(m, c, "custody")
MEMBER["livelihood"] = lambda m, c: _with_claimant(m, c, "livelihood")
MEMBER["recipient_together"] = lambda m, c: _with_recipient(m, c, "together")
MEMBER["recipient_custody"] = lambda m, c: _with_recipient(m, c, "custody")
MEMBER["recipient_livelihood"] = lambda m, c: _with_recipient(m, c, "livelihood")
CONTEXT["household"].update(
    {
        "claimant_name": lambda c: _claimant_attribute(c, "name"),
        "claimant_kana": lambda c: _claimant_attribute(c, "kana"),
        "claimant_birth_date": lambda c: _claimant_attribute(c, "birth_date"),
        "claimant_spouse_name": lambda c: getattr(_partner(c, claim_people(c)[0]), "name", None),
        "recipient_name": lambda c: getattr(recipient(c.case), "name", None),
        "older_sibling_names": lambda c: _older_column(c, lambda m: m.name),
        "older_sibling_relations": lambda c: _older_column(
            c, lambda m: _relation_to_claimant(m, c) or form_texts()["blank_mark"]
        ),
        "older_sibling_birth_dates": lambda c: _older_column(
            c, lambda m: format_wareki(m.birth_date)
        ),
        "older_sibling_living": lambda c: _older_column(
            c, lambda m: form_texts()["child_allowance"]["together"]
        ),
        "head_sex": lambda c: SEXES.get(_head_attribute(c, "sex") or ""),
        "head_birth_date": lambda c: _head_attribute(c, "birth_date"),
        "nhi_nominal_head": _nominal_head,
    }
)
CONTEXT["event"]["qualification_kind"] = lambda c: form_texts()["qualification_kinds"].get(
    c.case.event
)
DATE_SOURCES |= {"household.claimant_birth_date", "household.head_birth_date"}


def number_person(field: FieldDef, context: Context, member: Member | None) -> tuple[str, str]:
    """Whose individual number a box holds (``mynumber_key``'s person) and their name for
    staff: the row's member; for a box of the form itself (its ``whose``: 請求者, 配偶者,
    世帯主, 母) the member the register names, so one number serves every form, else the
    person's word."""
    if member is not None:
        return member.id, member.name
    person = NUMBER_PERSONS[field.whose](context) if field.whose else None
    if person is not None:
        return person.id, person.name
    word = "" if field.whose == "claimant" else field.whose
    return (word or CLAIMANT), form_texts()["mynumber_persons"].get(word, "")


def _parent_member(context: Context, sex: str) -> Member | None:
    parents = [m for m in context.case.household.members if m.is_parent and m.sex == sex]
    return parents[0] if len(parents) == 1 else None


# The member a form's own number box names, by its ``whose`` (forms.registry.WHOSE).
NUMBER_PERSONS: dict[str, Callable[[Context], Member | None]] = {
    "claimant": lambda c: claim_people(c)[0],
    "spouse": lambda c: _partner(c, claim_people(c)[0]),
    "head": lambda c: c.case.household.head,
    "mother": lambda c: _parent_member(c, "female"),
}


def _foreign(member: Member, value: Any) -> Any:
    """A foreign resident's fact as the register holds it (None when not known); for a
    Japanese national the words 「該当なし」, since the 様式 asks it of foreign residents."""
    if member.nationality == "JP":
        return form_texts()["not_foreign"]
    return value or None


def _national(member: Member, value: Any) -> Any:
    """本籍 and 筆頭者, which only a Japanese national has: the register's value (None, for
    the counter to type, when it lacks one); for a foreign resident 「該当なし」, so the
    counter is never asked for a 本籍 nobody has."""
    if member.nationality != "JP":
        return form_texts()["not_national"]
    return value
