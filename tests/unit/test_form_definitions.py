"""Every form a procedure can name has a definition that loads and fills from real data."""

from __future__ import annotations

import tomllib
from dataclasses import fields as dataclass_fields

import pytest

from counter.catalogue import CATALOGUE_DIR, read_catalogue
from counter.catalogue_check import check_data
from counter.household import Member
from forms.prefill import CONTEXT, MEMBER, question_ids, source_problems
from forms.registry import (
    FORMS_DIR,
    REGISTRY,
    FormDefinitionError,
    definitions,
    form_names,
    load_definition,
)

ALL = [d for versions in definitions().values() for d in versions]
# Member sources worked out from the household, not read from one Member field.
DERIVED_MEMBER_SOURCES = {
    "age", "relation_to_claimant", "relation_to_recipient", "lives_with_claimant", "custody",
    "livelihood", "recipient_together", "recipient_custody", "recipient_livelihood",
    "koseki_head",
}  # fmt: skip
REQUIRED = {
    "住民異動届",
    "国民健康保険 資格取得届",
    "国民健康保険 資格喪失届",
    "児童手当 認定請求書",
    "児童手当 額改定請求書",
    "児童手当 受給事由消滅届",
    "子ども医療費 受給資格申請書",
    "介護保険 資格取得・異動・喪失届",
    "後期高齢者医療 資格関係届",
    "葬祭費支給申請書",
    "印鑑登録申請書",
    "印鑑登録 廃止申請書",
    "住民票の写し等交付申請書",
    "犬の登録事項変更届",
    "転入学届",
    "国民年金 資格取得・種別変更届",
}


def test_every_definition_file_loads():
    assert len(ALL) == len(list(FORMS_DIR.glob("*.toml")))
    for definition in ALL:
        assert definition.fields and definition.sections and definition.title
        assert any(s.per_member for s in definition.sections), definition.name


@pytest.mark.parametrize("definition", ALL, ids=lambda d: d.path.name)
def test_every_source_refers_to_something_that_exists(definition):
    assert source_problems(definition) == []
    member_attributes = {f.name for f in dataclass_fields(Member)} | DERIVED_MEMBER_SOURCES
    for field in definition.fields:
        if field.kind == "member":
            assert field.attribute in member_attributes
        elif field.kind == "answer":
            assert field.attribute in question_ids()
        elif field.kind != "staff":
            assert field.attribute in CONTEXT[field.kind]
    assert set(MEMBER) <= member_attributes


def test_every_catalogue_form_has_a_definition_file():
    catalogue, problems = read_catalogue(CATALOGUE_DIR)
    assert problems == []
    named = {form for p in catalogue.procedures for form in p.forms}
    assert named <= set(definitions())
    assert set(definitions()) >= REQUIRED
    assert form_names() == set(definitions())


def test_registry_and_definition_files_agree():
    entries = tomllib.loads(REGISTRY.read_text(encoding="utf-8"))["forms"]
    for entry in entries:
        assert load_definition(FORMS_DIR / entry["definition"]).name == entry["name"]
    assert len({e["name"] for e in entries}) == len(entries) == len(definitions())


def test_a_shared_datum_has_one_source_everywhere():
    """A datum typed once must mean the same thing on every form that uses it."""
    seen: dict[str, tuple[str, str | None]] = {}
    for definition in ALL:
        for field in definition.fields:
            if field.datum:
                shape = (field.source, field.format)
                assert seen.setdefault(field.datum, shape) == shape, (definition.name, field.key)


def test_individual_number_is_never_filled_from_data():
    boxes = [(d, f) for d in ALL for f in d.fields if "個人番号" in f.label]
    assert boxes
    for _, field in boxes:
        assert field.mynumber and field.source == "staff" and field.datum is None


def test_check_reports_a_procedure_whose_form_has_no_definition():
    problems, _ = check_data(form_names() - {"転入学届"})
    assert problems and all("転入学届" in p and "定義ファイル" in p for p in problems)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda t: t.replace('source = "member.name"', 'source = "member"'), "source"),
        (lambda t: t.replace('section = "members"', 'section = "nowhere"', 1), "section"),
        (lambda t: t.replace("mynumber = true", 'datum = "mynumber"'), "個人番号"),
        # whose names the person of a form's own number box, never a member's row
        (lambda t: t.replace("mynumber = true", 'mynumber = true, whose = "head"'), "whose"),
        (
            lambda t: t.replace(
                'datum = "contact_phone"', 'datum = "contact_phone", whose = "head"'
            ),
            "whose",
        ),
        (lambda t: t.replace('format = "kana"', 'format = "roman"'), "format"),
        (lambda t: t.replace("effective_from = 2024-05-27", 'effective_from = "今日"'), "日付"),
        (lambda t: t.replace('datum = "contact_phone", format = "phone"', 'note = "x"'), "datum"),
        (
            lambda t: t.replace(
                'source = "member.name"', 'source = "member.name", format = "phone"'
            ),
            "format",
        ),
    ],
)
def test_a_broken_definition_is_rejected_in_japanese(tmp_path, change, words):
    text = (FORMS_DIR / "jumin_idou.toml").read_text(encoding="utf-8")
    path = tmp_path / "broken.toml"
    path.write_text(change(text), encoding="utf-8")
    with pytest.raises(FormDefinitionError) as error:
        load_definition(path)
    assert "broken.toml" in str(error.value) and words in str(error.value)


YOSHIKI = """
[yoshiki]
source = "住民基本台帳法22条・市の様式"

[[yoshiki.fields]]
label = "届出日"
fields = ["filed_on"]

[[yoshiki.fields]]
label = "{label}"
{entry}
"""


ONE_FIELD = """
name = "見本届"
title = "見本届"
effective_from = 2024-05-27
[[fields]]
key = "filed_on"
label = "届出日"
section = "header"
source = "visit.date"
format = "wareki"

[layout]
sections = [{ key = "header", title = "届出" }]
"""


def with_yoshiki(tmp_path, label: str = "審査欄", entry: str = 'omitted = "市の記入欄"'):
    """A one-field definition (so the table covers all its fields) with a 様式 table."""
    path = tmp_path / "with_yoshiki.toml"
    path.write_text(ONE_FIELD + YOSHIKI.format(label=label, entry=entry), encoding="utf-8")
    return load_definition(path)


def test_the_yoshiki_table_is_read_in_the_forms_own_order(tmp_path):
    yoshiki = with_yoshiki(tmp_path).yoshiki
    assert yoshiki is not None and yoshiki.source == "住民基本台帳法22条・市の様式"
    assert [(f.label, f.fields, f.omitted) for f in yoshiki.fields] == [
        ("届出日", ("filed_on",), ""),
        ("審査欄", (), "市の記入欄"),
    ]


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ('fields = ["no_such_field"]', "知らない項目 ['no_such_field']"),
        ('fields = ["filed_on"]\nomitted = "両方"', "どちらか一つ"),
        ("", "どちらか一つ"),
        ('omitted = "  "', "どちらか一つ"),
        ('fields = ["filed_on"]\ncolour = "赤"', "label と fields または omitted"),
    ],
)
def test_a_broken_yoshiki_entry_is_named_in_japanese(tmp_path, entry, words):
    with pytest.raises(FormDefinitionError) as error:
        with_yoshiki(tmp_path, entry=entry)
    message = str(error.value)
    assert "with_yoshiki.toml" in message and "2番目（審査欄）" in message and words in message
