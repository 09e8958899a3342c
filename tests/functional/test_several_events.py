"""Several events in one visit (F3 on the plan adds one), and what Esc from a visit's
first screen does to its number: the real app driven with Pilot on a real SQLite file."""

from __future__ import annotations

import json

from pdfcheck import pdf_text
from test_resume import park, to_questions_of_a_move_in, visits
from test_visit_flow import TODAY, open_household, paste, shown, wait_for
from textual.widgets import DataTable, Input, RadioSet

from screens.app import CounterApp
from screens.done import DoneScreen
from screens.event import EventScreen
from screens.forms_check import FormsScreen
from screens.leave_visit import LeaveVisitScreen
from screens.plan import PlanScreen
from screens.questions import QuestionsScreen
from screens.resume import ResumeScreen
from screens.search import SearchScreen


async def plan_a_move_in(pilot) -> PlanScreen:
    """A 転入 of the whole household on the day of the visit, at its plan."""
    await to_questions_of_a_move_in(pilot)
    await pilot.press("f5")
    await wait_for(pilot, lambda: shown(pilot.app, PlanScreen))
    return pilot.app.screen


async def add_a_birth(pilot) -> EventScreen:
    """F3 on the plan: the event screen for the same household, 出生 preselected."""
    app = pilot.app
    await pilot.press("f3")
    await wait_for(pilot, lambda: shown(app, EventScreen) and app.screen.household is not None)
    screen = app.screen
    assert screen.query_one("#event", RadioSet).pressed_index == 0  # 出生
    date_input = screen.query_one("#event-date", Input)
    date_input.value = ""
    paste(date_input, "Ｒ８．１１．２０")
    paste(screen.query_one("#child-name", Input), "陽翔")  # after the surname filled in
    paste(screen.query_one("#child-kana", Input), "はると")
    await pilot.pause()
    return screen


async def test_a_move_in_and_a_birth_are_served_in_one_visit(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        first = await plan_a_move_in(pilot)
        moved = {p.id for p in first.plan.procedures}
        event_screen = await add_a_birth(pilot)
        assert "届出を追加する（この受付の届出: 転入）" in str(
            event_screen.query_one(".title").render()
        )
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, QuestionsScreen))
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        plan_screen = app.screen
        plan = plan_screen.plan
        assert [event for event, _ in plan.events] == ["move_in", "birth"]
        ids = {p.id for p in plan.procedures}
        assert moved <= ids and {"birth_registration", "nhi_join_birth"} <= ids
        title = str(plan_screen.query_one(".title").render())
        assert "転入（令和8年11月24日）・出生（令和8年11月20日）" in title
        table = plan_screen.query_one("#procedures", DataTable)
        assert table.row_count == len(plan.procedures)
        assert app.visit.reception_number == 1

        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, FormsScreen))
        table = app.screen.query_one("#forms", DataTable)
        forms = [table.get_row_at(row)[0] for row in range(table.row_count)]
        assert "住民異動届" in forms and "出生届" in forms
        assert forms.count("国民健康保険 資格取得届") == 2  # one per event
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        confirmed = app.screen.confirmed
        assert confirmed.visit.reception_number == 1
        preview = str(app.screen.query_one("#slip-preview").render())
        assert "届出：転入（令和8年11月24日（火））" in preview
        assert "届出：出生（令和8年11月20日（金））" in preview

    [stored] = visits(settings).values()
    assert (stored.status, stored.event) == ("confirmed", "move_in")
    [birth] = json.loads(stored.more_cases_json)
    assert birth["event"] == "birth"
    assert [m["name"] for m in birth["members"] if m["subject"]] == ["米子　陽翔"]
    text = pdf_text(confirmed.slip_path)
    assert "届出：転入" in text and "届出：出生" in text and "出生届" in text
    assert "出生届" in pdf_text(confirmed.forms_path)


async def test_the_same_event_for_the_same_person_is_not_entered_twice(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_a_move_in(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: shown(app, EventScreen) and app.screen.household is not None)
        screen = app.screen
        screen.query_one("#event", RadioSet).focus()
        await pilot.pause()
        await pilot.press("right", "enter")  # 転入 again, everyone ticked
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        error = str(screen.query_one("#error").render())
        assert "の転入は、この受付ですでに入力しています" in error


async def test_a_visit_parked_at_its_second_event_is_resumed_with_both(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_a_move_in(pilot)
        await add_a_birth(pilot)
        await wait_for(pilot, lambda: "earlier" in (visits(settings)[1].draft_json or ""))
        await park(pilot)
        draft = json.loads(visits(settings)[1].draft_json)
        assert draft["step"] == "event"
        assert [c["event"] for c in draft["earlier"]] == ["move_in"]

        await pilot.press("f7")
        await wait_for(pilot, lambda: shown(app, ResumeScreen))
        table = app.screen.query_one("#open-visits", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        assert table.get_row_at(0)[3] == "届出の選択（転入）"
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, EventScreen) and app.screen.household is not None)
        assert [c.event for c in app.screen.earlier] == ["move_in"]
        assert app.visit.reception_number == 1
        await pilot.press("escape")  # back to the 転入's plan, rebuilt as it was
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        assert [event for event, _ in app.screen.plan.events] == ["move_in"]


async def leave(pilot, key: str) -> None:
    """Esc on the visit's first screen asks; ``key`` answers."""
    app = pilot.app
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, LeaveVisitScreen))
    number = app.visit.reception_number
    assert f"受付番号 {number} をどうしますか" in str(app.screen.query_one(".title").render())
    await pilot.press(key)


async def test_esc_from_a_visit_asks_what_becomes_of_its_number(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_household(pilot, "よなご", 2, "down", "enter")
        await wait_for(pilot, lambda: app.visit.current is not None)
        await leave(pilot, "escape")  # stay: nothing changes
        await wait_for(pilot, lambda: shown(app, EventScreen))
        assert app.visit.reception_number == 1

        await leave(pilot, "1")  # another household, the same number
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        assert app.visit.reception_number == 1
        await pilot.press("enter")  # the results are still there
        await wait_for(pilot, lambda: shown(app, EventScreen))
        assert app.visit.reception_number == 1

        await leave(pilot, "3")  # the resident left: cancelled
        await wait_for(pilot, lambda: shown(app, SearchScreen) and app.visit.current is None)
        assert visits(settings)[1].status == "cancelled"

        await open_household(pilot, "よなご", 2, "down", "enter")
        await wait_for(pilot, lambda: app.visit.reception_number == 2)
        await leave(pilot, "2")  # parked, for F7 later
        await wait_for(pilot, lambda: shown(app, SearchScreen) and app.visit.current is None)
        await wait_for(pilot, lambda: visits(settings)[2].status == "parked")
