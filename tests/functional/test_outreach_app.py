"""`counter --outreach FILE`: the counter app on an outreach laptop's encrypted file.

The checkout is made here through the workflow, from a real office SQLite file, into a
real SQLCipher file; the app runs on that file with Pilot (a tmux pane cannot feed the
passphrase through stdin, so the terminal side is proved by real processes that stop
before Textual: a wrong passphrase, another day's file)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import CLERK_PASSWORD, add_staff
from sqlmodel import Session, func, select
from test_login import fill
from test_visit_flow import TODAY, go_to_forms, shown, wait_for
from textual.widgets import Static

from counter.outreach import parse_area
from counter.profile import load_profile
from db.engine import make_engine
from db.models import VisitRow
from db.outreach_store import NOT_OPENED, open_store
from db.paths import default_database_url, sqlite_file
from screens.app import OUTREACH_TITLE, CounterApp
from screens.done import DoneScreen
from screens.login import LoginScreen
from screens.settings import OutreachFile, Settings, SettingsError
from workflows.outreach import checkout

PASSPHRASE = "sharyou-no-aikotoba-7"


def make_laptop(settings: Settings, out: Path, outing: date) -> None:
    """A supervisor's checkout of the pilot household's postal code for ``outing``."""
    engine = make_engine(settings.database_url)
    admin, _ = add_staff(engine)
    checkout(
        engine,
        actor_id=admin.id,
        actor_login=admin.login,
        terminal="office-1",
        terms=[parse_area("6830823")],
        out=out,
        passphrase=PASSPHRASE,
        profile=load_profile("312029"),
        office_date=outing,
        reception_count=20,
        payment_count=20,
    )
    engine.dispose()


def outreach_file(path: Path) -> OutreachFile:
    engine, laptop = open_store(path, PASSPHRASE)
    return OutreachFile(
        engine=engine,
        office_date=laptop.office_date,
        municipality=laptop.municipality,
        area=laptop.area,
        reception=(laptop.reception_first, laptop.reception_last),
    )


def header(app, part: str) -> str:
    return str(app.screen.query_one(f"#header-{part}", Static).render())


async def test_the_app_runs_on_the_laptop_file_and_numbers_inside_the_block(
    settings: Settings, tmp_path: Path
):
    out = tmp_path / "car1.db"
    make_laptop(settings, out, TODAY)
    store = outreach_file(out)
    laptop_settings = Settings.for_outreach(store)
    assert laptop_settings.seed_demo is False
    assert PASSPHRASE not in repr(laptop_settings)  # the URL names the file, never the key
    app = CounterApp(laptop_settings, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, LoginScreen))
        login = app.screen
        await wait_for(pilot, lambda: login.mode == "sign_in" or app.database_ready)
        await fill(pilot, login, {"#login": "tanaka", "#password": CLERK_PASSWORD})
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.staff is not None)
        await wait_for(pilot, lambda: "持ち帰り待ち 0件" in header(app, "outreach"))
        assert OUTREACH_TITLE in header(app, "title")
        await go_to_forms(pilot, "よなご", 2, "down", "enter")
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        number = app.screen.confirmed.visit.reception_number
        first, last = store.reception
        assert first <= number <= last
        await wait_for(pilot, lambda: "持ち帰り待ち 1件" in header(app, "outreach"))
    with Session(store.engine) as session:
        assert session.exec(select(func.count()).select_from(VisitRow)).one() == 1
    store.engine.dispose()
    with Session(make_engine(settings.database_url)) as session:  # the office: no visit
        assert session.exec(select(func.count()).select_from(VisitRow)).one() == 0
    default = sqlite_file(default_database_url())
    assert default is not None and not default.exists()


async def test_the_office_app_has_no_outreach_line(settings: Settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.database_ready)
        await pilot.pause()
        assert app.screen.query_one("#header-outreach").display is False
        assert OUTREACH_TITLE not in header(app, "title")


def test_a_file_of_another_day_is_refused_before_any_number(settings: Settings, tmp_path):
    out = tmp_path / "car1.db"
    make_laptop(settings, out, TODAY + timedelta(days=1))
    store = outreach_file(out)
    with pytest.raises(SettingsError, match="この出張用ファイルは令和8年11月25日の出張用です"):
        CounterApp(Settings.for_outreach(store), today=TODAY)
    with Session(store.engine) as session:
        assert session.exec(select(func.count()).select_from(VisitRow)).one() == 0
    store.engine.dispose()


def counter(*args: str, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "counter.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COUNTER_PASSWORD_STDIN": "1"},
    )


def test_a_wrong_passphrase_is_one_japanese_line_and_exit_2(settings: Settings, tmp_path):
    out = tmp_path / "car1.db"
    make_laptop(settings, out, date.today())
    done = counter("--outreach", str(out), stdin="chigau-aikotoba-99\n")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"エラー: {NOT_OPENED}"]
    assert done.stdout == ""
    default = sqlite_file(default_database_url())
    assert default is not None and not default.exists()


def test_the_process_refuses_a_file_of_another_day_before_any_screen(settings: Settings, tmp_path):
    out = tmp_path / "car1.db"
    make_laptop(settings, out, date.today() - timedelta(days=1))
    done = counter("--outreach", str(out), stdin=f"{PASSPHRASE}\n")
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith("エラー: この出張用ファイルは令和") and "の出張用です" in line
    assert done.stdout == ""


def test_outreach_is_only_for_the_counter_screen(tmp_path):
    done = counter("--outreach", str(tmp_path / "car1.db"), "catalogue", "check", stdin="")
    assert done.returncode == 2
    assert "--outreach は窓口画面を開くときだけ使えます" in done.stderr
