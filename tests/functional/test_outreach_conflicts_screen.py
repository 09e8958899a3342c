"""「出張の確認待ち」: a supervisor settles on a screen what an outreach hand-back could not.

The conflicts are made by the real path: a checkout of the pilot household's area into
a real SQLCipher file; on the laptop a newcomer registered and two visits confirmed; at
the office meanwhile a resident of the newcomer's name and birth date registered and the
pilot household changed; the laptop's bundle exported and imported. Then the real app
with Pilot at 80×24 settles them, and what the office's database holds is read back.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import date

import pytest
from conftest import ADMIN_PASSWORD, add_staff, pilot_household
from narrow import table_problems
from outreach_day import check_out, move_in_visit, open_laptop
from sqlmodel import Session, select
from test_keyboard import drawn_ambiguous, english_words, open_palette, run_command
from test_login import fill
from test_snapshots import screen_text
from test_visit_flow import shown, wait_for
from textual.widgets import DataTable, Static

from counter.household import Address, Household, Member
from db.engine import make_engine
from db.migrate import upgrade
from db.models import AuditLogRow, HouseholdRow, OutreachConflictRow, ResidentRow, VisitRow
from db.register import save_households
from screens.app import CounterApp
from screens.login import LoginScreen
from screens.outreach_conflicts import OutreachConflictsScreen, SettleDialog
from screens.search import SearchScreen
from workflows.outreach_conflicts import settle
from workflows.outreach_export import export_bundle
from workflows.outreach_import import import_bundle

NEWCOMER, SAME_PERSON, CHANGED = "H990001", "H990002", "H900001"


def one_person(household_id: str, postal: str, address: str) -> Household:
    """出張　太郎 (born 1985-05-05), alone in ``household_id``."""
    head = Member(
        f"{household_id}-1", "出張　太郎", "シュッチョウ　タロウ", date(1985, 5, 5), "male", "head"
    )
    return Household(household_id=household_id, address=Address(postal, address), members=(head,))


@pytest.fixture(scope="module")
def handed_back_template(tmp_path_factory):
    """An office file (the pilot household, as the ``settings`` fixture makes it) with two
    open conflicts (a newcomer who may be someone the office registered meanwhile, a
    household the office changed since checkout), made once per module by the real
    checkout → laptop visits → export → import; the file, kanri and tanaka."""
    folder = tmp_path_factory.mktemp("handed-back")
    office = make_engine(f"sqlite:///{folder / 'office.sqlite3'}")
    upgrade(office)
    save_households(office, [pilot_household()], municipality="312029")
    admin, clerk = add_staff(office)
    out = folder / "car1.db"
    check_out(office, out, admin, area="6830823", reception=20, payment=20)
    laptop = open_laptop(out)
    newcomer = one_person(NEWCOMER, "6830823", "鳥取県米子市加茂町二丁目5番地")
    save_households(laptop, [newcomer], municipality="312029")
    for household_id in (NEWCOMER, CHANGED):
        move_in_visit(laptop, household_id)
    # Meanwhile at the office.
    same = one_person(SAME_PERSON, "6830801", "鳥取県米子市新開一丁目2番地")
    moved = replace(pilot_household(), address=Address("6830823", "鳥取県米子市加茂町二丁目9番地"))
    save_households(office, [same, moved], municipality="312029")
    bundle = folder / "car1.bundle"
    export_bundle(laptop, bundle, staff_id=clerk.id, terminal="laptop-1")
    laptop.dispose()
    summary = import_bundle(office, bundle.read_bytes(), staff_id=admin.id, terminal="office-1")
    assert summary.conflicts == 2
    office.dispose()
    return folder / "office.sqlite3", admin, clerk


@pytest.fixture
def handed_back(settings, handed_back_template):
    """The office file of ``settings`` replaced by a copy of the template; kanri, tanaka."""
    template, admin, clerk = handed_back_template
    shutil.copyfile(template, settings.database_url.removeprefix("sqlite:///"))
    return admin, clerk


def stored(settings, model, **where):
    with Session(make_engine(settings.database_url)) as session:
        query = select(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return session.exec(query).all()


def conflict_of(settings, household_id: str) -> OutreachConflictRow:
    (row,) = stored(settings, OutreachConflictRow, household_id=household_id)
    return row


def latin_words(text: str) -> set[str]:
    """English words staff would read, beside the data a supervisor needs: household ids,
    the era letter of a short 和暦 (R8.12.3) and the masked clock."""
    return {w for w in english_words(text) if not re.fullmatch(r"H\d{6}|R\d+|HH|MM|SS", w)}


def footer_keys(screen) -> list[str]:
    return [str(key.render()) for key in screen.query("FooterKey")]


def message(screen) -> str:
    return str(screen.query_one("#conflicts-message", Static).render())


async def open_screen(pilot) -> OutreachConflictsScreen:
    """F8 on the search screen, once the database is open; the list read."""
    app = pilot.app
    await wait_for(pilot, lambda: shown(app, SearchScreen) and app.database_ready)
    await pilot.press("f8")
    await wait_for(pilot, lambda: shown(app, OutreachConflictsScreen))
    screen = app.screen
    status = screen.query_one("#conflicts-status", Static)
    await wait_for(pilot, lambda: "読み込んでいます" not in str(status.render()))
    await pilot.pause()  # the columns take their widths at the next refresh
    return screen


async def choose(pilot, screen, household_id: str) -> None:
    table = screen.query_one("#conflicts", DataTable)
    table.move_cursor(row=[c.household_id for c in screen.conflicts].index(household_id))
    await pilot.pause()


async def settle_with(pilot, key: str) -> None:
    """``key`` on the chosen conflict, then Enter in the confirmation."""
    app = pilot.app
    screen = app.screen
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, SettleDialog))
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen is screen and message(screen) != "")


async def test_a_newcomer_is_registered_as_another_person(settings, handed_back):
    admin, _ = handed_back
    app = CounterApp(settings, staff=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        assert [c.household_id for c in screen.conflicts] == [CHANGED, NEWCOMER]
        await choose(pilot, screen, NEWCOMER)
        detail = str(screen.query_one("#conflict-detail").render())
        assert "「出張　太郎」（昭和60年5月5日生）" in detail
        assert f"窓口の世帯 {SAME_PERSON}" in detail
        keys = footer_keys(screen)
        assert any("別の人として登録" in k for k in keys)
        assert any("窓口の人とする" in k for k in keys)
        assert not any("確認済みにする" in k for k in keys)  # not for a newcomer
        await settle_with(pilot, "f5")
        assert message(screen).startswith("処理しました: 転入者が既に登録されている可能性")
        assert [c.household_id for c in screen.conflicts] == [CHANGED]
    assert stored(settings, HouseholdRow, id=NEWCOMER)
    assert [r.name for r in stored(settings, ResidentRow, household_id=NEWCOMER)] == ["出張　太郎"]
    row = conflict_of(settings, NEWCOMER)
    assert (row.resolution, row.settled_by) == ("register", admin.id)
    assert row.settled_at is not None
    (audited,) = [a for a in stored(settings, AuditLogRow) if "確認待ちの処理" in a.detail]
    assert (audited.staff_id, audited.terminal) == (admin.id, settings.device_id)


async def test_a_newcomer_taken_as_the_offices_resident_moves_the_visit(settings, handed_back):
    admin, _ = handed_back
    visit_id = conflict_of(settings, NEWCOMER).visit_id
    app = CounterApp(settings, staff=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        await choose(pilot, screen, NEWCOMER)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, SettleDialog))
        said = str(app.screen.query_one("WrappedText").render())
        assert f"窓口の世帯 {SAME_PERSON} のもの" in said
        await pilot.press("escape")  # やめる: nothing is done
        await wait_for(pilot, lambda: app.screen is screen)
        assert conflict_of(settings, NEWCOMER).settled_at is None
        await settle_with(pilot, "f6")
        assert "窓口の記録の人とした" in message(screen)
    (visit,) = stored(settings, VisitRow, id=visit_id)
    assert visit.household_id == SAME_PERSON
    assert not stored(settings, HouseholdRow, id=NEWCOMER)  # the laptop's rows not used
    row = conflict_of(settings, NEWCOMER)
    assert (row.resolution, row.settled_by) == ("use_office", admin.id)


async def test_a_household_changed_at_the_office_is_marked_reviewed(settings, handed_back):
    admin, _ = handed_back
    visit_id = conflict_of(settings, CHANGED).visit_id
    app = CounterApp(settings, staff=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        await choose(pilot, screen, CHANGED)
        keys = footer_keys(screen)
        assert any("確認済みにする" in k for k in keys)
        assert not any("別の人として登録" in k or "窓口の人とする" in k for k in keys)
        await pilot.press("f5")  # not offered for this kind: nothing happens
        await pilot.pause()
        assert app.screen is screen
        await settle_with(pilot, "f7")
        assert "確認した" in message(screen)
        # The last one: the list says there is nothing left.
        await choose(pilot, screen, NEWCOMER)
        await settle_with(pilot, "f5")
        status = screen.query_one("#conflicts-status", Static)
        assert str(status.render()) == "確認待ちはありません"
        assert not any("F5" in k or "F6" in k or "F7" in k for k in footer_keys(screen))
    (visit,) = stored(settings, VisitRow, id=visit_id)
    assert visit.household_id == CHANGED  # the visit stands as made on the road
    row = conflict_of(settings, CHANGED)
    assert (row.resolution, row.settled_by) == ("reviewed", admin.id)


async def test_a_conflict_settled_elsewhere_meanwhile_is_one_line(settings, handed_back):
    admin, _ = handed_back
    app = CounterApp(settings, staff=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        await choose(pilot, screen, CHANGED)
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, SettleDialog))
        # Another supervisor's terminal settles it first.
        settle(app.engine, conflict_of(settings, CHANGED).id, "reviewed",
               staff_id=admin.id, terminal="office-2")  # fmt: skip
        await pilot.press("enter")
        await wait_for(pilot, lambda: message(screen) != "")
        assert message(screen) == "この確認待ちは既に処理されています"
        assert screen.query_one("#conflicts-message").has_class("error")
        assert [c.household_id for c in screen.conflicts] == [NEWCOMER]  # listed again


async def test_at_80_columns_every_column_shows_in_japanese(settings, handed_back):
    admin, _ = handed_back
    app = CounterApp(settings, staff=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        text = screen_text(screen, (80, 24))
        assert table_problems(screen) == []
        for heading in ("種類", "出張の地域", "取り込み日時", "世帯"):
            assert heading in text
        for household_id in (CHANGED, NEWCOMER):
            assert household_id in text
        assert "転入者が既に登録されている可能性" in text  # whole at 80 columns
        assert latin_words(text) == set(), text
        assert drawn_ambiguous(screen) == {}
        assert "F1 ヘルプ" in text.rstrip("\n").splitlines()[-1]
        await pilot.press("f5")  # on the first row, a changed household: not offered
        await choose(pilot, screen, NEWCOMER)
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, SettleDialog))
        await pilot.pause()
        dialog = screen_text(app.screen, (80, 24))
        assert "「別の人として登録」で処理しますか" in dialog
        assert latin_words(dialog) == set(), dialog
        assert drawn_ambiguous(app.screen) == {}


async def test_a_clerk_is_refused_and_not_told_of_conflicts(settings, handed_back):
    _, clerk = handed_back
    app = CounterApp(settings, staff=clerk)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen) and app.database_ready)
        await pilot.press("f8")
        await wait_for(
            pilot, lambda: any("監督者と管理者だけ" in n.message for n in app._notifications)
        )
        assert not isinstance(app.screen, OutreachConflictsScreen)
        assert not any("確認待ちが" in n.message for n in app._notifications)
        assert "出張の確認待ち" not in await open_palette(pilot)  # not offered to a clerk


async def test_the_administrator_signing_in_is_told_how_many_wait(settings, handed_back):
    app = CounterApp(settings)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: shown(app, LoginScreen))
        await wait_for(pilot, lambda: app.database_ready)
        await fill(pilot, app.screen, {"#login": "kanri", "#password": ADMIN_PASSWORD})
        await pilot.press("f5")
        await wait_for(pilot, lambda: any("確認待ちが2件" in n.message for n in app._notifications))


async def test_from_the_palette_with_nothing_waiting_the_screen_says_so(settings):
    admin, _ = add_staff(make_engine(settings.database_url))
    app = CounterApp(settings, staff=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen) and app.database_ready)
        await run_command(pilot, "出張の確認待ち")
        await wait_for(pilot, lambda: shown(app, OutreachConflictsScreen))
        screen = app.screen
        status = screen.query_one("#conflicts-status", Static)
        await wait_for(pilot, lambda: "読み込んでいます" not in str(status.render()))
        assert str(screen.query_one("#conflicts-status", Static).render()) == "確認待ちはありません"
        assert not any("F5" in k for k in footer_keys(screen))
