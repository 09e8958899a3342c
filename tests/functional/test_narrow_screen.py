"""At 80×24 every column a step needs is in view, and what must be shortened ends in 「…」.

A 4-member household with a long address, as a new user met it: the search list kept its
世帯人数 and cut the address without a sign; the 転入 plan lost its 期限 and 手数料
columns and cut 対象の方 mid-name; the forms list cut its 窓口で記入 header.
"""

from __future__ import annotations

import itertools
from datetime import date

from narrow import table_problems
from test_snapshots import screen_text
from test_visit_flow import TODAY, choose_move_in, paste, shown, wait_for
from textual.widgets import Input

from counter.household import Address, Household, Member
from db.engine import make_engine
from db.register import save_households
from forms.slip_preview import slip_names
from screens.app import CounterApp
from screens.done import DoneScreen
from screens.event import EventScreen
from screens.forms_check import FormsScreen
from screens.plan import PlanScreen
from screens.questions import QuestionsScreen
from screens.search import SearchScreen

LONG_ADDRESS = "鳥取県米子市西福原一丁目1番45号　サンシャインマンション米子西福原　1203号室"


def family_of_four() -> Household:
    def person(n: int, name: str, kana: str, born: date, sex: str, relation: str) -> Member:
        return Member(f"H900002-{n}", name, kana, born, sex, relation, health_insurance="national")

    return Household(
        household_id="H900002",
        address=Address("6830805", LONG_ADDRESS),
        members=(
            person(1, "境港　大輔", "サカイミナト　ダイスケ", date(1985, 5, 1), "male", "head"),
            person(2, "境港　美咲", "サカイミナト　ミサキ", date(1987, 7, 1), "female", "spouse"),
            person(3, "境港　蓮", "サカイミナト　レン", date(2016, 6, 1), "male", "child"),
            person(4, "境港　葵", "サカイミナト　アオイ", date(2023, 3, 1), "female", "child"),
        ),
    )


async def test_a_four_member_move_in_keeps_every_column_in_view_at_80x24(settings, clerk):
    engine = make_engine(settings.database_url)
    save_households(engine, [family_of_four()], municipality="312029")
    engine.dispose()
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        paste(app.screen.query_one("#query", Input), "さかいみなと")
        await wait_for(pilot, lambda: app.screen.query_one("#results").row_count == 4)
        search = screen_text(app.screen, (80, 24))
        assert "世帯人数" in search and "4人" in search
        assert "鳥取県米子市" not in search  # the city's own name is not repeated
        assert "西福原一丁目" in search and "…" in search
        assert not table_problems(app.screen)

        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: shown(app, EventScreen))
        event = app.screen
        await wait_for(pilot, lambda: event.household is not None)
        await choose_move_in(pilot, event)
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, QuestionsScreen))
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        plan = app.screen.plan
        text = screen_text(app.screen, (80, 24))
        table_lines = text.splitlines()[2 : 3 + len(plan.procedures)]
        header = table_lines[0]
        assert all(
            label in header for label in ("状態", "担当課", "手続き", "対象の方", "期限", "手数料")
        )
        everyone = [p for p in plan.procedures if len(p.members) == 4]
        assert everyone  # the 転入届 is for all four
        for procedure, line in zip(plan.procedures, table_lines[1:], strict=True):
            assert procedure.deadline_short in line  # whole: 和暦 with its weekday
            first = procedure.member_names[0]
            assert first in line  # the first name whole, the rest counted or listed
        assert "境港　大輔ほか3人" in text
        assert not table_problems(app.screen)

        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, FormsScreen))
        forms = screen_text(app.screen, (80, 24))
        assert "窓口で記入" in forms.splitlines()[2]
        assert not table_problems(app.screen)

        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        preview = str(app.screen.query_one("#slip-preview").render()).splitlines()
        slip = app.screen.confirmed.slip
    assert len(preview) > 40
    for name in slip_names(slip):
        assert any(name in line for line in preview), name
    for line, following in itertools.pairwise(preview):
        end, start = line.rstrip(), following.lstrip("　 ")
        if end and start:
            assert not (end[-1].isdigit() and start[0].isdigit()), (line, following)
            for name in slip_names(slip):
                for cut in range(1, len(name)):
                    assert not (end.endswith(name[:cut]) and start.startswith(name[cut:])), name
