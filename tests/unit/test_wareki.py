"""counter.wareki: era formatting, strict parsing of what staff type, age arithmetic."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from japanera import EraDate

from counter.wareki import (
    DateFormatError,
    age_on,
    era_year,
    first_march_31_after_age,
    format_wareki,
    parse_date,
    school_grade_year,
)

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


# --- format_wareki ---------------------------------------------------------


def test_format_example() -> None:
    assert format_wareki(date(2026, 12, 3)) == "令和8年12月3日（木）"
    assert format_wareki(date(2026, 12, 3), weekday=False) == "令和8年12月3日"


def test_format_uses_fullwidth_parentheses() -> None:
    text = format_wareki(date(2026, 12, 3))
    assert text[-3] == "\uff08" and text[-1] == "\uff09"


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2019, 5, 1), "令和元年5月1日（水）"),
        (date(2019, 4, 30), "平成31年4月30日（火）"),
        (date(1989, 1, 8), "平成元年1月8日（日）"),
        (date(1989, 1, 7), "昭和64年1月7日（土）"),
        (date(1926, 12, 25), "昭和元年12月25日（土）"),
        (date(1926, 12, 24), "大正15年12月24日（金）"),
        (date(1912, 7, 30), "大正元年7月30日（火）"),
        (date(1912, 7, 29), "明治45年7月29日（月）"),
        (date(1873, 1, 1), "明治6年1月1日（水）"),
    ],
)
def test_format_era_boundaries(d: date, expected: str) -> None:
    assert format_wareki(d) == expected


def test_format_weekdays_cover_the_week() -> None:
    # 2026-11-16 is a Monday.
    days = [format_wareki(date(2026, 11, 16 + i))[-2] for i in range(7)]
    assert "".join(days) == "月火水木金土日"


def test_format_rejects_dates_before_supported_range() -> None:
    with pytest.raises(ValueError, match="対応していません"):
        format_wareki(date(1872, 12, 31))
    with pytest.raises(ValueError):
        format_wareki(date(1800, 1, 1))


def test_era_year() -> None:
    assert era_year(date(2019, 5, 1)) == ("令和", 1)
    assert era_year(date(1989, 1, 7)) == ("昭和", 64)


@given(st.dates(min_value=date(1873, 1, 1), max_value=date(2100, 12, 31)))
def test_era_matches_japanera_oracle(d: date) -> None:
    oracle = EraDate.from_date(d)
    assert era_year(d) == (oracle.era.kanji, int(oracle.strftime("%-Y")))
    year = int(oracle.strftime("%-Y"))
    expected = f"{oracle.era.kanji}{'元' if year == 1 else year}年{d.month}月{d.day}日"
    assert format_wareki(d) == f"{expected}（{oracle.strftime('%-a')}）"


# --- parse_date: accepted forms ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-20",
        "2026/11/20",
        "2026.11.20",
        "20261120",
        "2026年11月20日",
        "令和8年11月20日",
        "R8.11.20",
        "R8/11/20",
        "r8.11.20",
        "R8-11-20",
        "令8.11.20",
        "令和8.11.20",
        "㋿8.11.20",
        "㋿8年11月20日",
        "２０２６－１１－２０",
        "２０２６年１１月２０日",
        "令和８年１１月２０日",
        "Ｒ８．１１．２０",
        "ｒ８／１１／２０",
        "2026ー11ー20",
        "2026−11−20",
        "令和8年11月20日（金）",
        "令和8年11月20日(金曜日)",
        "\u3000令和8年11月20日\u3000",
        " \t2026-11-20 \n",
        "令和 8年 11月 20日",
        "R08.11.20",
    ],
)
def test_parse_accepts(text: str) -> None:
    assert parse_date(text) == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("S50.1.1", date(1975, 1, 1)),
        ("s50.1.1", date(1975, 1, 1)),
        ("昭和50年1月1日", date(1975, 1, 1)),
        ("昭50.1.1", date(1975, 1, 1)),
        ("㍼50.1.1", date(1975, 1, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("㍻31.4.30", date(2019, 4, 30)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("T1.7.30", date(1912, 7, 30)),
        ("㍽15.12.24", date(1926, 12, 24)),
        ("M45.7.29", date(1912, 7, 29)),
        ("㍾6.1.1", date(1873, 1, 1)),
        ("明治6年1月1日", date(1873, 1, 1)),
        ("2024-2-29", date(2024, 2, 29)),
        ("2026/1/5", date(2026, 1, 5)),
    ],
)
def test_parse_accepts_eras(text: str, expected: date) -> None:
    assert parse_date(text) == expected


# --- parse_date: rejections, each with a specific Japanese message ---------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "2026年2月30日は存在しない日付です"),
        ("2026-13-01", "2026年13月1日は存在しない日付です"),
        ("20260230", "2026年2月30日は存在しない日付です"),
        ("平成31年2月29日", "平成31年2月29日は存在しない日付です"),
        ("平成32年1月1日", "平成は2019年4月30日（平成31年4月30日）までです"),
        ("H31.5.1", "平成は2019年4月30日（平成31年4月30日）までです"),
        ("令和1年4月30日", "令和は2019年5月1日からです"),
        ("令和元年4月30日", "令和は2019年5月1日からです"),
        ("令和0年5月1日", "令和は2019年5月1日からです"),
        ("昭和64年1月8日", "昭和は1989年1月7日（昭和64年1月7日）までです"),
        ("平成元年1月7日", "平成は1989年1月8日からです"),
        ("大正15年12月25日", "大正は1926年12月24日（大正15年12月24日）までです"),
        ("明治45年7月30日", "明治は1912年7月29日（明治45年7月29日）までです"),
        ("明治5年12月2日", "1873年1月1日（明治6年）より前の日付には対応していません"),
        ("1872-12-31", "1873年1月1日（明治6年）より前の日付には対応していません"),
        ("", "日付を入力してください"),
        ("\u3000 \t", "日付を入力してください"),
        ("令和8年12月3日（金）", "2026年12月3日は木曜日です（入力は金曜日）"),
    ],
)
def test_parse_rejects_with_specific_message(text: str, message: str) -> None:
    with pytest.raises(DateFormatError) as info:
        parse_date(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "garbage",
        "2026-11",
        "26/11/20",
        "2026-11/20",
        "2026年11月",
        "X8.11.20",
        "令和",
        "令和八年十一月二十日",
        "2026-11-20-1",
        "R8.11.20.",
        "2026 11 20",
        "202611201",
        "R8 11 20",
        "٢٠٢٦-١١-٢٠",  # Arabic-Indic digits: NFKC keeps them, int() would accept them
    ],
)
def test_parse_rejects_garbage(text: str) -> None:
    with pytest.raises(DateFormatError) as info:
        parse_date(text)
    message = str(info.value)
    assert message.startswith("日付の形式が正しくありません")
    assert "令和8年11月20日" in message


def test_date_format_error_is_value_error() -> None:
    assert issubclass(DateFormatError, ValueError)


# --- round trips ------------------------------------------------------------


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_round_trip(d: date) -> None:
    assert parse_date(format_wareki(d)) == d
    assert parse_date(format_wareki(d, weekday=False)) == d
    assert parse_date(d.isoformat()) == d
    assert parse_date(d.strftime("%Y%m%d")) == d


@given(st.dates(min_value=date(1873, 1, 1), max_value=date(2100, 12, 31)))
def test_round_trip_fullwidth_and_letters(d: date) -> None:
    name, year = era_year(d)
    letter = {"令和": "R", "平成": "H", "昭和": "S", "大正": "T", "明治": "M"}[name]
    assert parse_date(f"{letter}{year}.{d.month}.{d.day}") == d
    fullwidth = format_wareki(d).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_date(f"\u3000{fullwidth}\u3000") == d


# --- age arithmetic ---------------------------------------------------------


def test_age_on_birthday_is_reached_on_the_birthday() -> None:
    birth = date(2008, 4, 1)
    assert age_on(birth, date(2026, 3, 31)) == 17
    assert age_on(birth, date(2026, 4, 1)) == 18
    assert age_on(birth, birth) == 0


def test_age_on_leap_day_birth() -> None:
    birth = date(2024, 2, 29)
    assert age_on(birth, date(2025, 2, 27)) == 0
    assert age_on(birth, date(2025, 2, 28)) == 1
    assert age_on(birth, date(2028, 2, 28)) == 3
    assert age_on(birth, date(2028, 2, 29)) == 4


def test_age_on_rejects_reference_before_birth() -> None:
    with pytest.raises(ValueError, match="生年月日より前"):
        age_on(date(2020, 1, 1), date(2019, 12, 31))


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (date(2008, 4, 1), date(2026, 3, 31)),
        (date(2008, 4, 2), date(2027, 3, 31)),
        (date(2008, 3, 31), date(2026, 3, 31)),
        (date(2008, 1, 1), date(2026, 3, 31)),
        (date(2008, 2, 29), date(2026, 3, 31)),
        (date(2007, 12, 31), date(2026, 3, 31)),
    ],
)
def test_first_march_31_after_18(birth: date, expected: date) -> None:
    assert first_march_31_after_age(birth, 18) == expected


def test_first_march_31_after_age_zero_and_negative() -> None:
    assert first_march_31_after_age(date(2020, 4, 1), 0) == date(2021, 3, 31)
    assert first_march_31_after_age(date(2020, 3, 31), 0) == date(2020, 3, 31)
    with pytest.raises(ValueError, match="0以上"):
        first_march_31_after_age(date(2020, 4, 1), -1)


@pytest.mark.parametrize(
    ("birth", "year"),
    [
        (date(2019, 4, 1), 2025),
        (date(2019, 4, 2), 2026),
        (date(2020, 4, 1), 2026),
        (date(2020, 2, 29), 2026),
        (date(2019, 12, 31), 2026),
        (date(2020, 1, 1), 2026),
    ],
)
def test_school_grade_year(birth: date, year: int) -> None:
    assert school_grade_year(birth) == year


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_school_grade_year_is_the_4_2_rule(birth: date) -> None:
    cohort = birth.year if (birth.month, birth.day) >= (4, 2) else birth.year - 1
    assert school_grade_year(birth) == cohort + 7


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(min_value=1, max_value=100),
)
def test_first_march_31_is_on_or_after_the_legal_day(birth: date, age: int) -> None:
    end = first_march_31_after_age(birth, age)
    assert (end.month, end.day) == (3, 31)
    # By the next day (1 April) the person has reached `age` by the calendar too...
    assert age_on(birth, end + timedelta(days=1)) >= age
    # ...and on the previous 31 March they had not reached it by either convention.
    assert age_on(birth, date(end.year - 1, 3, 31)) < age


# --- hygiene ------------------------------------------------------------------


def test_messages_are_japanese() -> None:
    for text in ("", "x", "2026-02-30", "平成32年1月1日", "令和1年4月30日", "1800-01-01"):
        with pytest.raises(DateFormatError) as info:
            parse_date(text)
        assert JAPANESE.search(str(info.value))
