"""The rules of an event's date and subjects, in the core, tested without a screen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from counter.events import EVERYONE_BY_DEFAULT, event_date_problem, subjects_problem

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("event", ["birth", "death", "move_in", "marriage"])
def test_an_event_cannot_be_in_the_future(event):
    assert event_date_problem(event, TODAY - timedelta(days=1), TODAY) is None
    assert event_date_problem(event, TODAY, TODAY) is None
    assert event_date_problem(event, TODAY + timedelta(days=1), TODAY) == (
        "まだ来ていない日付は入力できません"
    )


@pytest.mark.parametrize("event", ["move_out", "move_abroad"])
def test_a_move_out_is_filed_up_to_30_days_ahead(event):
    assert event_date_problem(event, TODAY + timedelta(days=29), TODAY) is None
    assert event_date_problem(event, TODAY + timedelta(days=30), TODAY) is None
    assert event_date_problem(event, TODAY + timedelta(days=31), TODAY) == "予定日は30日先までです"


def test_deaths_one_at_a_time_and_someone_always_chosen():
    assert subjects_problem("death", 1) is None
    assert subjects_problem("death", 2) == "亡くなった方は1人ずつ受け付けてください"
    assert subjects_problem("move_in", 3) is None
    assert subjects_problem("move_in", 0) == "転入した方を選んでください（スペースキーで選びます）"
    assert "move_in" in EVERYONE_BY_DEFAULT and "death" not in EVERYONE_BY_DEFAULT
