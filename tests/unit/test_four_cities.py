"""One household planned in the four cities (issue 20 point 4): where the plans differ,
and the profile value each difference comes from.

The household moves in on Monday 15 June 2026: a working-age couple, a 3-year-old, a
16-year-old and the head's 70-year-old mother, all in 国民健康保険. The catalogue is the
same; only counter/data/municipalities/<code>.toml changes.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from counter.catalogue import load_catalogue
from counter.interchange import parse_event_case
from counter.plan import Plan
from counter.profile import load_profile
from counter.rules import plan

YONAGO, SUMOTO, YASUGI, SHIMONOSEKI = "312029", "282057", "322067", "352012"
CITIES = (YONAGO, SUMOTO, YASUGI, SHIMONOSEKI)
ADDRESSES = {
    YONAGO: ("6830823", "鳥取県米子市加茂町二丁目1番地"),
    SUMOTO: ("6560025", "兵庫県洲本市本町三丁目1番地"),
    YASUGI: ("6920001", "島根県安来市赤江町1番地"),
    SHIMONOSEKI: ("7500008", "山口県下関市田中町1番地"),
}
MOVED_ON, FILED_ON = "2026-06-15", date(2026, 6, 17)


def person(pid: str, name: str, kana: str, born: str, sex: str, relation: str, **extra):
    return {
        "id": pid, "name": name, "kana": kana, "birth_date": born, "sex": sex,
        "relation": relation, "health_insurance": "national", "subject": True, **extra,
    }  # fmt: skip


FAMILY = [
    person("m1", "山田　一郎", "ヤマダ　イチロウ", "1988-05-10", "male", "head"),
    person("m2", "山田　花子", "ヤマダ　ハナコ", "1990-08-20", "female", "spouse"),
    person("m3", "山田　陽菜", "ヤマダ　ヒナ", "2023-01-10", "female", "child"),  # 3
    person("m4", "山田　健二", "ヤマダ　ケンジ", "2010-02-01", "male", "child"),  # 16
    person("m5", "山田　正子", "ヤマダ　マサコ", "1955-09-01", "female", "parent"),  # 70
]
CATALOGUE = load_catalogue()


def plan_in(code: str, event: str, event_date: str, members: list[dict], **answers) -> Plan:
    postal_code, address = ADDRESSES[code]
    case = parse_event_case(
        {
            "municipality": code,  # the household's municipality picks the profile
            "event": event,
            "event_date": event_date,
            "address": {"postal_code": postal_code, "text": address},
            "members": members,
            "answers": answers,
        }
    )
    profile = load_profile(case.municipality)
    return plan(case, CATALOGUE.with_profile(profile), profile, filed_on=FILED_ON)


@pytest.fixture(scope="module")
def move_in() -> dict[str, Plan]:
    return {code: plan_in(code, "move_in", MOVED_ON, FAMILY) for code in CITIES}


def line(result: Plan, procedure: str):
    return next(p for p in result.procedures if p.id == procedure)


def test_the_same_procedures_in_the_same_visiting_order(move_in):
    # Every profile orders its departments 1 (shimin) … 11 (nenkin) alike (the order of
    # the three new cities is unconfirmed, so it follows 米子市's), so the walk is the same.
    walks = {
        code: [(p.id, p.department_key) for p in plan.procedures] for code, plan in move_in.items()
    }
    assert walks[SUMOTO] == walks[YASUGI] == walks[SHIMONOSEKI] == walks[YONAGO]


def test_department_and_counter_names_are_each_citys(move_in):
    notices = {code: line(p, "move_in_notification") for code, p in move_in.items()}
    names = {code: (n.department, n.counter) for code, n in notices.items()}
    # 312029.toml departments.shimin: 市民課 / 1階 市民課窓口 (both unconfirmed).
    assert names[YONAGO] == ("市民課", "1階 市民課窓口")
    # 282057.toml departments.shimin: 市民課 / 洲本庁舎 市民課, from the city's 印鑑登録 page.
    assert names[SUMOTO] == ("市民課", "洲本庁舎 市民課")
    # 322067.toml and 352012.toml: no department name was found, so the profile says what
    # the department does and the counter is the office (Japan Post's office data).
    assert names[YASUGI] == ("戸籍・住民票の担当課", "安来市役所")
    assert names[SHIMONOSEKI] == ("戸籍・住民票の担当課", "下関市役所")
    nhi = {code: line(p, "nhi_join_move_in").department for code, p in move_in.items()}
    # departments.hoken: 米子市 保険年金課 (unconfirmed); the others describe it.
    assert nhi == {
        YONAGO: "保険年金課",
        SUMOTO: "国民健康保険・年金の担当課",
        YASUGI: "国民健康保険・年金の担当課",
        SHIMONOSEKI: "国民健康保険・年金の担当課",
    }


def test_fees_and_deadlines_do_not_differ(move_in):
    # fees.residence_certificate is 300 in every profile: the common amount, unconfirmed
    # in all four (no city's fee table was found), so no difference is claimed.
    assert {line(p, "residence_certificate").fee for p in move_in.values()} == {300}
    # No profile has extra_closed_days and a holiday counter never moves a deadline
    # (地方自治法4条の2), so the 転入届 is due on the same day everywhere.
    assert {line(p, "move_in_notification").deadline for p in move_in.values()} == {
        date(2026, 6, 29)
    }


def test_child_medical_covers_the_16_year_old_except_in_sumoto(move_in):
    covered = {code: line(p, "child_medical_move_in").members for code, p in move_in.items()}
    # child_medical.until_march31_after_age on 2026-06-15: 米子市 18 (unconfirmed),
    # 安来市 18 (from 2025-04-01, its 子ども医療費助成制度 page), 下関市 18 (高校生等 from
    # 2023-10-01, its page); 洲本市 15, 兵庫県's own range, the city's unconfirmed.
    assert covered == {
        YONAGO: ("m3", "m4"),
        SUMOTO: ("m3",),
        YASUGI: ("m3", "m4"),
        SHIMONOSEKI: ("m3", "m4"),
    }
    payers = {code: load_profile(code).child_medical(date(2026, 6, 15)).payer for code in CITIES}
    # child_medical.payer: the prefecture's scheme with the city's top-up in all four.
    assert set(payers.values()) == {"shared"}


@pytest.mark.parametrize(
    ("code", "day", "age"),
    [
        (YASUGI, date(2025, 3, 31), 15),  # 中学3年生まで until 31 March 2025
        (YASUGI, date(2025, 4, 1), 18),  # 高校生年代 from April 2025
        (SHIMONOSEKI, date(2023, 9, 30), 15),
        (SHIMONOSEKI, date(2023, 10, 1), 18),  # 高校生等 (入院) from October 2023
    ],
)
def test_child_medical_age_changes_on_the_day_the_city_changed_it(code, day, age):
    assert load_profile(code).child_medical(day).until_age == age


def test_no_other_city_speaks_of_yonago(move_in):
    # Reasons, notes and documents say {city}; the catalogue names no city of its own.
    for code in (SUMOTO, YASUGI, SHIMONOSEKI):
        assert "米子" not in json.dumps(move_in[code].to_json(), ensure_ascii=False)


@pytest.mark.parametrize(
    ("insurance", "born", "procedure", "amounts"),
    [
        # The 70-year-old in 国保: benefits.nhi_funeral_grant is 50,000 in every profile,
        # the common amount, unconfirmed in all four (no city's page was found).
        (
            "national",
            "1955-09-01",
            "funeral_grant_nhi",
            {YONAGO: 50000, SUMOTO: 50000, YASUGI: 50000, SHIMONOSEKI: 50000},
        ),
        # An 80-year-old in 後期高齢者医療: the prefecture's 広域連合 pays
        # (benefits.late_elderly_funeral_grant): 兵庫県 and 山口県 5万円 (member cities'
        # pages); 島根県 unconfirmed 5万円; 鳥取県 unconfirmed 3万円.
        (
            "late_elderly",
            "1946-01-20",
            "funeral_grant_late_elderly",
            {YONAGO: 30000, SUMOTO: 50000, YASUGI: 50000, SHIMONOSEKI: 50000},
        ),
    ],
)
def test_funeral_grant_is_the_citys_or_its_prefectures(insurance, born, procedure, amounts):
    deceased = {**FAMILY[4], "birth_date": born, "health_insurance": insurance}
    family = [deceased, {**FAMILY[0], "subject": False}]
    plans = {
        code: plan_in(code, "death", "2026-06-12", family, funeral_held="yes") for code in CITIES
    }
    grants = {code: line(p, procedure) for code, p in plans.items()}
    assert {code: g.benefit for code, g in grants.items()} == amounts
    for code, grant in grants.items():
        assert f"{amounts[code]:,}円" in grant.reason
