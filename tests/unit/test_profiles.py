"""The municipality layer: a second city's profile changes names, fees and rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import birth_family, case_of

from counter.catalogue import CatalogueError, load_catalogue
from counter.profile import PROFILE_DIR, ProfileError, load_profile
from counter.rules import plan

SECOND_CITY = """
[municipality]
code = "131130"
name = "見本区"
prefecture = "東京都"
office = "見本区役所"
phone = "03-0000-0000"
office_hours = "平日 8時30分から17時まで"
extra_closed_days = ["2026-12-03"]

[departments.shimin]
name = "戸籍住民課"
counter = "2階 戸籍住民課"
order = 2
[departments.hoken]
name = "国保年金課"
counter = "3階"
order = 1
[departments.kaigo]
name = "介護保険課"
counter = "3階"
order = 3
[departments.kodomo]
name = "子ども家庭支援課"
counter = "4階"
order = 4
[departments.kenko]
name = "保健センター"
counter = "別棟"
order = 5
[departments.kyoiku]
name = "学務課"
counter = "5階"
order = 6
[departments.zeimu]
name = "税務課"
counter = "2階"
order = 7
[departments.kankyo]
name = "生活衛生課"
counter = "6階"
order = 8

[departments.fukushi]
name = "障害福祉課"
counter = "3階"
order = 9
[departments.shisan]
name = "課税課"
counter = "2階"
order = 10
[departments.nenkin]
name = "年金事務所"
counter = "区役所の外"
order = 11

[fees.koseki_certificate]
amount = 450
label = "戸籍謄本"
[fees.removed_koseki_certificate]
amount = 750
label = "除籍謄本"
[fees.seal_certificate]
amount = 300
label = "印鑑登録証明書"
[fees.family_register_attachment]
amount = 300
label = "戸籍の附票"
[fees.dog_registration]
amount = 3000
label = "犬の登録"
[fees.mynumber_card_reissue]
amount = 1000
label = "再交付"
elqr = false
[benefits.nhi_funeral_grant]
amount = 70000
label = "葬祭費"
[benefits.late_elderly_funeral_grant]
amount = 50000
label = "葬祭費（後期）"
[benefits.childbirth_lump_sum]
amount = 500000
label = "出産育児一時金"

[fees.residence_certificate]
amount = 200
label = "住民票の写し"
[fees.koseki_acceptance_certificate]
amount = 350
label = "受理証明書"
[fees.seal_registration]
amount = 0
label = "印鑑登録"

[child_medical]
until_march31_after_age = 15

[procedures.birth_contact_card]
name = "出生通知票の提出"
"""


@pytest.fixture
def second_city(tmp_path: Path):
    for path in PROFILE_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "131130.toml").write_text(SECOND_CITY, encoding="utf-8")
    return load_profile("131130", tmp_path)


def test_second_profile_overrides_names_fees_order_rules_and_closed_days(second_city):
    catalogue = load_catalogue().with_profile(second_city)
    family = birth_family()
    teen = {**family[2], "id": "t", "birth_date": "2010-06-01", "subject": False}
    case = case_of(
        "birth",
        "2026-11-20",
        [*family, teen],
        municipality="131130",
        answers={"residence_certificate": "yes"},
    )
    result = plan(case, catalogue, second_city, filed_on=date(2026, 11, 24))
    by_id = {p.id: p for p in result.procedures}
    assert by_id["birth_registration"].department == "戸籍住民課"
    # 2026-12-03 is closed in this city: the 出生届 deadline moves to 12/4
    assert by_id["birth_registration"].deadline == date(2026, 12, 4)
    assert by_id["residence_certificate"].fee == 200
    assert by_id["birth_contact_card"].name == "出生通知票の提出"
    assert result.procedures[0].department == "国保年金課"  # visiting order from the profile


def test_funeral_grant_amount_is_the_citys(second_city, profile, catalogue):
    family = [{**birth_family()[0], "subject": True}, birth_family()[1]]
    yonago = plan(
        case_of("death", "2026-11-10", family, answers={"funeral_held": "yes"}),
        catalogue,
        profile,
        filed_on=date(2026, 11, 12),
    )
    other = plan(
        case_of(
            "death", "2026-11-10", family, municipality="131130", answers={"funeral_held": "yes"}
        ),
        load_catalogue().with_profile(second_city),
        second_city,
        filed_on=date(2026, 11, 12),
    )
    grant = {p.id: p for p in yonago.procedures}["funeral_grant_nhi"]
    assert grant.benefit == 50000 and "50,000円" in grant.reason
    assert {p.id: p for p in other.procedures}["funeral_grant_nhi"].benefit == 70000


def test_child_medical_age_range_is_the_citys(second_city, profile, catalogue):
    family = birth_family()
    movers = [
        {**family[0], "subject": True},
        {**family[2], "birth_date": "2010-06-01", "subject": True},
    ]  # 16 years old
    yonago = plan(
        case_of("move_in", "2026-11-16", movers), catalogue, profile, filed_on=date(2026, 11, 20)
    )
    assert "child_medical_move_in" in {p.id for p in yonago.procedures}
    other = plan(
        case_of("move_in", "2026-11-16", movers, municipality="131130"),
        load_catalogue().with_profile(second_city),
        second_city,
        filed_on=date(2026, 11, 20),
    )
    assert "child_medical_move_in" not in {p.id for p in other.procedures}


def test_yonago_profile_is_the_default_demo_city():
    profile = load_profile("312029")
    assert profile.name == "米子市"
    assert profile.collector == "99999"  # demo: a collector no city has
    assert profile.department("shimin").unconfirmed


def test_missing_or_mismatched_profile_is_named(tmp_path):
    with pytest.raises(ProfileError, match="999999"):
        load_profile("999999")
    (tmp_path / "131130.toml").write_text(
        SECOND_CITY.replace('"131130"', '"312029"'), encoding="utf-8"
    )
    with pytest.raises(ProfileError, match=r"131130\.toml"):
        load_profile("131130", tmp_path)


def test_an_override_of_an_unknown_field_is_named(tmp_path):
    (tmp_path / "131130.toml").write_text(
        SECOND_CITY + '\n[procedures.birth_registration]\ncolour = "red"\n', encoding="utf-8"
    )
    profile = load_profile("131130", tmp_path)
    with pytest.raises(CatalogueError, match=r"procedures\.birth_registration"):
        load_catalogue().with_profile(profile)


@pytest.mark.parametrize("code", ["../../../tmp/evil", "31202", "３１２０２９", "312029/..", ""])
def test_a_code_that_is_not_six_digits_never_names_a_file(code):
    with pytest.raises(ProfileError, match="6桁の数字"):
        load_profile(code)
