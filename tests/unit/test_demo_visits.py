"""The demo visits (`counter demo-data --visits`): drawn over past open days within office
hours, events in the proportions of the model, every line and form the program's own."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest

from counter.demo_visits import (
    CERTIFICATE,
    EVENT_SHARES,
    JST,
    VISITS_PER_DAY,
    after_office_hours,
    generate_visits,
    office_days,
)
from counter.profile import load_profile
from workflows.demo_visits import visit_shapes

TODAY = date(2026, 11, 20)  # a Friday
NOW = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)  # 9:00 in Japan
PROFILE = load_profile("312029")


@pytest.fixture(scope="module")
def shapes():
    return visit_shapes(PROFILE, TODAY)


@pytest.fixture(scope="module")
def visits(shapes):
    return generate_visits(6000, shapes, PROFILE, ["demo:H000001", "demo:H000002"],
                           today=TODAY, now=NOW, seed=0)  # fmt: skip


def local(moment: datetime) -> datetime:
    return moment.astimezone(JST)


def test_the_visits_are_spread_over_past_open_days_only(visits):
    days = {v.office_date for v in visits}
    assert len(days) == 6000 // VISITS_PER_DAY + 1  # about a city's day each
    assert max(days) < TODAY and all(PROFILE.calendar.is_open(d) for d in days)
    assert sorted(days) == office_days(PROFILE.calendar, TODAY, 6000)
    year = office_days(PROFILE.calendar, TODAY, 10_000_000)  # at most the year before
    assert year[0] >= TODAY - timedelta(days=365) and 240 <= len(year) <= 250


def test_each_visit_opens_within_office_hours_and_is_confirmed_after(visits):
    for v in visits:
        opened = local(v.opened)
        assert opened.date() == v.office_date
        assert time(8, 30) <= opened.time() < time(17, 15)
        assert v.confirmed > v.opened
    hours = Counter(local(v.opened).hour for v in visits)
    assert hours[10] > hours[8] and hours[10] > hours[16]  # the morning peak
    assert [v.opened for v in visits] == sorted(v.opened for v in visits)  # numbered in order


def test_events_come_in_the_proportions_of_the_model(visits):
    counted = Counter(v.event for v in visits)
    assert counted == {
        "certificate": 3748, "employee_insurance_loss": 420, "employee_insurance_gain": 390,
        "move_in": 378, "move_out": 369, "move_within": 285, "death": 158, "birth": 92,
        "marriage": 56, "household_change": 33, "move_in_from_abroad": 29, "divorce": 23,
        "move_abroad": 19,
    }  # fmt: skip
    for event, share in EVENT_SHARES.items():
        assert abs(counted[event] / 6000 - share / 1000) < 0.012, event
    assert counted.most_common(1)[0][0] == CERTIFICATE


def test_the_same_seed_gives_the_same_visits(shapes, visits):
    again = generate_visits(6000, shapes, PROFILE, ["demo:H000001", "demo:H000002"],
                            today=TODAY, now=NOW, seed=0)  # fmt: skip
    assert again == visits
    assert {v.household_id for v in visits} == {"demo:H000001", "demo:H000002"}


def test_lines_and_forms_are_the_planners_and_the_forms_own(shapes):
    move_in = {line.name for shape in shapes.events["move_in"] for line in shape.lines}
    assert {"転入届", "国民健康保険 加入"} <= move_in
    assert set(shapes.events) == set(EVENT_SHARES) - {CERTIFICATE}
    residence = shapes.certificates["residence_certificate"]
    assert [line.name for line in residence.lines] == ["住民票の写し 1通"]
    assert residence.lines[0].fee == 300 and residence.lines[0].revenue == "certificates"
    for shape in [*shapes.certificates.values(), *(s for v in shapes.events.values() for s in v)]:
        assert all(name in shape.forms for line in shape.lines for name in line.forms)
    birth = shapes.events["birth"][0].forms["出生届"]
    assert birth.prefilled > birth.typed > 0
    seal = shapes.certificates["seal_certificate"].forms["印鑑登録証明書交付申請書"]
    assert seal.resident > 0  # what the resident writes in their own hand


def test_hand_offs_are_done_in_office_hours_or_still_wait(visits):
    handed = [f for v in visits for f in v.lines if f.handed_at is not None]
    done = [f for f in handed if f.done_at is not None]
    assert 0 < len(handed) - len(done) < len(handed) / 10  # some still waiting
    for f in done:
        assert f.handed_at < f.done_at <= NOW and f.status == "done_by_department"
        assert time(8, 30) <= local(f.done_at).time() <= time(17, 15)
    certificates = [f for v in visits if v.event == CERTIFICATE for f in v.lines]
    assert {f.status for f in certificates} == {"done_here"}


def test_certificate_fees_are_billed_and_mostly_paid(visits):
    codes = [p for v in visits for p in v.payments]
    assert {p.bill.item for p in codes} >= {"certificates"}
    paid = [p for p in codes if p.paid_on is not None]
    assert all(p.reconciled_at is not None and p.reconciled_at <= NOW for p in paid)
    settled = [p for v in visits if v.office_date < TODAY - timedelta(days=14) for p in v.payments]
    assert 0.9 < sum(p.paid_on is not None for p in settled) / len(settled) < 1
    for v in visits:
        assert sum(p.bill.amount for p in v.payments) == sum(
            f.line.fee for f in v.lines if f.line.revenue
        )


def test_office_hours_carry_over_to_the_next_open_day():
    friday_four = datetime(2026, 11, 20, 16, 0, tzinfo=JST)
    # 1 hour 15 minutes left on Friday; the rest from 8:30 on Monday 11/24 (11/23 勤労感謝の日)
    assert after_office_hours(friday_four, 2, PROFILE.calendar) == datetime(
        2026, 11, 24, 9, 15, tzinfo=JST
    )
    evening = datetime(2026, 11, 19, 17, 40, tzinfo=JST)
    assert after_office_hours(evening, 1, PROFILE.calendar) == datetime(
        2026, 11, 20, 9, 30, tzinfo=JST
    )
