"""A visit from its first step: numbered at once, parked with F12, resumed with F7 (here or
after a crash, when it is offered back), and confirmed under the number it started with."""

from __future__ import annotations

import json

from sqlmodel import Session, select
from test_visit_flow import TODAY, open_household, shown, wait_for
from textual.widgets import DataTable, RadioSet

from db.engine import make_engine
from db.models import VisitRow
from screens.app import CounterApp
from screens.done import DoneScreen
from screens.forms_check import FormsScreen
from screens.plan import PlanScreen
from screens.questions import QuestionsScreen
from screens.resume import ResumeScreen
from screens.search import SearchScreen


def visits(settings) -> dict[int, VisitRow]:
    with Session(make_engine(settings.database_url)) as session:
        return {row.reception_number: row for row in session.exec(select(VisitRow)).all()}


async def to_questions_of_a_move_in(pilot) -> QuestionsScreen:
    app = pilot.app
    screen = await open_household(pilot, "よなご", 2, "down", "enter")
    screen.query_one("#event", RadioSet).focus()
    await pilot.pause()
    await pilot.press("right", "enter")  # 転入
    await pilot.press("f5")
    await wait_for(pilot, lambda: shown(app, QuestionsScreen))
    return app.screen


async def park(pilot) -> None:
    """F12: the visit is put aside and the search screen is ready for the next resident."""
    app = pilot.app
    await pilot.press("f12")
    await wait_for(pilot, lambda: shown(app, SearchScreen) and app.visit.current is None)


async def test_a_parked_visit_is_resumed_and_confirmed_under_its_first_number(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        questions = await to_questions_of_a_move_in(pilot)
        assert app.visit.reception_number == 1
        assert "受付番号 1" in app.sub_title
        dog = questions.query_one("#q-dog", RadioSet)
        dog.focus()
        await pilot.pause()
        await pilot.press("left", "left")  # はい: it must survive the parking
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        await park(pilot)  # the resident goes to fetch a document
        await wait_for(pilot, lambda: visits(settings)[1].status == "parked")
        parked = json.loads(visits(settings)[1].draft_json)
        assert parked["step"] == "plan" and parked["case"]["answers"]["dog"] == "yes"

        # The next resident is served meanwhile, with the next number.
        await to_questions_of_a_move_in(pilot)
        assert app.visit.reception_number == 2
        await park(pilot)

        # The first comes back: F7, pick 受付番号 1, the plan is there with the answer.
        await pilot.press("f7")
        await wait_for(pilot, lambda: shown(app, ResumeScreen))
        table = app.screen.query_one("#open-visits", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2)
        assert table.get_row_at(0)[:2] == ["1", "保留中"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        assert app.visit.reception_number == 1
        assert app.screen.case.answers["dog"] == "yes"
        assert "dog_registration_change" in {p.id for p in app.screen.plan.procedures}
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, FormsScreen))
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        assert app.screen.confirmed.visit.reception_number == 1
        await pilot.press("escape")  # Esc on the plan walks back through the visit
    stored = visits(settings)
    assert (stored[1].status, stored[1].event) == ("confirmed", "move_in")
    assert stored[1].draft_json is None
    assert stored[2].status == "parked"


async def test_after_a_crash_the_open_visit_is_offered_back(settings, clerk):
    first = CounterApp(settings, today=TODAY, staff=clerk)
    async with first.run_test(size=(120, 40)) as pilot:
        await to_questions_of_a_move_in(pilot)
        await wait_for(pilot, lambda: visits(settings)[1].draft_json not in (None, "{}"))
        # The power goes: the app ends without confirming or parking.
    assert visits(settings)[1].status == "open"

    again = CounterApp(settings, today=TODAY, staff=clerk)
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: shown(again, ResumeScreen))
        assert "前回、途中で終わった受付があります" in str(
            again.screen.query_one("#resume-status").render()
        )
        table = again.screen.query_one("#open-visits", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(again, QuestionsScreen))
        assert again.visit.reception_number == 1
        assert again.screen.case.event == "move_in"


async def test_a_visit_whose_resident_left_is_cancelled_and_its_number_not_reused(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_questions_of_a_move_in(pilot)
        await park(pilot)
        await pilot.press("f7")
        await wait_for(pilot, lambda: shown(app, ResumeScreen))
        table = app.screen.query_one("#open-visits", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.press("f8")
        await wait_for(pilot, lambda: table.row_count == 0)
        await pilot.press("escape")
        await to_questions_of_a_move_in(pilot)
        assert app.visit.reception_number == 2
    assert visits(settings)[1].status == "cancelled"
