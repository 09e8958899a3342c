"""The 戸籍届書 (出生届, 死亡届, 婚姻届, 離婚届) and the 死体火葬許可申請書 as printed.

For each, a visit that knows every value the counter can fill: every field of the 様式
(the ``[yoshiki]`` entries the form carries) is printed with its label and its value, in
the 様式's own order. Read back with ``pdftotext -raw``: it gives each cell's text in the
order it was drawn, so a label that wraps inside its narrow cell stays whole once the
whitespace is taken out (``-layout`` interleaves the lines of the cells side by side).
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

from conftest import birth_family, case_of, member, spouse

from counter.rules import plan
from forms.form_pdf import render_form
from forms.prefill import BLANK, RESIDENT, FilledField, FilledForm, VisitInfo, forms_for_visit
from forms.prefill import staff_inputs as inputs_of
from forms.registry import definition_for

VISIT = VisitInfo(reception_number=31, office_date=date(2026, 11, 24), staff_name="窓口　一郎")
YONAGO = {"municipality": "312029", "text": "鳥取県米子市加茂町二丁目1番地"}
SAKAIMINATO = {"municipality": "312045", "text": "鳥取県境港市上道町3000番地"}
DRAFT_TITLE = "記入のための下書き（届書ではありません）"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return flat(result.stdout)


def visit(catalogue, profile, event, event_date, members, typed=None, answers=None):
    case = case_of(event, event_date, members, answers=answers or {})
    result = plan(case, catalogue, profile, filed_on=VISIT.office_date)
    return forms_for_visit(result, case, profile, VISIT, typed)


def filled(catalogue, profile, name, event, event_date, members, typed, answers=None):
    """The form ``name`` of the visit, with everything staff type: the test's ``typed``
    must hold every datum the visit asks for, so that no field is left blank."""
    forms = visit(catalogue, profile, event, event_date, members, answers=answers)
    asked = {i.key for i in inputs_of(forms) if not i.mynumber and name in i.forms}
    assert asked <= set(typed), sorted(asked - set(typed))
    forms = visit(catalogue, profile, event, event_date, members, typed, answers)
    return next(form for form in forms if form.name == name)


def in_yoshiki_order(form: FilledForm) -> tuple[list[FilledField], list[FilledField]]:
    """The form's printed fields in the order of its 様式: those of the per-member rows
    (row after row) and the others, the two orders the paper keeps."""
    definition = definition_for(form.name, VISIT.office_date)
    assert definition.yoshiki is not None
    keys = [key for entry in definition.yoshiki.fields for key in entry.fields]

    def ordered(fields: tuple[FilledField, ...]) -> list[FilledField]:
        return sorted((f for f in fields if f.key in keys), key=lambda f: keys.index(f.key))

    rows = [ordered(row.fields) for s in form.sections for row in s.rows]
    return [f for row in rows for f in row], ordered(
        tuple(f for s in form.sections for f in s.fields)
    )


def assert_in_order(text: str, fields: list[FilledField]) -> None:
    """Each label, then its value, then the next label…: all there, none out of order."""
    cursor = 0
    for field in fields:
        label = text.find(flat(field.label), cursor)
        assert label >= 0, f"{field.label} がない、または順が違う"
        cursor = label + len(flat(field.label))
        value = text.find(flat(field.shown), cursor)
        assert value >= 0, f"{field.label} の値「{field.shown}」がない、または順が違う"
        cursor = value + len(flat(field.shown))


def draft_lines(form: FilledForm) -> list[tuple[str, list[FilledField]]]:
    """What a draft prints, in order: each 様式 field's label, then its values, member
    column after member column (an omitted field: its label alone, an empty row)."""
    assert form.yoshiki is not None
    shared = {f.key: f for s in form.sections for f in s.fields}
    columns: dict[str, dict[str, FilledField]] = {}
    for section in form.sections:
        for row in section.rows:
            columns.setdefault(row.member_id, {}).update({f.key: f for f in row.fields})
    lines = []
    for entry in form.yoshiki.fields:
        common = [shared[k] for k in entry.fields if k in shared]
        own = [[found[k] for k in entry.fields if k in found] for found in columns.values()]
        values = [f for o in own for f in common + o] if any(own) else common
        lines.append((entry.label, values))
    return lines


def assert_draft_in_order(text: str, form: FilledForm) -> None:
    cursor = 0
    for label, values in draft_lines(form):
        found = text.find(flat(label), cursor)
        assert found >= 0, f"{label} がない、または順が違う"
        cursor = found + len(flat(label))
        for field in values:
            value = text.find(flat(field.shown), cursor)
            assert value >= 0, f"{label} の値「{field.shown}」がない、または順が違う"
            cursor = value + len(flat(field.shown))


def assert_every_field_printed(form: FilledForm, path: Path) -> str:
    assert form.blank_count == 0, [f.label for f in form.fields if f.status == BLANK]
    text = printed(render_form(form, path))
    yoshiki = definition_for(form.name, VISIT.office_date).yoshiki
    assert yoshiki is not None
    if yoshiki.draft:  # a copying aid, never a sheet that looks like the A3 form
        assert text.startswith(DRAFT_TITLE)
        # every 様式 field in its order, the doctor's or the witnesses' part an empty row
        assert_draft_in_order(text, form)
        assert any(entry.omitted for entry in yoshiki.fields)
    else:
        assert DRAFT_TITLE not in text
        for fields in in_yoshiki_order(form):
            assert_in_order(text, fields)
    for field in form.fields:  # the lines the 様式 has not, printed all the same
        assert flat(field.shown) in text, field.label
    return text


def test_the_birth_registration_prints_every_field_of_its_form_in_order(
    tmp_path, catalogue, profile
):
    family = birth_family()
    family[0]["honseki"] = family[1]["honseki"] = YONAGO
    typed = {
        "child_legitimacy#m3": "嫡出子",
        "birth_order#m3": "長男",
        "birth_time#m3": "午前10時15分",
        "birth_place#m3": "鳥取県米子市西町36番地1",
        "parents_hittousha": "米子　太郎",
        "cohabitation_date": "令和5年4月",
        "household_occupation": "4（常用勤労者）",
        "parents_occupation": "父　事務職　母　販売職",
        "birth_other": "特になし",
        "applicant_qualification": "父",
        "contact_phone": "0859-22-1111",
    }
    form = filled(catalogue, profile, "出生届", "birth", "2026-11-20", family, typed)
    assert form.field("honseki").value == YONAGO["text"]  # the parents' 本籍, from the register
    assert form.field("relation", "m3").value == "子"
    assert form.field("father_age").value == "36歳"
    assert form.field("mother_age").value == "34歳"
    assert form.field("applicant_signature").status == RESIDENT
    text = assert_every_field_printed(form, tmp_path / "shussei.pdf")
    for value in ("米子陽翔", "ヨナゴハルト", "令和8年11月20日（金）", "鳥取県米子市西町36番地1"):
        assert value in text


def death_family() -> list[dict]:
    return [
        member(
            "h",
            birth_date="1945-01-01",
            health_insurance="late_elderly",
            subject=True,
            honseki=YONAGO,
        ),
        spouse(birth_date="1950-02-02", health_insurance="late_elderly"),
        member(
            "c",
            name="米子　一郎",
            kana="ヨナゴ　イチロウ",
            birth_date="1980-05-05",
            relation="child",
            health_insurance="employee",
        ),
    ]


DEATH_TYPED = {
    "death_time#h": "午後3時40分",
    "death_place#h": "鳥取県米子市西町36番地1",
    "hittousha#h": "米子　太郎",
    "deceased_spouse#h": "いる（満76歳）",
    "household_occupation#h": "6（仕事をしている者のいない世帯）",
    "deceased_occupation#h": "無職",
    "death_other": "特になし",
    "applicant_qualification": "同居の親族",
    "contact_phone": "0859-22-1111",
    "death_cause_class#h": "その他",
    "cremation_place": "米子市営の斎場",
    "cremation_applicant_relation": "妻",
}


def test_the_death_registration_prints_every_field_of_its_form_in_order(
    tmp_path, catalogue, profile
):
    form = filled(catalogue, profile, "死亡届", "death", "2026-11-20", death_family(), DEATH_TYPED)
    assert [r.member_id for s in form.sections for r in s.rows] == ["h"]
    assert form.field("honseki", "h").value == YONAGO["text"]
    text = assert_every_field_printed(form, tmp_path / "shibou.pdf")
    assert "令和8年11月20日（金）" in text and "昭和20年1月1日（月）" in text


def test_the_place_of_cremation_is_on_the_cremation_permit_not_on_the_death_registration(
    tmp_path, catalogue, profile
):
    """火葬の場所 is asked by the 死体火葬許可申請書 (墓地埋葬法施行規則1条), filed with the
    死亡届: the death visit prints it there, and the 死亡届 has no such line."""
    forms = visit(catalogue, profile, "death", "2026-11-20", death_family(), DEATH_TYPED)
    names = [form.name for form in forms]
    assert "死亡届" in names and "死体火葬許可申請書" in names
    permit = next(form for form in forms if form.name == "死体火葬許可申請書")
    assert permit.field("cremation_place").value == "米子市営の斎場"
    permit_text = assert_every_field_printed(permit, tmp_path / "kasou.pdf")
    tag = "(〔[^〕]+〕)?"  # where the value comes from, printed before it
    assert re.search("火葬の場所" + tag + "米子市営の斎場", permit_text)
    assert re.search("死亡者の本籍" + tag + re.escape(flat(YONAGO["text"])), permit_text)
    death = next(form for form in forms if form.name == "死亡届")
    assert "cremation_place" not in {f.key for f in death.fields}
    death_text = printed(render_form(death, tmp_path / "shibou.pdf"))
    assert "火葬" not in death_text and "斎場" not in death_text


def couple() -> list[dict]:
    """Two who live together and marry: 米子　太郎 and 境　花子 (a 同居人 until now)."""
    return [
        member("m1", subject=True, honseki=YONAGO),
        member(
            "m2",
            name="境　花子",
            kana="サカイ　ハナコ",
            birth_date="1992-06-15",
            sex="female",
            relation="other",
            subject=True,
            honseki=SAKAIMINATO,
        ),
    ]


def test_the_marriage_registration_prints_every_field_of_its_form_in_order(
    tmp_path, catalogue, profile
):
    typed = {
        "hittousha#m1": "米子　一郎",
        "hittousha#m2": "境　正",
        "parents_names#m1": "父　米子　一郎　母　幸子",
        "parents_names#m2": "父　境　正　母　和子",
        "birth_order#m1": "長男",
        "birth_order#m2": "二女",
        "marriage_history#m1": "初婚",
        "marriage_history#m2": "初婚",
        "household_occupation#m1": "4（常用勤労者）",
        "household_occupation#m2": "4（常用勤労者）",
        "census_occupation#m1": "事務職",
        "census_occupation#m2": "販売職",
        "married_surname": "夫の氏",
        "new_honseki": "鳥取県米子市加茂町二丁目1番地",
        "cohabitation_date": "令和8年4月",
        "marriage_other": "特になし",
        "contact_phone": "0859-22-1111",
    }
    answers = {"surname_change": "yes", "moving_together": "no", "becomes_dependant": "no"}
    form = filled(catalogue, profile, "婚姻届", "marriage", "2026-11-24", couple(), typed, answers)
    assert [r.member_id for s in form.sections for r in s.rows] == ["m1", "m2"]
    assert form.field("honseki", "m2").value == SAKAIMINATO["text"]
    assert form.field("signature", "m1").status == RESIDENT
    text = assert_every_field_printed(form, tmp_path / "konin.pdf")
    assert text.index("米子太郎") < text.index("境花子")


def test_the_divorce_registration_prints_every_field_of_its_form_in_order(
    tmp_path, catalogue, profile
):
    members = [
        member("m1", subject=True, honseki=YONAGO),
        spouse(subject=True, honseki=YONAGO),
        member(
            "c", name="米子　陽翔", kana="ヨナゴ　ハルト", birth_date="2018-11-20", relation="child"
        ),
    ]
    typed = {
        "hittousha#m1": "米子　太郎",
        "hittousha#m2": "米子　太郎",
        "parents_names#m1": "父　米子　一郎　母　幸子",
        "parents_names#m2": "父　境　正　母　和子",
        "birth_order#m1": "長男",
        "birth_order#m2": "二女",
        "census_occupation#m1": "事務職",
        "census_occupation#m2": "販売職",
        "court_divorce_date": "令和8年11月20日　調停成立",
        "divorce_return_honseki": "妻は新しい戸籍をつくる（鳥取県米子市加茂町二丁目1番地）",
        "custody_children": "妻が親権を行う子　米子　陽翔",
        "cohabitation_date": "平成29年4月",
        "separation_date": "令和8年9月",
        "pre_separation_address": "鳥取県米子市加茂町二丁目1番地",
        "separation_household_occupation": "4（常用勤労者）",
        "divorce_other": "特になし",
        "visitation_arrangement": "取決めをしている",
        "child_support_arrangement": "取決めをしている",
        "contact_phone": "0859-22-1111",
    }
    answers = {"consensual_divorce": "no", "court_divorce": "yes"}
    form = filled(catalogue, profile, "離婚届", "divorce", "2026-11-20", members, typed, answers)
    assert [r.member_id for s in form.sections for r in s.rows] == ["m1", "m2"]
    assert form.field("court").value == "はい"
    assert form.field("custody_consent", "m2").status == RESIDENT
    text = assert_every_field_printed(form, tmp_path / "rikon.pdf")
    assert "妻が親権を行う子米子陽翔" in text
