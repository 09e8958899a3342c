"""Properties of planning over random households (hypothesis), for every event."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter.events import EVENTS
from counter.household import (
    HEALTH_INSURANCES,
    RELATIONS,
    Address,
    EventCase,
    Household,
    Member,
)
from counter.opendays import OfficeCalendar
from counter.rules import plan

ADDRESS = Address("6830823", "鳥取県米子市加茂町二丁目1番地")
ANSWER = st.sampled_from(["yes", "no", "unknown"])


@st.composite
def cases(draw) -> EventCase:
    event = draw(st.sampled_from(sorted(EVENTS)))
    event_date = draw(st.dates(date(2016, 1, 1), date(2030, 12, 31)))
    size = draw(st.integers(1, 6))
    members = []
    for index in range(size):
        age_days = draw(st.integers(0, 100 * 365))
        members.append(
            Member(
                id=f"m{index}",
                name=f"見本　{index}",
                kana="ミホン　タロウ",
                birth_date=event_date - timedelta(days=age_days),
                sex=draw(st.sampled_from(["male", "female"])),
                relation="head" if index == 0 else draw(st.sampled_from(sorted(RELATIONS))),
                health_insurance=draw(st.sampled_from(sorted(HEALTH_INSURANCES))),
                mynumber_card=draw(st.booleans()),
                seal_registered=draw(st.booleans()),
                care_certified=draw(st.booleans()),
                disability_certificate=draw(st.booleans()),
                child_allowance_recipient=draw(st.booleans()),
                nationality=draw(st.sampled_from(["JP", "JP", "VN"])),
                subject=draw(st.booleans()),
            )
        )
    if event == "birth":
        baby = Member(
            f"m{size}",
            "見本　赤子",
            "ミホン　アカゴ",
            event_date,
            "female",
            "child",
            health_insurance="none",
            subject=True,
        )
        members = [replace(m, subject=False) for m in members] + [baby]
    elif not any(m.subject for m in members):
        members[0] = replace(members[0], subject=True)
    household = Household(ADDRESS, tuple(members), household_id="H1")
    case = EventCase("312029", event, event_date, household)
    questions = draw(st.lists(st.sampled_from(sorted(QUESTION_IDS)), unique=True))
    return replace(case, answers={q: draw(ANSWER) for q in questions})


QUESTION_IDS: set[str] = set()


def setup_module() -> None:
    from counter.catalogue import load_catalogue

    QUESTION_IDS.update(load_catalogue().questions)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases(), filed_after=st.integers(0, 20))
def test_every_plan_is_explained_dated_on_open_days_and_repeatable(
    case, filed_after, catalogue, profile
):
    filed = case.event_date + timedelta(days=filed_after)
    result = plan(case, catalogue, profile, filed_on=filed)
    calendar = OfficeCalendar(profile.extra_closed_days)
    member_ids = {m.id for m in case.household.members}
    for procedure in result.procedures:
        assert procedure.reason and "{" not in procedure.reason
        assert procedure.members and set(procedure.members) <= member_ids
        assert procedure.status in ("required", "check")
        assert procedure.department
        if procedure.deadline is not None:
            assert calendar.is_open(procedure.deadline), procedure.id
            assert procedure.deadline >= case.event_date
        assert procedure.fee >= 0
    assert [p.id for p in result.procedures] == [
        p.id for p in plan(case, catalogue, profile, filed_on=filed).procedures
    ]
    assert len({p.id for p in result.procedures}) == len(result.procedures)
    assert set(result.questions) <= set(catalogue.questions)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases())
def test_unknown_never_drops_what_yes_keeps(case, catalogue, profile):
    filed = case.event_date
    asked = plan(case, catalogue, profile, filed_on=filed).questions
    yes = plan(
        replace(case, answers=dict.fromkeys(asked, "yes")), catalogue, profile, filed_on=filed
    )
    unknown = plan(
        replace(case, answers=dict.fromkeys(asked, "unknown")), catalogue, profile, filed_on=filed
    )
    assert {p.id for p in yes.procedures} <= {p.id for p in unknown.procedures}
