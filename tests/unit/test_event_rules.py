"""The rules of an event's date and subjects, in the core, tested without a screen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from counter.events import (
    EVENTS,
    EVERYONE_BY_DEFAULT,
    born_after_problem,
    event_date_problem,
    planned_ahead_note,
    subjects_problem,
)

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("event", ["birth", "death", "move_in", "marriage"])
def test_an_event_cannot_be_in_the_future(event):
    assert event_date_problem(event, TODAY - timedelta(days=1), TODAY) is None
    assert event_date_problem(event, TODAY, TODAY) is None
    assert event_date_problem(event, TODAY + timedelta(days=1), TODAY) == (
        f"{EVENTS[event]}の日が届出の日より後です。まだ来ていない日付は入力できません"
    )


@pytest.mark.parametrize("event", ["move_out", "move_abroad"])
def test_a_move_out_is_filed_up_to_14_days_ahead_and_says_so(event):
    assert event_date_problem(event, TODAY + timedelta(days=13), TODAY) is None
    assert event_date_problem(event, TODAY + timedelta(days=14), TODAY) is None
    assert event_date_problem(event, TODAY + timedelta(days=15), TODAY) == (
        "予定日は届出の日から14日先までです"
    )
    assert planned_ahead_note(event, TODAY, TODAY) == ""
    assert planned_ahead_note(event, TODAY + timedelta(days=14), TODAY).startswith(
        f"{EVENTS[event]}予定日（届出の日から14日後）での届出です"
    )


def test_an_event_before_a_persons_birth_names_the_person():
    people = [("米子　太郎", date(1990, 4, 1)), ("米子　花子", date(2026, 11, 25))]
    assert born_after_problem("death", date(2026, 11, 25), people) is None
    assert born_after_problem("death", date(2026, 11, 24), people) == (
        "死亡の日が米子　花子さんの生年月日（令和8年11月25日（水））より前です"
    )


def test_deaths_one_at_a_time_and_someone_always_chosen():
    assert subjects_problem("death", 1) is None
    assert subjects_problem("death", 2) == "亡くなった方は1人ずつ受け付けてください"
    assert subjects_problem("move_in", 3) is None
    assert subjects_problem("move_in", 0) == "転入した方を選んでください（スペースキーで選びます）"
    assert "move_in" in EVERYONE_BY_DEFAULT and "death" not in EVERYONE_BY_DEFAULT
