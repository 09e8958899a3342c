"""A newcomer household (転入) typed at the counter through the real app with Pilot: the
register stores it exactly as typed and the 転入 visit goes on like any other."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlmodel import Session, select
from test_visit_flow import (
    TODAY,
    paste,
    shown,
    wait_for,
)
from textual.widgets import DataTable, Input, RadioSet, Static

from db.engine import make_engine
from db.models import HouseholdRow, VisitRow
from db.register import count_households, load_household
from screens.app import CounterApp
from screens.done import DoneScreen
from screens.event import EventScreen
from screens.forms_check import FormsScreen
from screens.newcomer import NewcomerScreen
from screens.plan import PlanScreen
from screens.questions import QuestionsScreen
from screens.search import SearchScreen
from screens.widgets.member_form import MemberForm

HEAD_NAME = "山田　𠮷郎"  # U+3000 and a kanji outside the BMP: both must reach storage
SPOUSE_NAME = "山田　花子"


async def open_newcomer(pilot) -> NewcomerScreen:
    app = pilot.app
    await wait_for(pilot, lambda: shown(app, SearchScreen))
    await pilot.press("f3")
    await wait_for(pilot, lambda: shown(app, NewcomerScreen))
    return app.screen


def field(form: MemberForm, name: str) -> Input:
    return form.query_one(f".{name}", Input)


def message_at(widget) -> str:
    """The message shown on the line under ``widget`` ("" when hidden)."""
    field = next(a for a in widget.ancestors_with_self if a.has_class("field"))
    error = field.query_one(".field-error", Static)
    return str(error.render()) if error.display else ""


async def choose(pilot, choices: RadioSet, *keys: str) -> None:
    choices.focus()
    await pilot.pause()
    await pilot.press(*keys)


async def type_member(pilot, form: MemberForm, name: str, kana: str, birth: str, *sex: str):
    paste(field(form, "name"), name)
    paste(field(form, "kana"), kana)
    paste(field(form, "birth"), birth)
    await choose(pilot, form.query_one(".sex", RadioSet), *sex)


async def type_address(pilot, screen: NewcomerScreen, which: str, postal: str, town: str, rest):
    paste(screen.query_one(f"#{which}-postal", Input), postal)
    address = screen.query_one(f"#{which}-address", Input)
    # The town fills in and the cursor waits at its end for the 番地.
    await wait_for(pilot, lambda: address.value == town and screen.app.focused is address)
    paste(address, rest)


async def test_a_typed_newcomer_household_is_registered_and_its_move_in_visit_completes(
    settings, clerk
):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_newcomer(pilot)
        head = screen.query_one(MemberForm)
        await type_member(pilot, head, HEAD_NAME, "やまだ　よしろう", "Ｓ５０．１．１", "enter")
        await pilot.press("f6")
        await wait_for(pilot, lambda: len(screen.query(MemberForm)) == 2)
        spouse = screen.query(MemberForm)[1]
        assert app.focused is field(spouse, "name")
        # A 続柄 is decided, never guessed: nothing is chosen until staff choose it.
        assert spouse.query_one(".relation", RadioSet).pressed_index == -1
        await type_member(
            pilot, spouse, SPOUSE_NAME, "ﾔﾏﾀﾞ ﾊﾅｺ", "１９７８－０６－１５", "right", "enter"
        )
        await choose(pilot, spouse.query_one(".relation", RadioSet), "enter")  # 妻・夫
        await type_address(
            pilot, screen, "new", "６８３－０８２３", "鳥取県米子市加茂町", "二丁目3番4号"
        )
        await type_address(
            pilot, screen, "previous", "〒１００－０００１", "東京都千代田区千代田", "1番1号"
        )
        date_input = screen.query_one("#event-date", Input)
        date_input.value = ""
        paste(date_input, "令和８年１１月１６日")
        await pilot.pause()
        await pilot.press("f5")

        await wait_for(pilot, lambda: shown(app, EventScreen))
        event_screen = app.screen
        await wait_for(pilot, lambda: event_screen.household is not None)
        await wait_for(pilot, lambda: event_screen.event == "move_in")
        table = event_screen.query_one("#members", DataTable)
        assert table.row_count == 2
        assert table.get_row_at(0)[1] == HEAD_NAME
        movers = event_screen.query_one("#movers")
        await wait_for(pilot, lambda: movers.display and len(movers.selected) == 2)
        assert event_screen.query_one("#event-date", Input).value == "令和8年11月16日"
        await pilot.press("f5")

        await wait_for(pilot, lambda: shown(app, QuestionsScreen))
        assert app.screen.case.previous_address.text == "東京都千代田区千代田1番1号"
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, PlanScreen))
        procedures = {p.id: p for p in app.screen.plan.procedures}
        household_id = screen.household_id
        both = (f"{household_id}-1", f"{household_id}-2")
        assert procedures["move_in_notification"].members == both
        assert procedures["move_in_notification"].deadline == date(2026, 11, 30)
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, FormsScreen))
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))

    engine = make_engine(settings.database_url)
    stored = load_household(engine, household_id)
    assert stored.address.postal_code == "6830823"
    assert stored.address.text == "鳥取県米子市加茂町二丁目3番4号"
    head_row, spouse_row = stored.members
    assert head_row.name == HEAD_NAME and spouse_row.name == SPOUSE_NAME  # exactly as typed
    assert (head_row.kana, spouse_row.kana) == ("ヤマダ　ヨシロウ", "ヤマダ　ハナコ")
    assert head_row.birth_date == date(1975, 1, 1)
    assert spouse_row.birth_date == date(1978, 6, 15)
    assert (head_row.relation, spouse_row.relation) == ("head", "spouse")
    assert (head_row.sex, spouse_row.sex) == ("male", "female")
    with Session(engine) as session:
        assert session.get(HouseholdRow, household_id).municipality == "312029"
        visit = session.exec(select(VisitRow)).one()
    assert visit.event == "move_in" and visit.household_id == household_id
    assert visit.event_date == date(2026, 11, 16)
    case = json.loads(visit.case_json)
    assert [m["id"] for m in case["members"] if m["subject"]] == list(both)
    assert case["members"][0]["name"] == HEAD_NAME
    assert case["previous_address"] == {
        "postal_code": "1000001",
        "text": "東京都千代田区千代田1番1号",
    }


async def test_bad_fields_show_their_messages_in_place_and_nothing_is_saved(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_newcomer(pilot)
        head = screen.query_one(MemberForm)
        # No name, kanji in the kana, a day that does not exist; no sex chosen.
        paste(field(head, "kana"), "山田たろう")
        paste(field(head, "birth"), "令和8年2月30日")
        paste(screen.query_one("#new-postal", Input), "689-0000")  # no such code
        await wait_for(pilot, lambda: message_at(screen.query_one("#new-postal")) != "")
        await pilot.press("f5")
        await pilot.pause(0.2)

        assert isinstance(app.screen, NewcomerScreen)
        assert message_at(field(head, "name")) == "氏名: 入力してください"
        assert message_at(field(head, "kana")).startswith("フリガナ: ")
        assert "カナ" in message_at(field(head, "kana"))
        assert message_at(field(head, "birth")) == "生年月日: 令和8年2月30日は存在しない日付です"
        assert message_at(head.query_one(".sex")).startswith("性別: 選んでください")
        assert "見つかりません" in message_at(screen.query_one("#new-postal"))
        assert message_at(screen.query_one("#previous-address")) == "転入前の住所: 入力してください"
        assert app.focused is field(head, "name")  # the first bad field
        status = str(screen.query_one("#status", Static).render())
        assert "入力に誤りがあります" in status
        assert "Traceback" not in status and "Error" not in status

        # Fixing a field clears its message at once.
        paste(field(head, "name"), HEAD_NAME)
        await pilot.pause()
        assert message_at(field(head, "name")) == ""
    engine = make_engine(settings.database_url)
    assert count_households(engine) == 1  # only the fixture's household


async def test_a_future_move_in_date_and_a_street_missing_are_refused(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_newcomer(pilot)
        head = screen.query_one(MemberForm)
        await type_member(pilot, head, HEAD_NAME, "ヤマダ　ヨシロウ", "S50.1.1", "enter")
        paste(screen.query_one("#new-postal", Input), "683-0823")
        new_address = screen.query_one("#new-address", Input)
        await wait_for(pilot, lambda: new_address.value == "鳥取県米子市加茂町")
        await type_address(pilot, screen, "previous", "683-0001", "鳥取県米子市皆生温泉", "1番")
        date_input = screen.query_one("#event-date", Input)
        date_input.value = "2026-11-25"  # tomorrow
        await pilot.press("f5")
        await pilot.pause(0.2)
        assert isinstance(app.screen, NewcomerScreen)
        assert message_at(new_address) == "新しい住所: 番地まで入力してください"
        previous = message_at(screen.query_one("#previous-address"))
        assert previous == "転入前の住所: 鳥取県米子市の中での引っ越しは転居の届出です"
        assert "まだ来ていない日付" in message_at(date_input)
        assert app.focused is new_address
    assert count_households(make_engine(settings.database_url)) == 1


def move_in_file(tmp_path: Path) -> Path:
    data = {
        "municipality": "312029",
        "event": "move_in",
        "event_date": "2026-11-18",
        "address": {"postal_code": "683-0064", "text": "鳥取県米子市道笑町二丁目5番地"},
        "previous_address": {"postal_code": "7000001", "text": "岡山県岡山市北区宿1番地"},
        "members": [
            {"id": "a", "name": "岡山　陽菜", "kana": "オカヤマ　ヒナ", "birth_date": "2015-05-05",
             "sex": "female", "relation": "child", "health_insurance": "employee_dependent",
             "subject": True},
            {"id": "b", "name": "岡山　髙志", "kana": "おかやま　たかし",
             "birth_date": "昭和60年3月3日", "sex": "male", "relation": "head",
             "health_insurance": "employee", "mynumber_card": True, "subject": True},
        ],
    }  # fmt: skip
    path = tmp_path / "事前データ.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


async def test_pre_arrival_data_fills_the_form(settings, tmp_path: Path, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_newcomer(pilot)
        path_input = screen.query_one("#prearrival-path", Input)
        paste(path_input, str(tmp_path / "ない.json"))
        await pilot.press("f4")
        await wait_for(pilot, lambda: message_at(path_input) != "")
        assert message_at(path_input) == "事前データ: ファイルが見つかりません"

        path_input.value = ""
        paste(path_input, str(move_in_file(tmp_path)))
        await pilot.press("f4")
        await wait_for(pilot, lambda: len(screen.query(MemberForm)) == 2)
        head, child = screen.query(MemberForm)
        assert field(head, "name").value == "岡山　髙志"  # the head comes first
        assert field(head, "kana").value == "オカヤマ　タカシ"
        assert field(head, "birth").value == "昭和60年3月3日"
        assert head.query_one(".sex", RadioSet).pressed_index == 0
        assert head.query_one(".insurance", RadioSet).pressed_index == 1  # 被用者保険（本人）
        assert head.query_one(".card", RadioSet).pressed_index == 1
        assert field(child, "name").value == "岡山　陽菜"
        assert child.query_one(".relation", RadioSet).pressed_index == 1  # 子
        assert screen.query_one("#new-address", Input).value == "鳥取県米子市道笑町二丁目5番地"
        assert screen.query_one("#previous-postal", Input).value == "7000001"
        assert screen.query_one("#event-date", Input).value == "令和8年11月18日"
        assert "事前データを読みました（2人）" in str(screen.query_one("#status").render())

        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, EventScreen))
        stored = load_household(app.engine, screen.household_id)
        assert [m.name for m in stored.members] == ["岡山　髙志", "岡山　陽菜"]
        assert stored.members[0].mynumber_card and stored.members[0].health_insurance == "employee"


async def test_members_are_added_and_removed_with_f6_and_f7(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_newcomer(pilot)
        await pilot.press("f7")
        assert "1人以上" in str(screen.query_one("#status").render())
        await pilot.press("f6", "f6")
        await wait_for(pilot, lambda: len(screen.query(MemberForm)) == 3)
        forms = list(screen.query(MemberForm))
        # Every person added starts with no 続柄: the same keys always choose the same one.
        assert [f.query_one(".relation", RadioSet).pressed_index for f in forms[1:]] == [-1, -1]
        relation = forms[2].query_one(".relation", RadioSet)
        relation.focus()
        await pilot.press("right")  # from the highlighted first choice to the second: 子
        assert relation.pressed_index == 1
        paste(field(forms[1], "name"), SPOUSE_NAME)
        field(forms[0], "name").focus()
        await pilot.press("f7")  # the head goes: the next member becomes the head
        await wait_for(pilot, lambda: len(screen.query(MemberForm)) == 2)
        first = screen.query(MemberForm).first()
        assert field(first, "name").value == SPOUSE_NAME
        assert "世帯主" in str(first.query_one(".member-title").render())
        assert not first.query_one(".relation").display
        assert app.focused is field(first, "name")
        # Esc with something typed warns first; a second Esc goes back.
        await pilot.press("escape")
        assert isinstance(app.screen, NewcomerScreen)
        assert "もう一度 Esc" in str(screen.query_one("#status").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: shown(app, SearchScreen))


async def test_the_documented_sample_loads_and_says_it_is_not_a_move_in(settings, clerk):
    sample = Path(__file__).parents[2] / "docs" / "examples" / "birth.json"
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_newcomer(pilot)
        paste(screen.query_one("#prearrival-path", Input), str(sample))
        await pilot.press("enter")  # Enter in the path field reads it too
        await wait_for(pilot, lambda: len(screen.query(MemberForm)) == 3)
        assert [field(f, "name").value for f in screen.query(MemberForm)] == [
            "米子　太郎",
            "米子　花子",
            "米子　陽翔",
        ]
        assert "転入のデータではない" in str(screen.query_one("#status").render())
        assert screen.query_one("#event-date", Input).value == "令和8年11月24日"


async def test_a_name_with_a_right_to_left_mark_or_no_end_is_refused_at_its_field(settings, clerk):
    """A hostile run stored U+202E and names of any length; U+3000 and 𠮷 stay as typed."""
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_newcomer(pilot)
        head = screen.query_one(MemberForm)
        await type_member(pilot, head, "山田\u202e郎太", "やまだ　たろう", "S50.1.1", "enter")
        await pilot.press("f5")
        await pilot.pause(0.2)
        assert isinstance(app.screen, NewcomerScreen)
        assert message_at(field(head, "name")).startswith(
            "氏名: 文字の向きを変える制御文字（U+202E など）は使えません（3文字目）"
        )
        paste(field(head, "name"), "")
        field(head, "name").value = ""
        paste(field(head, "name"), "山" * 61)
        await pilot.press("f5")
        await pilot.pause(0.2)
        assert message_at(field(head, "name")) == "氏名: 60文字以内にしてください（61文字あります）"
    assert count_households(make_engine(settings.database_url)) == 1
