"""The household interchange format: what is accepted, and the one-line error otherwise."""

from __future__ import annotations

import pytest
from conftest import birth_family, document, member

from counter.interchange import (
    HouseholdFormatError,
    event_case_to_dict,
    parse_event_case,
)


def test_valid_birth_document_parses_and_normalises_only_codes_and_kana():
    family = birth_family()
    family[1]["kana"] = "ﾖﾅｺﾞ　ﾊﾅｺ"
    family[0]["name"] = "髙橋　\uf929"
    doc = document(
        "birth",
        "令和8年11月20日",
        family,
        address={"postal_code": "６８３－０８２３", "text": "鳥取県米子市加茂町二丁目1番地"},
    )
    case = parse_event_case(doc)
    assert case.household.address.postal_code == "6830823"
    assert case.household.members[1].kana == "ヨナゴ　ハナコ"
    assert case.household.members[0].name == "髙橋　\uf929"
    assert case.event_date.isoformat() == "2026-11-20"
    assert [m.id for m in case.subjects] == ["m3"]


def test_round_trip_through_dict():
    case = parse_event_case(document("birth", "2026-11-20", birth_family(), answers={"dog": "no"}))
    assert parse_event_case(event_case_to_dict(case)) == case


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d.pop("event_date"), "event_date", "必須"),
        (lambda d: d.update(event_date="2026-02-30"), "event_date", "存在しない"),
        (lambda d: d.update(municipality="312020"), "municipality", "検査数字"),
        (lambda d: d.update(municipality="31202"), "municipality", "6桁"),
        (lambda d: d.update(event="wedding"), "event", "使えません"),
        (lambda d: d["address"].update(postal_code="12345"), "address.postal_code", "7桁"),
        (
            lambda d: d["members"][1].update(birth_date="1992-13-01"),
            "members[1].birth_date",
            "日付",
        ),
        (lambda d: d["members"][1].update(sex="f"), "members[1].sex", "使えません"),
        (lambda d: d["members"][0].update(relation="boss"), "members[0].relation", "使えません"),
        (lambda d: d["members"][0].update(kana="米子"), "members[0].kana", "カナ"),
        (lambda d: d["members"][0].update(mynumber_card="yes"), "members[0].mynumber_card", "true"),
        (lambda d: d["members"][0].update(height=180), "members[0].height", "書式にありません"),
        (lambda d: d["members"][1].update(id="m1"), "members[1].id", "重複"),
        (
            lambda d: d["members"][2].update(birth_date="2026-11-19"),
            "members[2].birth_date",
            "event_date",
        ),
        (
            lambda d: d["members"][0].update(birth_date="2027-01-01"),
            "members[0].birth_date",
            "後の生年月日",
        ),
        (lambda d: d["members"][2].update(subject=False), "members", "対象者"),
        (lambda d: d["members"][1].update(relation="head"), "members", "世帯主"),
        (lambda d: d.update(members=[]), "members", "1人以上"),
        (lambda d: d.update(answers={"dog": "maybe"}), "answers.dog", "yes / no / unknown"),
        (lambda d: d["members"][0].update(name="　"), "members[0].name", "空欄"),
    ],
)
def test_each_bad_field_is_named(change, field, words):
    doc = document("birth", "2026-11-20", birth_family())
    change(doc)
    with pytest.raises(HouseholdFormatError) as caught:
        parse_event_case(doc)
    assert caught.value.field == field
    assert words in caught.value.message


def test_not_an_object():
    with pytest.raises(HouseholdFormatError) as caught:
        parse_event_case([member("m1")])
    assert "オブジェクト" in caught.value.message
