"""住定日 at the counter, through the real app with Pilot: a household registered for its
転入 lives here since the 転入 date; a child born lives here since the birth. A 本籍 and a
旧氏 of pre-arrival data reach the register unchanged."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlmodel import Session, select
from test_newcomer import HEAD_NAME, SPOUSE_NAME, choose, field, open_newcomer, type_member
from test_visit_flow import TODAY, open_household, paste, shown, wait_for
from textual.widgets import Input, RadioSet

from counter.household import Honseki
from db.engine import make_engine
from db.models import VisitRow
from db.register import load_household
from screens.app import CounterApp
from screens.event import EventScreen
from screens.questions import QuestionsScreen
from screens.widgets.member_form import MemberForm

MATSUE = {"municipality": "322016", "text": "島根県松江市殿町\uf929１番地"}


async def fill_addresses_and_date(pilot, screen, move_in: str) -> None:
    paste(screen.query_one("#new-postal", Input), "683-0823")
    new_address = screen.query_one("#new-address", Input)
    await wait_for(pilot, lambda: new_address.value == "鳥取県米子市加茂町")
    paste(new_address, "二丁目3番4号")
    paste(screen.query_one("#previous-postal", Input), "100-0001")
    previous = screen.query_one("#previous-address", Input)
    await wait_for(pilot, lambda: previous.value == "東京都千代田区千代田")
    paste(previous, "1番1号")
    date_input = screen.query_one("#event-date", Input)
    date_input.value = ""
    paste(date_input, move_in)
    await pilot.pause()


async def test_a_registered_newcomer_household_lives_here_since_the_move_in(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_newcomer(pilot)
        await type_member(
            pilot, screen.query_one(MemberForm), HEAD_NAME, "やまだ", "S50.1.1", "enter"
        )
        await pilot.press("f6")
        await wait_for(pilot, lambda: len(screen.query(MemberForm)) == 2)
        spouse = screen.query(MemberForm)[1]
        await type_member(pilot, spouse, SPOUSE_NAME, "やまだ", "1978-06-15", "right", "enter")
        await choose(pilot, spouse.query_one(".relation", RadioSet), "enter")
        await fill_addresses_and_date(pilot, screen, "Ｒ８．１１．１６")
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, EventScreen))
        event_screen = app.screen
        await wait_for(pilot, lambda: event_screen.household is not None)
        assert {m.resident_since for m in event_screen.household.members} == {date(2026, 11, 16)}

    stored = load_household(make_engine(settings.database_url), screen.household_id)
    assert [m.resident_since for m in stored.members] == [date(2026, 11, 16)] * 2
    assert [(m.honseki, m.former_surname) for m in stored.members] == [(None, "")] * 2


def prearrival_file(tmp_path: Path) -> Path:
    data = {
        "municipality": "312029",
        "event": "move_in",
        "event_date": "2026-11-18",
        "address": {"postal_code": "683-0064", "text": "鳥取県米子市道笑町二丁目5番地"},
        "previous_address": {"postal_code": "6900887", "text": "島根県松江市殿町1番地"},
        "members": [
            {"id": "a", "name": "松江　髙志", "kana": "まつえ　たかし", "birth_date": "S60.3.3",
             "sex": "male", "relation": "head", "health_insurance": "employee",
             "subject": True, "resident_since": "2001-04-01", "honseki": MATSUE},
            {"id": "b", "name": "松江　陽菜", "kana": "まつえ　ひな", "birth_date": "1988-05-05",
             "sex": "female", "relation": "spouse", "health_insurance": "employee_dependent",
             "subject": True, "honseki": MATSUE, "former_surname": "﨑山"},
        ],
    }  # fmt: skip
    path = tmp_path / "事前データ.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


async def register_prearrival(settings, clerk, path: Path, member: int, nationality: str):
    """The household of a pre-arrival file registered at the counter, the nationality of
    its ``member``-th person corrected to ``nationality`` first; the stored household."""
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_newcomer(pilot)
        paste(screen.query_one("#prearrival-path", Input), str(path))
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(screen.query(MemberForm)) == 2)
        typed = field(screen.query(MemberForm)[member], "nationality")
        typed.value = ""
        paste(typed, nationality)
        await pilot.pause()
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, EventScreen))
    return load_household(make_engine(settings.database_url), screen.household_id)


async def test_pre_arrival_honseki_and_former_surname_are_kept(settings, tmp_path, clerk):
    # The head turns out to hold another nationality: a 本籍 is only a Japanese's.
    stored = await register_prearrival(settings, clerk, prearrival_file(tmp_path), 0, "ベトナム")
    head, wife = stored.members
    # Living here since the 転入 on the screen, whatever the file said before.
    assert head.resident_since == wife.resident_since == date(2026, 11, 18)
    assert wife.honseki == Honseki(**MATSUE)
    assert wife.former_surname == "\ufa11山"
    assert (head.nationality, head.honseki) == ("VN", None)


async def test_a_child_born_into_the_household_lives_here_since_the_birth(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_household(pilot, "ﾖﾅｺﾞ", 2, "down", "enter")
        date_input = screen.query_one("#event-date", Input)
        date_input.value = ""
        paste(date_input, "R8.11.20")
        paste(screen.query_one("#child-name", Input), "陽翔")
        paste(screen.query_one("#child-kana", Input), "はると")
        await pilot.pause()
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, QuestionsScreen))
        (child,) = app.screen.case.subjects
        assert child.resident_since == child.birth_date == date(2026, 11, 20)
        parents = [m for m in app.screen.case.household.members if not m.subject]
        assert [m.resident_since for m in parents] == [None, None]  # as the register has them

    with Session(make_engine(settings.database_url)) as session:
        visit = session.exec(select(VisitRow)).one()
    draft = json.loads(visit.draft_json or "{}")
    stored_child = next(m for m in draft["case"]["members"] if m["subject"])
    assert stored_child["resident_since"] == "2026-11-20"
