"""Payment codes per revenue item: amounts, 納付区分, due dates and the confirmation key."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import case_of, member, spouse

from counter.billing import DEMO_KEY, bills_for_plan
from counter.payment import parse_elqr
from counter.profile import PROFILE_DIR, ProfileError, RevenueItem, load_profile
from counter.rules import plan

ANSWERS = {"dog": "yes", "residence_certificate": "yes"}


def abroad_plan(catalogue, profile):
    members = [member("m1", subject=True), spouse(subject=True)]
    case = case_of("move_in_from_abroad", "2026-11-20", members, answers=ANSWERS)
    return plan(case, catalogue, profile, filed_on=date(2026, 11, 24))


def test_each_revenue_item_gets_its_own_code(catalogue, profile):
    bills = bills_for_plan(abroad_plan(catalogue, profile), profile)
    assert [(b.item, b.amount) for b in bills] == [("certificates", 300), ("dog", 3000)]
    assert {b.category for b in bills} == {"999"} and {b.collector for b in bills} == {"99999"}
    # 2026-11-24 + 14 days = 12-08 (Tue); + 30 days = 2027-01-07 (Thu)
    assert {(b.due_date, b.payable_until) for b in bills} == {(date(2026, 12, 8), date(2027, 1, 7))}


def test_due_dates_follow_the_items_periods_and_open_days(catalogue, profile):
    revenue = {**profile.revenue, "dog": replace(profile.revenue["dog"], due_days=5)}
    bills = bills_for_plan(abroad_plan(catalogue, profile), replace(profile, revenue=revenue))
    dog = next(b for b in bills if b.item == "dog")
    assert dog.due_date == date(2026, 11, 30)  # 11-29 is a Sunday
    assert dog.payable_until == date(2027, 1, 4)  # 12-30 falls in the year-end closure


def test_a_real_profile_prints_each_items_category_and_its_own_collector(catalogue, profile):
    revenue = {
        "certificates": RevenueItem("certificates", "証明手数料", "101", 14, 30),
        "dog": RevenueItem("dog", "犬の登録手数料", "205", 14, 30),
    }
    real = replace(profile, payment_demo=False, revenue=revenue)
    bills = bills_for_plan(abroad_plan(catalogue, real), real)
    assert [(b.item, b.category, b.collector) for b in bills] == [
        ("certificates", "101", "31202"),
        ("dog", "205", "31202"),
    ]


def test_the_confirmation_number_depends_on_the_citys_key(catalogue, profile):
    bill = bills_for_plan(abroad_plan(catalogue, profile), profile)[0]
    demo = bill.issue("1234", DEMO_KEY)
    city = bill.issue("1234", b"a-secret-only-the-city-has")
    assert demo.fields.confirmation_number != city.fields.confirmation_number
    assert bill.issue("1234", DEMO_KEY) == demo
    assert parse_elqr(city.payload) == city.fields


def test_cash_fees_are_on_no_code(catalogue, profile):
    cash = {**profile.fees}
    cash["dog_registration"] = tuple(replace(f, revenue="") for f in cash["dog_registration"])
    cash_profile = replace(profile, fees=cash)
    bills = bills_for_plan(abroad_plan(catalogue, cash_profile), cash_profile)
    assert [b.item for b in bills] == ["certificates"]


def city_file(tmp_path: Path, change) -> Path:
    text = (PROFILE_DIR / "312029.toml").read_text(encoding="utf-8")
    (tmp_path / "312029.toml").write_text(change(text), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda t: t.replace('revenue = "dog"', 'revenue = "cats"'), "歳入科目「cats」"),
        (lambda t: t.replace("demo = true", "demo = false"), "category（納付区分）"),
        (lambda t: t.replace("due_days = 14", "due_days = 14\nfund = 1", 1), "知らない項目"),
    ],
)
def test_a_broken_payment_section_is_named(tmp_path, change, words):
    with pytest.raises(ProfileError, match=words):
        load_profile("312029", city_file(tmp_path, change))
