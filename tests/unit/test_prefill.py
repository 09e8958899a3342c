"""Which forms a visit prints and which value goes in which field."""

from __future__ import annotations

from datetime import date

from conftest import birth_family, case_of, member, spouse

from counter.rules import plan
from forms.prefill import (
    BLANK,
    PREFILLED,
    TYPED,
    VisitInfo,
    check_typed,
    forms_for_visit,
    staff_inputs,
)

VISIT = VisitInfo(reception_number=17, office_date=date(2026, 11, 20), staff_name="窓口　一郎")
PREVIOUS = {"postal_code": "6800011", "text": "鳥取県鳥取市東町一丁目220番地"}


def move_in_family() -> list[dict]:
    return [
        member("m1", subject=True),
        spouse(subject=True),
        member(
            "m3",
            name="米子　蓮",
            kana="ヨナゴ　レン",
            birth_date="2016-09-01",
            relation="child",
            subject=True,
        ),
        member(
            "m4",
            name="𠮷田　結衣",
            kana="ヨシダ　ユイ",
            birth_date="2023-02-02",
            sex="female",
            relation="child",
            subject=True,
        ),
    ]


def visit_forms(catalogue, profile, event, event_date, members, typed=None, **extra):
    case = case_of(event, event_date, members, **extra)
    result = plan(case, catalogue, profile, filed_on=VISIT.office_date)
    return result, forms_for_visit(result, case, profile, VISIT, typed)


def by_name(forms):
    return {form.name: form for form in forms}


def test_move_in_of_four_fills_every_known_value(catalogue, profile):
    _, forms = visit_forms(
        catalogue,
        profile,
        "move_in",
        "2026-11-16",
        move_in_family(),
        previous_address=PREVIOUS,
        answers={"dog": "yes", "seal": "no", "moped": "no", "nursery": "no"},
    )
    forms = by_name(forms)
    assert {"住民異動届", "国民健康保険 資格取得届", "児童手当 認定請求書", "転入学届"} <= set(
        forms
    )
    assert "犬の登録事項変更届" in forms and "印鑑登録申請書" not in forms
    idou = forms["住民異動届"]
    assert [r.member_name for s in idou.sections for r in s.rows] == [
        "米子　太郎",
        "米子　花子",
        "米子　蓮",
        "𠮷田　結衣",
    ]
    assert idou.field("kind").value == "転入"
    assert idou.field("moved_on").value == "令和8年11月16日（月）"
    assert idou.field("filed_on").value == "令和8年11月20日（金）"
    assert idou.field("new_address").value == "鳥取県米子市加茂町二丁目1番地"
    assert idou.field("new_postal_code").value == "〒683-0823"
    assert idou.field("previous_address").value == PREVIOUS["text"]
    assert idou.field("addressee").value == "米子市長"
    assert idou.field("name", "m4").value == "𠮷田　結衣"
    assert idou.field("kana", "m2").value == "ヨナゴ　ハナコ"
    assert idou.field("birth_date", "m1").value == "平成2年4月1日（日）"
    assert idou.field("relation", "m2").value == "妻"  # 米子　花子 is a woman
    assert idou.field("sex", "m4").value == "女"
    assert idou.field("name", "m1").status == PREFILLED
    children = forms["児童手当 認定請求書"]
    assert [r.member_id for s in children.sections for r in s.rows] == ["m3", "m4"]
    school = forms["転入学届"]
    assert [r.member_id for s in school.sections for r in s.rows] == ["m3"]
    assert idou.prefilled_count > 30 and idou.typed_count == 0


def test_unknown_values_are_blank_and_marked_never_guessed(catalogue, profile):
    _, forms = visit_forms(catalogue, profile, "move_in", "2026-11-16", move_in_family())
    idou = by_name(forms)["住民異動届"]
    previous = idou.field("previous_address")
    assert previous.status == BLANK and previous.value == ""
    assert previous.shown == "窓口で記入"
    number = idou.field("mynumber", "m1")
    assert number.status == BLANK and "印字しません" in number.note
    moped = by_name(forms)["軽自動車税（種別割）申告書"].field("has_moped")
    assert moped.status == BLANK  # わからない stays for the counter


def test_birth_fills_the_child_and_the_parents(catalogue, profile):
    _, forms = visit_forms(catalogue, profile, "birth", "2026-11-20", birth_family())
    forms = by_name(forms)
    assert {
        "出生届",
        "児童手当 認定請求書",
        "国民健康保険 資格取得届",
        "子ども医療費 受給資格申請書",
    } <= set(forms)
    birth = forms["出生届"]
    assert [r.member_id for s in birth.sections for r in s.rows] == ["m3"]
    assert birth.field("name", "m3").value == "米子　陽翔"
    assert birth.field("born_on", "m3").value == "令和8年11月20日（金）"
    assert birth.field("father").value == "米子　太郎"
    assert birth.field("mother").value == "米子　花子"
    assert birth.field("mother_birth_date").value == "平成4年6月15日（月）"
    assert birth.field("head").value == "米子　太郎"
    assert birth.field("birth_place", "m3").status == BLANK
    medical = forms["子ども医療費 受給資格申請書"]
    assert medical.field("insurance", "m3").value == "未加入"


def test_death_names_the_deceased_and_the_grant(catalogue, profile):
    members = [
        member("h", birth_date="1945-01-01", health_insurance="late_elderly", subject=True),
        member("s", name="米子　花子", birth_date="1952-02-02", relation="spouse", sex="female"),
        member(
            "c",
            name="米子　一郎",
            birth_date="1980-05-05",
            relation="child",
            health_insurance="employee",
        ),
    ]
    _, forms = visit_forms(
        catalogue, profile, "death", "2026-11-10", members, answers={"funeral_held": "yes"}
    )
    forms = by_name(forms)
    assert {"死亡届", "葬祭費支給申請書", "後期高齢者医療 資格関係届", "住民異動届"} <= set(forms)
    death = forms["死亡届"]
    assert death.field("name", "h").value == "米子　太郎"
    assert death.field("died_on", "h").value == "令和8年11月10日（火）"
    assert death.field("birth_date", "h").value == "昭和20年1月1日（月）"
    grant = forms["葬祭費支給申請書"]
    assert grant.field("funeral_held").value == "はい"
    assert grant.field("insurance", "h").value == "後期高齢者医療"
    assert grant.field("amount").value.endswith("円")
    assert grant.field("chief_mourner").status == BLANK
    head_change = forms["住民異動届"]
    assert [r.member_id for s in head_change.sections for r in s.rows] == ["s", "c"]
    assert head_change.field("kind").value == "死亡"


def test_no_datum_is_asked_twice_and_one_typing_fills_every_form(catalogue, profile):
    args = (catalogue, profile, "move_in", "2026-11-16", move_in_family())
    _, forms = visit_forms(*args, answers={"dog": "yes", "seal": "yes"})
    inputs = staff_inputs(forms)
    keys = [i.key for i in inputs]
    assert len(keys) == len(set(keys))
    phone = next(i for i in inputs if i.key == "contact_phone")
    assert len(phone.forms) >= 5
    typed = {i.key: f"入力{n}" for n, i in enumerate(inputs)}
    _, filled = visit_forms(*args, typed=typed, answers={"dog": "yes", "seal": "yes"})
    for form in filled:
        for field in form.fields:
            if field.datum_key is not None:
                assert field.status in (PREFILLED, TYPED), (form.name, field.key)
            if field.status == TYPED:
                assert field.value == typed[field.datum_key]
            if field.status == BLANK:
                assert field.datum_key is None  # only the individual number stays blank
    phones = {f.value for form in filled for f in form.fields if f.key == "phone"}
    assert phones == {typed["contact_phone"]}
    assert sum(form.typed_count for form in filled) > len(inputs)
    assert staff_inputs(filled)[0].value == typed[inputs[0].key]


def test_the_previous_address_from_the_moving_out_certificate_is_not_asked(catalogue, profile):
    _, forms = visit_forms(
        catalogue, profile, "move_in", "2026-11-16", move_in_family(), previous_address=PREVIOUS
    )
    assert "previous_address" not in {i.key for i in staff_inputs(forms)}
    _, forms = visit_forms(catalogue, profile, "move_in", "2026-11-16", move_in_family())
    assert "previous_address" in {i.key for i in staff_inputs(forms)}


def test_what_staff_type_is_checked_and_normalised_per_datum(catalogue, profile):
    args = (catalogue, profile, "move_in", "2026-11-16", move_in_family())
    _, forms = visit_forms(*args, answers={"seal": "yes"})
    inputs = staff_inputs(forms)
    formats = {i.key: i.format for i in inputs}
    assert formats["contact_phone"] == "phone"
    typed = {
        "contact_phone": "０８５９ー２３ー５１１１",
        "applicant_type": " 代理人　山田　花子 ",
    }
    values, errors = check_typed(inputs, typed)
    assert errors == {}
    assert values["contact_phone"] == "0859-23-5111"
    assert values["applicant_type"] == "代理人　山田　花子"  # U+3000 kept, ASCII edges trimmed
    assert all(values[i.key] == "" for i in inputs if i.key not in typed)
    _, filled = visit_forms(*args, typed=values, answers={"seal": "yes"})
    phones = [f for form in filled for f in form.fields if f.datum_key == "contact_phone"]
    assert len(phones) >= 5 and {f.value for f in phones} == {"0859-23-5111"}

    values, errors = check_typed(inputs, {**typed, "contact_phone": "123"})
    assert list(errors) == ["contact_phone"] and "電話番号" in errors["contact_phone"]
    assert "contact_phone" not in values


def test_the_birth_registration_takes_the_parents_honseki_only_when_they_agree(catalogue, profile):
    """The child enters its parents' 本籍: filled from the register when every parent has
    the same one, typed by staff when one is unknown or they differ (never guessed)."""
    yonago = {"municipality": "312029", "text": "鳥取県米子市加茂町二丁目1番地"}
    sakai = {"municipality": "312045", "text": "鳥取県境港市上道町3000番地"}
    for father, mother, expected in (
        (yonago, yonago, yonago["text"]),
        (yonago, None, None),
        (yonago, sakai, None),
    ):
        family = birth_family()
        family[0]["honseki"], family[1]["honseki"] = father, mother
        _, forms = visit_forms(catalogue, profile, "birth", "2026-11-20", family)
        honseki = by_name(forms)["出生届"].field("honseki")
        if expected:
            assert honseki.status == PREFILLED and honseki.value == expected
        else:
            assert honseki.status == BLANK and honseki.datum_key == "parents_honseki"


def test_the_birth_registration_gives_the_parents_ages_on_the_day_of_the_birth(catalogue, profile):
    """「子が生まれたときの年齢」: 米子　花子 (1992-06-15) was 33 on the day of the birth
    (2026-06-14), though 34 on the day the form is filed (2026-11-20)."""
    _, forms = visit_forms(
        catalogue, profile, "birth", "2026-06-14", birth_family(date="2026-06-14")
    )
    birth = by_name(forms)["出生届"]
    assert birth.field("mother_age").value == "33歳"
    assert birth.field("father_age").value == "36歳"
