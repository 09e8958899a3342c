"""FORMS-A's forms against their 様式, on real paper: for each form and each kind of event
it serves, a household whose every 様式 field (not left out) has a value, rendered to a
PDF and read back: every label and every value is printed, in the 様式's own order.

Then the cases the issue names: a foreign household's 住民異動届 with its 在留資格・在留期間・
在留カード等の番号, a 住民票 asked by an agent (代理人) with the 委任状 part, and the
続柄 printed as the 住民票 writes it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import case_of, member, pilot_household, spouse
from pdfcheck import pdf_text

from counter.interchange import event_case_to_dict, parse_event_case
from counter.plan import Plan, PlannedProcedure
from counter.rules import plan
from forms.form_pdf import render_form
from forms.prefill import (
    BLANK,
    RESIDENT,
    FilledForm,
    VisitInfo,
    forms_for_visit,
    mynumber_person,
    number_keys,
    prefill_form,
    staff_inputs,
)
from forms.registry import FormDefinition, definition_for
from workflows.certificates import CertificateChoices, certificate_visit

ON = date(2026, 11, 24)
VISIT = VisitInfo(reception_number=31, office_date=ON, staff_name="窓口　一郎")
PREVIOUS = {"postal_code": "6800011", "text": "鳥取県鳥取市東町一丁目220番地"}
NUMBER = "123456789018"  # a well-formed individual number (check digit 8)

# Each form, the events it is filled for, and the certificate or service it asks for.
FORMS = [
    ("住民異動届", ("move_in", "move_in_from_abroad", "move_out", "household_change"), ""),
    ("住民票の写し等交付申請書", ("move_out",), "住民票の写し"),
    ("印鑑登録申請書", ("move_in",), ""),
    ("印鑑登録 廃止申請書", ("marriage",), ""),
    ("印鑑登録証明書交付申請書", ("certificate",), "印鑑登録証明書"),
    ("戸籍証明書等交付請求書", ("death",), "戸籍全部事項証明書（戸籍謄本）"),
    ("税務証明交付申請書", ("certificate",), "課税（所得）証明書"),
    ("低体重児出生届", ("birth",), ""),
    ("転入学届", ("move_in",), ""),
    ("犬の登録事項変更届", ("move_in", "move_within", "death"), ""),
    ("軽自動車税（種別割）申告書", ("move_in", "move_out", "death"), ""),
]


def flat(text: str) -> str:
    """The text without any space or line break: a label wrapped in its cell reads whole."""
    return re.sub(r"\s+", "", text)


def household_for(event: str):
    """A Japanese family of three for the event (a newborn for a birth)."""
    child = member(
        "m3",
        name="米子　陽翔",
        kana="ヨナゴ　ハルト",
        birth_date="2016-09-01" if event != "birth" else "2026-11-20",
        relation="child",
        health_insurance="none",
    )
    members = [member("m1", subject=True), spouse(subject=True), child]
    extra = {}
    if event == "birth":
        members[0]["subject"] = members[1]["subject"] = False
        child["subject"] = True
    if event in ("move_in",):
        extra["previous_address"] = PREVIOUS
    event_date = "2026-11-20" if event != "move_out" else "2026-11-30"
    return case_of(event, event_date, members, **extra)


def filled(name: str, event: str, certificate: str) -> tuple[FilledForm, FormDefinition]:
    """The form filled for ``event`` with every value it can hold: the register's, the
    answers (yes), and a distinct typed value for each datum staff would type."""
    definition = definition_for(name, ON)
    document = event_case_to_dict(household_for(event))
    document["answers"] = {f.attribute: "yes" for f in definition.fields if f.kind == "answer"}
    case = parse_event_case(document)
    rows = tuple(m.id for m in case.household.members if m.subject)
    procedure = _procedure(certificate or name, rows)
    plan = Plan(case.municipality, event, case.event_date, ON, (procedure,), ())
    args = (definition, case, plan, _profile(), VISIT)
    bare = prefill_form(*args, member_ids=rows, procedure=procedure)
    typed = {item.key: f"値{n:02d}" for n, item in enumerate(staff_inputs([bare]))}
    numbers = {key: NUMBER for key in number_keys([bare])}
    form = prefill_form(*args, typed, member_ids=rows, procedure=procedure, numbers=numbers)
    return form, definition


@pytest.mark.parametrize(
    ("name", "event", "certificate"),
    [(name, event, cert) for name, events, cert in FORMS for event in events],
    ids=lambda value: str(value),
)
def test_every_yoshiki_field_is_printed_with_its_value_in_the_forms_order(
    tmp_path, name, event, certificate
):
    form, definition = filled(name, event, certificate)
    assert definition.yoshiki is not None
    extras = {f.key for f in definition.fields if f.extra}
    per_member = {s.key for s in definition.sections if s.per_member}
    members = {f.key for f in definition.fields if f.section in per_member}
    present = {f.key for f in form.fields}
    wanted = [k for entry in definition.yoshiki.fields for k in entry.fields if k in present]
    assert wanted, name
    # The printed order (sections, then fields) is the 様式's, members and the rest apart.
    printed = [f.key for s in form.sections if not s.per_member for f in s.fields]
    assert [k for k in printed if k not in extras] == [k for k in wanted if k not in members]
    for section in form.sections:
        for row in section.rows:
            keys = [f.key for f in row.fields if f.key not in extras]
            assert keys == [k for k in wanted if k in members]
    # Every field not left out has a value (or is the resident's own box).
    for field in form.fields:
        assert field.status != BLANK, (name, field.key)
    # On paper: each label, then its value, walking forward through the text.
    text = flat(pdf_text(render_form(form, tmp_path / "form.pdf")))
    position = 0
    for section in form.sections:
        fields = [f for row in section.rows for f in row.fields] or list(section.fields)
        for field in fields:
            label = text.find(flat(field.label), position)
            assert label >= 0, (name, event, field.key, field.label)
            value = text.find(flat(field.shown), label + len(flat(field.label)))
            assert value >= 0, (name, event, field.key, field.shown)
            position = value + len(flat(field.shown))


def test_the_resident_boxes_are_the_ones_the_resident_writes(tmp_path):
    form, _ = filled("印鑑登録申請書", "move_in", "")
    resident = {f.key for f in form.fields if f.status == RESIDENT}
    assert {"seal_impression", "guarantor_name", "guarantor_seal", "agent", "delegator"} <= resident
    text = flat(pdf_text(render_form(form, tmp_path / "seal.pdf")))
    for words in ("登録する印鑑（印影）", "保証書（保証人が記入）", "代理人選任届", "ご本人が記入"):
        assert words in text


def _procedure(name: str, rows: tuple[str, ...]) -> PlannedProcedure:
    return PlannedProcedure(
        id="test",
        name=name,
        department="市民課",
        department_key="shimin",
        counter="1階",
        order=1,
        members=rows,
        member_names=(),
        status="required",
        reason="",
        deadline=None,
        deadline_moved_from=None,
        deadline_note="",
        fee=300,
        fee_label="",
        fee_revenue="",
        benefit=0,
        documents=(),
        forms=(),
        online=False,
        online_note="",
        legal_basis="",
        note="",
    )


def _profile():
    from counter.profile import load_profile

    return load_profile("312029")


# --- the cases the issue names ---------------------------------------------------------

FOREIGN = {
    "nationality": "VN",
    "residence_status": "技術・人文知識・国際業務",
    "residence_period": "3年",
    "residence_expiry": "2028-05-01",
    "residence_card_number": "AB12345678CD",
}


def assert_printed(text: str, *pairs: tuple[str, str]) -> None:
    """Each label is printed with its value just after it (a short tag such as the value's
    origin may stand between them), the pairs in the order given."""
    position = 0
    for label, value in pairs:
        start = text.find(label, position)
        found = text.find(value, start + len(label))
        assert start >= 0 and 0 <= found - start - len(label) <= 16, (label, value)
        position = found + len(value)


def moving_form(case, catalogue, profile) -> FilledForm:
    """The 住民異動届 of the case's plan, filled as the counter fills it."""
    result = plan(case, catalogue, profile, filed_on=ON)
    return next(f for f in forms_for_visit(result, case, profile, VISIT) if f.name == "住民異動届")


FAMILY_STAY = {"residence_status": "家族滞在", "residence_card_number": "XY87654321ZW"}


def test_a_foreign_households_moving_in_form_carries_its_residence_facts(
    tmp_path, catalogue, profile
):
    members = [
        member("m1", subject=True, name="グエン　ヴァン　アン", kana="グエン　ヴァン　アン",
               **FOREIGN),
        member("m2", subject=True, name="グエン　ティ　ラン", kana="グエン　ティ　ラン",
               sex="female", relation="spouse", birth_date="1992-05-05",
               **(FOREIGN | FAMILY_STAY)),
        member("m3", subject=True, name="米子　花子", kana="ヨナゴ　ハナコ", sex="female",
               relation="cohabitant", birth_date="1993-03-03"),
    ]  # fmt: skip
    case = case_of("move_in", "2026-11-20", members, previous_address=PREVIOUS)
    idou = moving_form(case, catalogue, profile)
    assert idou.field("residence_status", "m1").value == "技術・人文知識・国際業務"
    assert idou.field("residence_period", "m1").value == "3年"
    assert idou.field("residence_expiry", "m1").value == "令和10年5月1日（月）"
    assert idou.field("residence_card_number", "m2").value == "XY87654321ZW"
    assert idou.field("nationality", "m2").value == "ベトナム"
    assert idou.field("relation", "m2").value == "妻"
    assert idou.field("relation", "m3").value == "同居人"
    # A Japanese member has none: printed so, never left for the counter.
    assert idou.field("residence_card_number", "m3").value == "該当なし（日本国籍）"
    assert "residence_status#m3" not in {i.key for i in staff_inputs([idou])}
    # And a foreign resident has no 本籍 or 筆頭者: printed so, never asked of the counter.
    assert idou.field("honseki", "m1").value == "該当なし（外国籍）"
    assert idou.field("koseki_head", "m2").value == "該当なし（外国籍）"
    asked = {i.key for i in staff_inputs([idou])}
    assert not {"honseki#m1", "koseki_head#m1", "honseki#m2", "koseki_head#m2"} & asked
    assert {"honseki#m3", "koseki_head#m3"} <= asked  # the Japanese member's, typed
    text = flat(pdf_text(render_form(idou, tmp_path / "idou.pdf")))
    assert_printed(
        text,
        ("在留資格（法30条の45の区分）", "技術・人文知識・国際業務"),
        ("在留期間", "3年"),
        ("在留期間の満了の日", "令和10年5月1日（月）"),
        ("在留カード等の番号", "AB12345678CD"),
        ("在留資格（法30条の45の区分）", "家族滞在"),
        ("続柄", "同居人"),
    )
    assert text.index("AB12345678CD") < text.index("XY87654321ZW")  # rows in order


def test_a_residence_certificate_asked_by_an_agent_carries_the_proxy_part(
    tmp_path, catalogue, profile
):
    household = pilot_household()
    choices = CertificateChoices.start(household, household.members[0].id)
    choices.visitor = "agent"
    choices.name = "代理　一郎"
    choices.flags = {"proxy_letter", "photo_id"}
    choices.purpose = "年金の手続き"
    visit = certificate_visit(choices.decision(ON, profile), household, profile, catalogue, on=ON)
    forms = forms_for_visit(
        visit.plan, visit.cases[0], profile, VISIT, more_cases=visit.cases[1:], given=visit.given
    )
    form = next(f for f in forms if f.name == "住民票の写し等交付申請書")
    assert form.field("applicant_type").value == "代理人（委任状あり）"
    assert form.field("applicant_name").value == "代理　一郎"
    assert form.field("scope").value == "世帯全員"
    assert form.field("removed").value == "請求なし（現在の住民票）"
    # Someone from outside: their own address is asked at the counter, never the household's.
    assert form.field("applicant_address").status == BLANK
    assert form.field("delegator").status == RESIDENT
    assert [r.member_id for s in form.sections for r in s.rows] == [m.id for m in household.members]
    text = flat(pdf_text(render_form(form, tmp_path / "agent.pdf")))
    assert_printed(
        text,
        ("請求者の氏名", "代理一郎"),
        ("必要な方との関係（本人・同一世帯の方・代理人など）", "代理人（委任状あり）"),
        ("世帯全員・世帯の一部", "世帯全員"),
        ("使いみち（提出先）", "年金の手続き"),
        ("委任状（代理人が請求するとき）", "委任者（必要な方）の住所・氏名"),
        ("", "ご本人が記入"),
    )
    assert text.index("請求者（窓口に来られた方）") < text.index("必要な方の世帯")
    assert text.index("必要な証明") < text.index("委任状（代理人が請求するとき）")


def test_a_member_asking_for_the_household_gives_their_own_address_and_birth_date(profile):
    household = pilot_household()
    head = household.members[0]
    choices = CertificateChoices.start(household, head.id)
    from forms.certificate_forms import certificate_form_values

    values = certificate_form_values(choices.decision(ON, profile), household)
    assert values["applicant_address"] == household.address.text
    assert values["applicant_birth_date"] == "平成2年4月1日"
    assert values["certificate_scope"] == "世帯全員"


def test_the_relation_is_printed_as_the_juminhyo_writes_it_on_the_form(
    tmp_path, catalogue, profile
):
    members = [
        member("h", subject=True, birth_date="1980-06-01"),
        member("a", subject=True, name="米子　一郎", kana="ヨナゴ　イチロウ",
               relation="sibling", birth_date="1978-02-02"),
        member("b", subject=True, name="米子　三郎", kana="ヨナゴ　サブロウ",
               relation="sibling", birth_date="1984-02-02"),
        member("c", subject=True, name="米子　和子", kana="ヨナゴ　カズコ", sex="female",
               relation="sibling", birth_date="1976-02-02"),
        member("d", subject=True, name="米子　春子", kana="ヨナゴ　ハルコ", sex="female",
               relation="sibling", birth_date="1990-02-02"),
        member("e", subject=True, name="米子　トメ", kana="ヨナゴ　トメ", sex="female",
               relation="fathers_parent", birth_date="1930-02-02"),
        member("f", subject=True, name="米子　翔", kana="ヨナゴ　ショウ",
               relation="grandchild", birth_date="2024-02-02"),
    ]  # fmt: skip
    idou = moving_form(case_of("move_within", "2026-11-20", members), catalogue, profile)
    labels = [idou.field("relation", m["id"]).value for m in members]
    assert labels == ["世帯主", "兄", "弟", "姉", "妹", "父の母", "子の子"]
    text = flat(pdf_text(render_form(idou, tmp_path / "relations.pdf")))
    # each after its label and the tag saying it comes from the register
    assert re.findall(r"続柄〔住民記録〕(世帯主|兄|弟|姉|妹|父の母|子の子)", text) == labels
    assert "孫" not in text


def test_every_form_here_has_its_yoshiki_and_a_number_typed_is_masked(tmp_path):
    for name, events, certificate in FORMS:
        form, definition = filled(name, events[0], certificate)
        assert definition.yoshiki is not None and definition.yoshiki.source, name
        for field in form.fields:
            if field.number_key is not None:
                assert mynumber_person(field.number_key) and NUMBER not in field.value


def test_the_mothers_number_on_the_low_birth_weight_form_is_the_mothers_own_input():
    """母の個人番号: the register says who the mother is (the head's wife here), so the box
    asks for her number, the same input as her own row anywhere else, never the claimant's."""
    form, _ = filled("低体重児出生届", "birth", "")
    box = form.field("mother_mynumber")
    assert box.number_key == "mynumber#m2" and box.value.endswith("9018")  # masked, hers
    asked = [i for i in staff_inputs([form]) if i.key == "mynumber#m2"]
    assert [i.label for i in asked] == ["個人番号（米子　花子）"]
