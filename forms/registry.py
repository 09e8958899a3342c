"""The paper forms the city uses, by name, and each form's definition as data.

``definitions/forms.toml`` lists every form a catalogue entry may point to and names its
definition file in ``definitions/forms/``: the fields, the section each sits in, and
where each value comes from. A form without a definition file cannot be pre-filled, so
``counter catalogue check`` counts only forms that have one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from counter.events import EVENTS

DEFINITIONS = Path(__file__).parent / "definitions"
REGISTRY = DEFINITIONS / "forms.toml"
FORMS_DIR = DEFINITIONS / "forms"
SOURCE_KINDS = ("member", "household", "event", "answer", "visit", "profile", "procedure")
FORMATS = ("wareki", "kana", "yen", "postal", "phone", "number")
TYPED_FORMATS = ("phone", "number")  # how a value staff type is checked and normalised
FORM_KEYS = {
    "name", "title", "effective_from", "layout", "fields", "declaration", "signature", "note",
    "yoshiki",
}  # fmt: skip
FIELD_KEYS = {
    "key", "label", "section", "source", "format", "datum", "note", "events", "mynumber",
    "resident", "confirm", "extra", "whose",
}  # fmt: skip
YOSHIKI_KEYS = {"source", "url", "unconfirmed", "draft", "fields"}
YOSHIKI_FIELD_KEYS = {"label", "fields", "omitted", "note"}
# Where a printed value comes from, for the docs and the paper (words in form_texts.toml).
REGISTER, INTERVIEW, COUNTER, OFFICE, BY_RESIDENT = (
    "register", "interview", "counter", "office", "resident",
)  # fmt: skip
ORIGINS = (REGISTER, INTERVIEW, COUNTER, OFFICE, BY_RESIDENT)
ORIGIN_OF_KIND = {
    "member": REGISTER, "household": REGISTER, "event": INTERVIEW, "answer": INTERVIEW,
    "staff": COUNTER, "visit": OFFICE, "profile": OFFICE, "procedure": OFFICE,
}  # fmt: skip
WHOSE = ("claimant", "spouse", "head", "mother")  # the persons a form's own number box names
MIN_COVERAGE = 95  # per cent of the 様式's fields a form must carry (issue 24)


def origin_of(source: str, *, resident: bool = False) -> str:
    """The origin (``ORIGINS``) of a value with this ``source``: the register, the
    interview, the counter's typing, the counter's own data, or the resident's hand."""
    return BY_RESIDENT if resident else ORIGIN_OF_KIND[source.split(".", 1)[0]]


class FormDefinitionError(ValueError):
    """A definition file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class SectionDef:
    key: str
    title: str
    per_member: bool


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    section: str
    source: str
    format: str | None = None
    datum: str | None = None
    note: str = ""
    events: tuple[str, ...] = ()
    mynumber: bool = False
    # Whose individual number a box of the form itself holds (not a member's row): the
    # member the register names as the 請求者, their spouse, the 世帯主 or the mother.
    whose: str = ""
    # A box the resident writes in their own hand (the law asks them to state it, e.g.
    # the registrant of a 印鑑登録証明書): never filled from data nor typed by staff.
    resident: bool = False
    # A value the resident must check before signing (a choice read out to them).
    confirm: bool = False
    # Why a field the 様式 does not have is printed all the same (the counter's own line).
    extra: str = ""

    @property
    def kind(self) -> str:
        """``member`` for ``member.name``; ``staff`` for a value only staff can type."""
        return self.source.split(".", 1)[0]

    @property
    def attribute(self) -> str:
        return self.source.split(".", 1)[1] if "." in self.source else ""

    def applies_to(self, event: str) -> bool:
        return not self.events or event in self.events

    @property
    def origin(self) -> str:
        """Where the value comes from (``ORIGINS``): the docs' column and the paper's tag."""
        return origin_of(self.source, resident=self.resident)


@dataclass(frozen=True)
class YoshikiField:
    """One field of the official or city 様式, in its order: the keys of ours that carry
    it, or why we leave it out."""

    label: str
    fields: tuple[str, ...] = ()
    omitted: str = ""
    note: str = ""


@dataclass(frozen=True)
class Yoshiki:
    """The 様式 a form follows (statute or city form) and its fields, in its order."""

    source: str
    fields: tuple[YoshikiField, ...]
    url: str = ""
    unconfirmed: bool = False
    draft: bool = False  # a 戸籍届書: printed only as a copying aid, never as the form

    @property
    def carried(self) -> int:
        """How many of the 様式's fields ours carry (the others are omitted)."""
        return sum(1 for entry in self.fields if entry.fields)

    @property
    def coverage(self) -> float:
        """Share of the 様式's fields we carry, in per cent."""
        return 100 * self.carried / len(self.fields)

    @property
    def coverage_text(self) -> str:
        """「23/24（95.8 %）」, as the check and docs/forms.md print it."""
        return f"{self.carried}/{len(self.fields)}（{self.coverage:.1f} %）"

    @property
    def enough(self) -> bool:
        """At least ``MIN_COVERAGE`` per cent, counted exactly (no rounding up)."""
        return 100 * self.carried >= MIN_COVERAGE * len(self.fields)


@dataclass(frozen=True)
class FormDefinition:
    name: str
    title: str
    effective_from: date
    sections: tuple[SectionDef, ...]
    fields: tuple[FieldDef, ...]
    declaration: str
    signature: str
    note: str
    path: Path
    yoshiki: Yoshiki | None = None

    def fields_of(self, section: str, event: str) -> tuple[FieldDef, ...]:
        return tuple(f for f in self.fields if f.section == section and f.applies_to(event))


def registry_entries() -> list[dict]:
    """forms.toml's entries, in its order (the order forms are listed everywhere)."""
    return tomllib.loads(REGISTRY.read_text(encoding="utf-8"))["forms"]


def form_names() -> set[str]:
    """Forms a catalogue entry may name: listed in forms.toml with a definition file."""
    return {
        entry["name"]
        for entry in registry_entries()
        if "definition" in entry and (FORMS_DIR / entry["definition"]).is_file()
    }


def load_definition(path: Path) -> FormDefinition:
    """Read and validate one definition file (structure; sources are checked by prefill)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FormDefinitionError(
            f"{path.name}: TOML の書き方が正しくありません（{exc}）"
        ) from None
    try:
        return _build(path, data)
    except FormDefinitionError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise FormDefinitionError(f"{path.name}: 項目が不足または不正です（{exc}）") from None


def _build(path: Path, data: dict) -> FormDefinition:
    def fail(message: str) -> FormDefinitionError:
        return FormDefinitionError(f"{path.name}: {message}")

    unknown = set(data) - FORM_KEYS
    if unknown:
        raise fail(f"知らない項目 {sorted(unknown)}")
    effective = data["effective_from"]
    if not isinstance(effective, date):
        raise fail("effective_from は日付（例: 2024-12-02）で書いてください")
    sections = tuple(
        SectionDef(key=s["key"], title=s["title"], per_member=s.get("rows") == "members")
        for s in data["layout"]["sections"]
    )
    section_keys = {s.key for s in sections}
    fields = []
    for item in data["fields"]:
        where = f"項目「{item.get('key', '?')}」"
        if set(item) - FIELD_KEYS:
            raise fail(f"{where}: 知らない項目 {sorted(set(item) - FIELD_KEYS)}")
        field = FieldDef(
            key=item["key"],
            label=item["label"],
            section=item["section"],
            source=item["source"],
            format=item.get("format"),
            datum=item.get("datum"),
            note=item.get("note", ""),
            events=tuple(item.get("events", ())),
            mynumber=bool(item.get("mynumber", False)),
            whose=str(item.get("whose", "")),
            resident=bool(item.get("resident", False)),
            confirm=bool(item.get("confirm", False)),
            extra=str(item.get("extra", "")),
        )
        _check_field(field, section_keys, {s.key for s in sections if s.per_member}, where, fail)
        fields.append(field)
    keys = [f.key for f in fields]
    if len(keys) != len(set(keys)):
        raise fail(f"項目の key が重複しています: {sorted({k for k in keys if keys.count(k) > 1})}")
    return FormDefinition(
        name=data["name"],
        title=data["title"],
        effective_from=effective,
        sections=sections,
        fields=tuple(fields),
        declaration=data.get("declaration", ""),
        signature=data.get("signature", "届出人"),
        note=data.get("note", ""),
        path=path,
        yoshiki=_follows(_yoshiki(data["yoshiki"], set(keys), fail), fields, sections, fail)
        if "yoshiki" in data
        else None,
    )


def _yoshiki(data: dict, keys: set[str], fail) -> Yoshiki:
    """The [yoshiki] table: each entry carried by fields of ours, or left out with a reason."""
    if not isinstance(data, dict) or set(data) - YOSHIKI_KEYS:
        raise fail(f"[yoshiki] に書けるのは {sorted(YOSHIKI_KEYS)} です")
    if not str(data.get("source", "")).strip():
        raise fail("[yoshiki] source（従う様式の根拠）がありません")
    entries = []
    for number, item in enumerate(data.get("fields", []), start=1):
        where = f"[[yoshiki.fields]] {number}番目（{item.get('label', '?')}）"
        if set(item) - YOSHIKI_FIELD_KEYS or not str(item.get("label", "")).strip():
            raise fail(f"{where}: label と fields または omitted を書きます")
        carried, omitted = tuple(item.get("fields", ())), str(item.get("omitted", "")).strip()
        if bool(carried) == bool(omitted):
            raise fail(f"{where}: fields と omitted のどちらか一つを書きます")
        if set(carried) - keys:
            raise fail(f"{where}: 知らない項目 {sorted(set(carried) - keys)}")
        entries.append(YoshikiField(item["label"], carried, omitted, item.get("note", "")))
    if not entries:
        raise fail("[yoshiki] に様式の欄（[[yoshiki.fields]]）がありません")
    return Yoshiki(
        source=data["source"],
        fields=tuple(entries),
        url=data.get("url", ""),
        unconfirmed=bool(data.get("unconfirmed", False)),
        draft=bool(data.get("draft", False)),
    )


def _follows(
    yoshiki: Yoshiki, fields: list[FieldDef], sections: tuple[SectionDef, ...], fail
) -> Yoshiki:
    """Every field of ours is in the 様式 (or says why not, ``extra``), and the paper prints
    them in the 様式's order: by section in layout order, then in the fields' order, per
    member rows and the other fields each on their own."""
    first: dict[str, int] = {}
    for number, entry in enumerate(yoshiki.fields, start=1):
        for key in entry.fields:
            first.setdefault(key, number)
    for field in fields:
        if field.key not in first and not field.extra.strip():
            raise fail(
                f"項目「{field.key}」（{field.label}）が [[yoshiki.fields]] のどの欄にも"
                'ありません。様式の欄の fields に加えるか、様式にない欄なら extra = "理由" を'
                "付けてください"
            )
    layout = {s.key: (index, s.per_member) for index, s in enumerate(sections)}
    printed = sorted(
        (f for f in fields if f.key in first),
        key=lambda f: layout[f.section][0],  # stable: the fields' order within a section
    )
    for per_member in (True, False):
        latest: FieldDef | None = None
        for field in (f for f in printed if layout[f.section][1] == per_member):
            if latest is not None and first[field.key] < first[latest.key]:
                at, later = first[field.key], first[latest.key]
                raise fail(
                    f"[[yoshiki.fields]] {at}番目（{yoshiki.fields[at - 1].label}）: "
                    f"項目「{field.key}」が、様式で後の {later}番目"
                    f"（{yoshiki.fields[later - 1].label}）の項目「{latest.key}」より後に"
                    "印刷されます。様式の順に並べてください（layout の section の順、"
                    "その中は fields の順）"
                )
            latest = field
    return yoshiki


def _check_field(field: FieldDef, sections: set[str], rows: set[str], where: str, fail) -> None:
    if field.section not in sections:
        raise fail(f"{where}: section「{field.section}」が layout にありません")
    if field.kind not in (*SOURCE_KINDS, "staff") or (field.kind != "staff") != bool(
        field.attribute
    ):
        raise fail(f"{where}: source「{field.source}」の書き方が正しくありません")
    if field.kind == "member" and field.section not in rows:
        raise fail(f'{where}: member.* は世帯員ごとの欄（rows = "members"）にだけ置けます')
    if field.format is not None and field.format not in FORMATS:
        raise fail(f"{where}: format「{field.format}」は使えません（{'、'.join(FORMATS)}）")
    if field.format in TYPED_FORMATS and field.kind != "staff":
        raise fail(f'{where}: format「{field.format}」は source = "staff" の欄にだけ付けます')
    if field.confirm and field.resident:
        raise fail(f"{where}: ご本人が記入する欄に confirm は付けません")
    if field.resident and (field.kind != "staff" or field.datum or field.mynumber):
        raise fail(f'{where}: ご本人が記入する欄は source = "staff"、datum なしにしてください')
    if field.kind == "staff" and not field.datum and not field.mynumber and not field.resident:
        raise fail(f'{where}: source = "staff" には datum（共有する入力の名前）が必要です')
    if field.whose and (not field.mynumber or field.section in rows or field.whose not in WHOSE):
        raise fail(
            f"{where}: whose は世帯員の行でない個人番号の欄にだけ、{' / '.join(WHOSE)} のどれかを"
            "書きます"
        )
    if field.mynumber and (field.kind != "staff" or field.datum):
        raise fail(f'{where}: 個人番号の欄は source = "staff"、datum なしにしてください')
    if "個人番号" in field.label and not field.mynumber:
        raise fail(f"{where}: 個人番号の欄には mynumber = true が必要です（印字しません）")
    if set(field.events) - set(EVENTS):
        raise fail(f"{where}: 未知の届出 {sorted(set(field.events) - set(EVENTS))}")


@cache
def definitions() -> dict[str, tuple[FormDefinition, ...]]:
    """Every definition file by form name, newest version first."""
    found: dict[str, list[FormDefinition]] = {}
    for path in sorted(FORMS_DIR.glob("*.toml")):
        definition = load_definition(path)
        found.setdefault(definition.name, []).append(definition)
    return {
        name: tuple(sorted(items, key=lambda d: d.effective_from, reverse=True))
        for name, items in found.items()
    }


def definition_problems(forms_dir: Path = FORMS_DIR) -> list[str]:
    """Each definition file that does not load, has no [yoshiki] table or carries too
    little of its 様式, named, all at once (``counter catalogue check``; the app would stop
    at the first)."""
    problems = []
    for path in sorted(forms_dir.glob("*.toml")):
        try:
            definition = load_definition(path)
        except FormDefinitionError as exc:
            problems.append(str(exc))
            continue
        yoshiki = definition.yoshiki
        if yoshiki is None:
            problems.append(
                f"{path.name}: 様式「{definition.name}」に [yoshiki]（従う様式とその欄の表）が"
                "ありません。様式の欄を順に書いてください"
            )
        elif not yoshiki.enough:
            problems.append(
                f"{path.name}: 様式「{definition.name}」の欄のうち当システムが埋めるのは"
                f"{yoshiki.coverage_text}です。{MIN_COVERAGE} % 以上にしてください"
            )
    return problems


def definition_for(name: str, on: date) -> FormDefinition:
    """The version of form ``name`` in force on ``on``."""
    for definition in definitions().get(name, ()):
        if definition.effective_from <= on:
            return definition
    raise FormDefinitionError(f"様式「{name}」の {on.isoformat()} に有効な定義ファイルがありません")
