"""Keystrokes for complete visits, counted on the real application (Pilot).

Run: uv run python bench/bench_keystrokes.py
Every key staff press is counted: navigation and function keys one each, and typed text
one per character as it lands in the field (an IME needs more presses than that to
convert kana to kanji; the figure is a floor for names). The visit must reach the done
screen, or the count is not printed. Fewer is better: every keystroke is a resident
waiting (issue 7).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from textual import events

from counter.staff import ADMINISTRATOR
from db.engine import make_engine
from db.migrate import upgrade
from db.register import save_households
from db.staff import create_staff
from screens.app import CounterApp
from screens.certificates import CertificateScreen
from screens.done import DoneScreen
from screens.event import EventScreen
from screens.forms_check import FormsScreen
from screens.newcomer import NewcomerScreen
from screens.plan import PlanScreen
from screens.questions import QuestionsScreen
from screens.search import SearchScreen
from screens.settings import Settings
from screens.widgets.member_form import MemberForm

# The Pilot helpers and the sample household of the functional tests.
TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "functional")]
from conftest import pilot_household  # noqa: E402
from test_visit_flow import shown, wait_for  # noqa: E402

TODAY = date(2026, 11, 24)


@dataclass
class Counter:
    keys: int = 0
    characters: int = 0
    steps: list[str] = field(default_factory=list)

    async def press(self, pilot, *keys: str) -> None:
        self.keys += len(keys)
        await pilot.press(*keys)

    async def type(self, pilot, widget, text: str) -> None:
        """Text as an IME commits it (a paste event keeps U+3000)."""
        self.characters += len(text)
        widget.focus()
        widget.post_message(events.Paste(text))
        await pilot.pause()

    @property
    def total(self) -> int:
        return self.keys + self.characters


async def finish_visit(pilot, count: Counter) -> None:
    """From the event screen to the done screen with the defaults: F5 F5 F5 F10."""
    app = pilot.app
    for key, next_screen in (
        ("f5", QuestionsScreen),
        ("f5", PlanScreen),
        ("f5", FormsScreen),
        ("f10", DoneScreen),
    ):
        await count.press(pilot, key)
        await wait_for(pilot, lambda s=next_screen: shown(app, s))


async def birth_visit(settings: Settings, staff) -> Counter:
    """出生 in a household found by its kana: search, open, date, name, kana, confirm."""
    count = Counter()
    app = CounterApp(settings, today=TODAY, staff=staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        await count.type(pilot, app.screen.query_one("#query"), "よなご")
        table = app.screen.query_one("#results")
        await wait_for(pilot, lambda: table.row_count == 2)
        await count.press(pilot, "down", "enter")
        await wait_for(pilot, lambda: shown(app, EventScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.household is not None)
        date_input = screen.query_one("#event-date")
        date_input.value = ""
        count.keys += 2  # End, Ctrl+U to clear the pre-filled date
        await count.type(pilot, date_input, "R8.11.20")
        # The household's surname is filled in: only the given name is typed.
        await count.type(pilot, screen.query_one("#child-name"), "陽翔")
        await count.type(pilot, screen.query_one("#child-kana"), "はると")
        await finish_visit(pilot, count)
    return count


async def certificate_visit(settings: Settings, staff, *, own_only: bool = False) -> Counter:
    """One 住民票の写し asked by the person themselves, from an empty search screen to the
    slip: the kana, F6 on the hit (the screen opens on exactly this request), F10. With
    ``own_only`` the 住民票 shows the person alone: Tab to whom it is for, ↓, Space."""
    count = Counter()
    app = CounterApp(settings, today=TODAY, staff=staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        await count.type(pilot, app.screen.query_one("#query"), "よなご")
        table = app.screen.query_one("#results")
        await wait_for(pilot, lambda: table.row_count == 2)
        await count.press(pilot, "f6")
        await wait_for(
            pilot, lambda: shown(app, CertificateScreen) and app.screen.decision is not None
        )
        screen = app.screen
        if own_only:
            await count.press(pilot, "tab", "down", "space")
            await pilot.pause()
            assert screen.decision is not None
            assert [line.member_names for line in screen.decision.lines] == [("米子　太郎",)]
        await count.press(pilot, "f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        assert app.screen.confirmed.slip_path is not None  # the slip is written
    return count


FAMILY = (  # name, kana, birth date, keys for the sex and then the 続柄 (Enter goes on)
    ("米子　太郎", "よなご　たろう", "S60.4.1", ("enter",), ()),
    ("米子　花子", "よなご　はなこ", "S62.6.15", ("right", "enter"), ("enter",)),  # 妻・夫
    ("米子　蓮", "よなご　れん", "H28.9.1", ("enter",), ("right", "enter")),  # 子
    ("米子　結衣", "よなご　ゆい", "R5.2.2", ("right", "enter"), ("right", "enter")),
)


async def move_in_visit(settings: Settings, staff) -> Counter:
    """A 4-member household typed from scratch: names, kana, birth dates, sexes, each
    added person's 続柄 (chosen, never preset), both addresses by postal code plus the 番地,
    the date; then the visit to the done screen."""
    count = Counter()
    app = CounterApp(settings, today=TODAY, staff=staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        await count.press(pilot, "f3")
        await wait_for(pilot, lambda: shown(app, NewcomerScreen))
        screen = app.screen
        for number, (name, kana, birth, sex_keys, relation_keys) in enumerate(FAMILY):
            if number:
                await count.press(pilot, "f6")
                await wait_for(pilot, lambda n=number: len(screen.query(MemberForm)) == n + 1)
            form = screen.query(MemberForm)[number]
            for selector, text in ((".name", name), (".kana", kana), (".birth", birth)):
                await count.type(pilot, form.query_one(selector), text)
                count.keys += 1  # Tab to the next field
            form.query_one(".sex").focus()  # the Tab after the birth date, counted above
            await count.press(pilot, *sex_keys, *relation_keys)
        for which, postal, town, rest in (
            ("new", "6830823", "鳥取県米子市加茂町", "2丁目3-4"),
            ("previous", "1000001", "東京都千代田区千代田", "1-1"),
        ):
            await count.type(pilot, screen.query_one(f"#{which}-postal"), postal)
            address = screen.query_one(f"#{which}-address")
            await wait_for(pilot, lambda a=address, t=town: a.value == t)
            await count.type(pilot, address, rest)
            count.keys += 1  # Tab onwards
        date_input = screen.query_one("#event-date")
        date_input.value = ""
        count.keys += 2  # End, Ctrl+U
        await count.type(pilot, date_input, "R8.11.16")
        await count.press(pilot, "f5")
        await wait_for(pilot, lambda: shown(app, EventScreen))
        event_screen = app.screen
        await wait_for(pilot, lambda: event_screen.event == "move_in")
        await finish_visit(pilot, count)
    return count


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-keys-"))
    url = f"sqlite:///{folder / 'counter.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    save_households(engine, [pilot_household()], municipality="312029")
    # signed in already: the sign-in is once a day, not part of a visit
    staff = create_staff(
        engine,
        login="kanri",
        display_name="管理　花子",
        role=ADMINISTRATOR,
        password="bench-password-1",
        actor=None,
        terminal="bench",
    )
    engine.dispose()
    settings = Settings(url, folder / "slips", "bench", seed_demo=False)
    for label, visit in (
        ("出生 in a known household", birth_visit),
        ("住民票の写し for the person themselves (whole household)", certificate_visit),
        (
            "住民票の写し for the person themselves (the person alone)",
            lambda s, f: certificate_visit(s, f, own_only=True),
        ),
        # Last: it registers a second 米子 household, which the searches above would find.
        ("4-member 転入 typed from scratch", move_in_visit),
    ):
        count = asyncio.run(visit(settings, staff))
        print(
            f"{label} (staff-only form fields left blank): {count.total} keystrokes "
            f"({count.keys} keys + {count.characters} characters typed)"
        )


if __name__ == "__main__":
    main()
