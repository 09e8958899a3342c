"""`counter --outreach FILE`: the counter app on an outreach laptop's encrypted file.

The checkout is made here through the workflow, from a real office SQLite file, into a
real SQLCipher file; the app runs on that file with Pilot (a tmux pane cannot feed the
passphrase through stdin, so the terminal side is proved by real processes that stop
before Textual: a wrong passphrase, another day's file). A visit's slips and forms are
then only inside that file: printed through a real CUPS queue or with no printer, no
plain PDF is left anywhere."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import CLERK_PASSWORD, add_staff
from pdfcheck import pdf_text, plain_pdfs
from sqlmodel import Session, func, select
from test_login import fill
from test_visit_flow import TODAY, go_to_forms, shown, wait_for
from textual.widgets import Static

from counter.outreach import parse_area
from counter.profile import load_profile
from db.engine import make_engine
from db.models import OutreachDocumentRow, VisitRow
from db.outreach_store import NOT_OPENED, store_engine
from db.outreach_unlock import UnlockedFile, unlock
from db.paths import default_database_url, sqlite_file
from screens.app import OUTREACH_TITLE, CounterApp
from screens.done import DoneScreen
from screens.login import LoginScreen
from screens.settings import Settings, SettingsError
from workflows.documents import FORMS, IN_OUTREACH_FILE, LARGE, SLIP
from workflows.outreach import checkout
from workflows.working_folder import ram_base

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


def outreach_file(path: Path) -> UnlockedFile:
    return unlock(path, PASSPHRASE)


def header(app, part: str) -> str:
    return str(app.screen.query_one(f"#header-{part}", Static).render())


async def sign_in(pilot, app) -> None:
    """The clerk signs in with the account copied at checkout."""
    await wait_for(pilot, lambda: shown(app, LoginScreen))
    login = app.screen
    await wait_for(pilot, lambda: login.mode == "sign_in" or app.database_ready)
    await fill(pilot, login, {"#login": "tanaka", "#password": CLERK_PASSWORD})
    await pilot.press("f5")
    await wait_for(pilot, lambda: app.staff is not None)


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
        await sign_in(pilot, app)
        await wait_for(pilot, lambda: "持ち帰り待ち 0件" in header(app, "outreach"))
        assert OUTREACH_TITLE in header(app, "title")
        await go_to_forms(pilot, "よなご", 2, "down", "enter")
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        number = app.screen.confirmed.visit.reception_number
        first, last = store.reception
        assert first <= number <= last
        await wait_for(pilot, lambda: "持ち帰り待ち 1件" in header(app, "outreach"))
    assert read_laptop(store, count_visits) == 1
    with Session(make_engine(settings.database_url)) as session:  # the office: no visit
        assert session.exec(select(func.count()).select_from(VisitRow)).one() == 0
    default = sqlite_file(default_database_url())
    assert default is not None and not default.exists()


NO_PRINTER = "プリンターが設定されていません。PDFは出張用ファイルの中に保存しました"


def laptop_app(settings: Settings, tmp_path: Path, printer: str | None):
    """The app on a fresh laptop file of today, its slip folder under ``tmp_path``."""
    make_laptop(settings, tmp_path / "car1.db", TODAY)
    store = outreach_file(tmp_path / "car1.db")
    laptop = replace(Settings.for_outreach(store), slip_dir=tmp_path / "slips", printer=printer)
    return CounterApp(laptop, today=TODAY), store


def read_laptop(store: UnlockedFile, query: Callable[[Session], Any]) -> Any:
    """``query`` on the laptop's file, through an engine of its own."""
    engine = store_engine(store.path, store.key)
    try:
        with Session(engine) as session:
            return query(session)
    finally:
        engine.dispose()


def count_visits(session: Session) -> int:
    return session.exec(select(func.count()).select_from(VisitRow)).one()


def sealed_pdfs(store: UnlockedFile) -> dict[str, OutreachDocumentRow]:
    rows = read_laptop(store, lambda session: session.exec(select(OutreachDocumentRow)).all())
    return {row.label: row for row in rows}


def assert_nothing_readable_outside(store: UnlockedFile, tmp_path: Path, working: Path) -> None:
    """The working folder is gone, no plain PDF is in the test's folders or the data
    directory, and the laptop's file shows neither a PDF nor a resident's name to a
    reader without the passphrase."""
    assert not working.exists()
    assert plain_pdfs(tmp_path, Path(os.environ["COUNTER_DATA_DIR"])) == []
    for part in tmp_path.glob("car1.db*"):  # the file, and its WAL if one is left
        raw = part.read_bytes()
        for secret in (b"%PDF", "米子".encode(), "ヨナゴ".encode(), "よなご".encode()):
            assert secret not in raw, (part.name, secret)


async def test_on_the_laptop_the_papers_are_kept_only_inside_the_file(
    settings: Settings, tmp_path: Path
):
    app, store = laptop_app(settings, tmp_path, printer=None)
    async with app.run_test(size=(80, 24)) as pilot:
        working = app.documents.folder.path  # made fresh for this run, on RAM
        assert working.parent == ram_base() and stat.S_IMODE(working.stat().st_mode) == 0o700
        await sign_in(pilot, app)
        await go_to_forms(pilot, "よなご", 2, "down", "enter")
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        done = app.screen
        confirmed = done.confirmed
        status = str(done.query_one("#print-status").render())
        assert "PDFを保存しました（出張用ファイルの中）" in status
        assert f"案内票: {IN_OUTREACH_FILE}" in str(done.query_one("#done").render())
        await pilot.press("f6")
        await wait_for(pilot, lambda: len(done.print_results) == 1)
        assert done.print_results[0][1].message == NO_PRINTER
        await pilot.press("f9")  # the large-print slip, made now and kept in the file
        await wait_for(pilot, lambda: [label for label, _ in done.print_results] == [LARGE])
        assert done.print_results[0][1].message == NO_PRINTER
        assert list(working.iterdir()) == []
    kept = sealed_pdfs(store)
    assert sorted(kept) == sorted([SLIP, FORMS, LARGE])
    for row in kept.values():
        assert row.visit_id == confirmed.visit.id and row.pdf.startswith(b"%PDF")
    number = confirmed.visit.reception_number
    assert f"受付番号{number}" in "".join(pdf_text(kept[SLIP].pdf).split())
    assert "住民異動届" in pdf_text(kept[FORMS].pdf)
    visit = read_laptop(store, lambda session: session.get(VisitRow, confirmed.visit.id))
    assert visit is not None and visit.slip_path == f"{IN_OUTREACH_FILE}{kept[SLIP].file_name}"
    assert_nothing_readable_outside(store, tmp_path, working)


async def test_on_the_laptop_a_print_sends_the_kept_pdf_and_leaves_no_file(
    settings: Settings, tmp_path: Path, printer: Path
):
    from cupsserver import QUEUE, wait_for_content

    app, store = laptop_app(settings, tmp_path, printer=QUEUE)
    async with app.run_test(size=(80, 24)) as pilot:
        working = app.documents.folder.path
        await sign_in(pilot, app)
        await go_to_forms(pilot, "よなご", 2, "down", "enter")
        await pilot.press("f10")
        await wait_for(pilot, lambda: shown(app, DoneScreen))
        done = app.screen
        await wait_for(pilot, lambda: len(done.print_results) == 2)
        for label, result in done.print_results:
            assert result.printed, (label, result.message)
        kept = sealed_pdfs(store)
        # The file printer holds the last job: the forms, byte for byte, from the store.
        assert wait_for_content(printer, kept[FORMS].pdf) == kept[FORMS].pdf
        await pilot.press("f6")  # again, as a new job
        await wait_for(pilot, lambda: [label for label, _ in done.print_results] == [SLIP])
        assert done.print_results[0][1].printed
        assert wait_for_content(printer, kept[SLIP].pdf) == kept[SLIP].pdf
        assert list(working.iterdir()) == []
    assert_nothing_readable_outside(store, tmp_path, working)


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
    assert read_laptop(store, count_visits) == 0


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
