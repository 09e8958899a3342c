"""A foreign resident's facts the register holds (住民基本台帳法30条の45): 在留資格 or 区分,
在留期間, its 満了の日 and the 在留カード等の番号, read from the household format and the
register CSV, optional, refused for a Japanese national, the card number normalised and
the words kept exactly."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import case_of, member

from counter.interchange import HouseholdFormatError, event_case_to_dict, parse_event_case
from counter.register_csv import RegisterCsvError, format_register_csv, parse_register_csv

FACTS = {
    "nationality": "VN",
    "residence_status": "技術・人文知識・国際業務",
    "residence_period": "3年",
    "residence_expiry": "2028-05-01",
    "residence_card_number": "ａｂ１２３４ ５６７８－ｃｄ",
}


def test_the_facts_are_read_and_the_card_number_normalised():
    case = case_of("move_in", "2026-11-16", [member("m1", subject=True, **FACTS)])
    (m,) = case.household.members
    assert m.residence_status == "技術・人文知識・国際業務"
    assert m.residence_period == "3年"
    assert m.residence_expiry == date(2028, 5, 1)
    assert m.residence_card_number == "AB12345678CD"
    data = event_case_to_dict(case)["members"][0]
    assert data["residence_card_number"] == "AB12345678CD"
    assert data["residence_expiry"] == "2028-05-01"
    assert parse_event_case(event_case_to_dict(case)) == case


def test_the_facts_are_optional_and_absent_ones_are_not_written():
    case = case_of("move_in", "2026-11-16", [member("m1", subject=True, nationality="KR")])
    (m,) = case.household.members
    assert (m.residence_status, m.residence_expiry, m.residence_card_number) == ("", None, "")
    assert "residence_status" not in event_case_to_dict(case)["members"][0]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"nationality": "JP"}, "residence_status", "外国籍の方だけ"),
        ({"residence_card_number": "AB1234"}, "residence_card_number", "英数字12文字"),
        ({"residence_card_number": "ＡＢ１２３４５６７８ＣＤＥ"}, "residence_card_number", "12"),
        ({"residence_expiry": "2028-02-30"}, "residence_expiry", "存在しない日付"),
        ({"residence_expiry": "1980-01-01"}, "residence_expiry", "生年月日"),
        ({"residence_status": "永住者\x07"}, "residence_status", ""),
    ],
)
def test_a_bad_fact_is_one_line_naming_the_field(change, field, words):
    with pytest.raises(HouseholdFormatError) as error:
        case_of("move_in", "2026-11-16", [member("m1", subject=True, **(FACTS | change))])
    assert error.value.field == f"members[0].{field}" and words in error.value.message


HEADER = (
    "household_id,resident_id,relation,name,kana,birth_date,sex,postal_code,address,"
    "health_insurance,nationality,residence_status,residence_period,residence_expiry,"
    "residence_card_number"
)
ROW = (
    "H1,H1-1,head,グエン　ヴァン　アン,グエン　ヴァン　アン,1990-04-01,male,683-0823,"
    "鳥取県米子市加茂町二丁目1番地,national"
)


def test_the_register_csv_takes_the_facts():
    text = f"{HEADER}\n{ROW},VN,特別永住者,,,ａｂ１２３４５６７８ｃｄ\n"
    (household,) = parse_register_csv(text, today=date(2026, 11, 20))
    (m,) = household.members
    assert (m.residence_status, m.residence_period, m.residence_expiry) == ("特別永住者", "", None)
    assert m.residence_card_number == "AB12345678CD"
    again = parse_register_csv(format_register_csv([household]), today=date(2026, 11, 20))
    assert again == [household]


def test_the_register_csv_names_each_bad_fact():
    text = "\n".join(
        [
            HEADER,
            f"{ROW},JP,永住者,,,",
            f"{ROW.replace('H1-1', 'H1-2').replace(',head,', ',spouse,')},VN,,,R10.2.30,X1",
        ]
    )
    with pytest.raises(RegisterCsvError) as error:
        parse_register_csv(text, today=date(2026, 11, 20))
    lines = error.value.lines
    assert any(line.startswith("2行目: residence_status: ") for line in lines), lines
    assert any(line.startswith("3行目: residence_expiry: ") for line in lines), lines
    assert any(line.startswith("3行目: residence_card_number: ") for line in lines), lines
