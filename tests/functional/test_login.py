"""Staff sign in before anything of a resident shows: the first administrator on a new
install, wrong passwords and the account lock, a reset password changed at sign-in, the
idle screen lock, a clerk refused the supervisor's screen, and signing out. The real app
with Pilot on a real SQLite file; what the database recorded is read back."""

from __future__ import annotations

from dataclasses import replace

from conftest import ADMIN_PASSWORD, CLERK_PASSWORD
from sqlmodel import Session, select
from test_visit_flow import TODAY, open_household, paste, shown, wait_for
from textual.widgets import DataTable, Input, Static

from db.engine import make_engine
from db.models import AuditLogRow, StaffRow, VisitRow
from db.staff import list_staff, reset_password
from screens.app import CounterApp
from screens.event import EventScreen
from screens.lock import LockScreen
from screens.login import FIRST_ADMINISTRATOR, SIGN_IN, LoginScreen
from screens.password import ChangePasswordScreen
from screens.search import SearchScreen
from screens.settings import Settings
from screens.staff_admin import NewPasswordDialog, StaffScreen


def audit_actions(settings) -> list[tuple[str, str | None]]:
    with Session(make_engine(settings.database_url)) as session:
        rows = session.exec(select(AuditLogRow).order_by(AuditLogRow.id)).all()
        return [(row.action, row.detail) for row in rows]


async def fill(pilot, screen, values: dict[str, str]) -> None:
    for selector, text in values.items():
        field = screen.query_one(selector, Input)
        field.value = ""
        paste(field, text)
    await pilot.pause()


def error_of(screen) -> str:
    return str(screen.query_one("#login-error", Static).render())


async def test_a_new_install_creates_the_first_administrator_then_asks_for_the_password(
    settings,
):
    app = CounterApp(settings, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, LoginScreen))
        login = app.screen
        await wait_for(pilot, lambda: login.mode == FIRST_ADMINISTRATOR)
        assert "最初の管理者の登録" in str(login.query_one("#login-title").render())
        await pilot.press("ctrl+p")  # nothing but help and quit before a sign-in
        assert isinstance(app.screen, LoginScreen)
        await fill(
            pilot,
            login,
            {
                "#login": "kanri",
                "#display-name": "管理　花子",
                "#password": ADMIN_PASSWORD,
                "#password-again": "something-else-1",
            },
        )
        await pilot.press("f5")
        assert "2つのパスワードが違います" in error_of(login)
        await fill(pilot, login, {"#password": "short", "#password-again": "short"})
        await pilot.press("f5")
        await wait_for(pilot, lambda: "10" in error_of(login))  # the rule, in Japanese
        await fill(pilot, login, {"#password": ADMIN_PASSWORD, "#password-again": ADMIN_PASSWORD})
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        assert app.staff.login == "kanri" and app.staff.role == "administrator"

    with Session(make_engine(settings.database_url)) as session:
        [row] = session.exec(select(StaffRow)).all()
        assert row.display_name == "管理　花子"  # U+3000 kept
        assert row.password_hash.startswith("$argon2id$")
        assert ADMIN_PASSWORD not in row.password_hash
    assert ("login", "") in [(a, "") for a, _ in audit_actions(settings)]

    again = CounterApp(settings, today=TODAY)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(again, LoginScreen) and again.database_ready)
        login = again.screen
        await wait_for(pilot, lambda: login.mode == SIGN_IN)
        assert not login.query_one("#first-only").display
        await fill(pilot, login, {"#login": "kanri", "#password": ADMIN_PASSWORD})
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(again, SearchScreen))


async def test_five_wrong_passwords_lock_the_account(settings, clerk):
    app = CounterApp(settings, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, LoginScreen) and app.database_ready)
        login = app.screen
        await wait_for(pilot, lambda: login.mode == SIGN_IN)
        for attempt in range(5):
            await fill(pilot, login, {"#login": "tanaka", "#password": f"wrong-{attempt}"})
            await pilot.press("f5")
            await wait_for(pilot, lambda: not login.busy and "確認" not in error_of(login))
        refused = error_of(login)
        assert "までログインできません" in refused, refused
        await fill(pilot, login, {"#login": "tanaka", "#password": CLERK_PASSWORD})
        await pilot.press("f5")  # the right password, but locked
        await wait_for(pilot, lambda: not login.busy and "確認" not in error_of(login))
        assert "までログインできません" in error_of(login) and isinstance(app.screen, LoginScreen)
        assert app.staff is None
    failed = [detail for action, detail in audit_actions(settings) if action == "failed_login"]
    assert len(failed) >= 5
    assert all(CLERK_PASSWORD not in detail for _, detail in audit_actions(settings))


async def test_a_reset_password_is_changed_at_the_next_sign_in(settings, clerk):
    engine = make_engine(settings.database_url)
    admin = next(s for s in list_staff(engine) if s.login == "kanri")
    reset_password(engine, admin, "tanaka", "reset-by-admin-1", terminal="pilot-test")
    app = CounterApp(settings, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, LoginScreen) and app.database_ready)
        login = app.screen
        await wait_for(pilot, lambda: login.mode == SIGN_IN)
        await fill(pilot, login, {"#login": "tanaka", "#password": "reset-by-admin-1"})
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, ChangePasswordScreen))
        change = app.screen
        await pilot.press("escape")  # no way round it
        assert app.screen is change
        await fill(
            pilot,
            change,
            {
                "#old-password": "reset-by-admin-1",
                "#new-password": "my-own-secret-22",
                "#new-password-again": "my-own-secret-22",
            },
        )
        await pilot.press("f5")
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        assert app.staff.must_change_password is False
    member = next(s for s in list_staff(engine) if s.login == "tanaka")
    assert member.must_change_password is False


def text_of(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query("Static"))


async def test_an_idle_terminal_locks_and_the_password_unlocks_it(settings, clerk):
    app = CounterApp(replace(settings, idle_lock_minutes=0.2), today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        event = await open_household(pilot, "よなご", 2, "down", "enter")
        assert not app.locked
        app._last_input -= 60  # staff walked away a minute ago; the check runs every 3 s
        # The lock is on top at once and composed a moment later (on a busy machine,
        # several frames later): its text is what staff see.
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, LockScreen) and "パスワード" in text_of(app.screen),
            tries=400,
        )
        lock = app.screen
        # nothing of the resident on the screen now
        drawn = text_of(lock)
        # (米子市 is the city in the header; the residents are 米子　太郎 and 米子　花子)
        assert "米子　" not in drawn and "ヨナゴ" not in drawn
        assert "田中　一郎さんのパスワード" in drawn
        await pilot.press("f12")  # the visit's keys are off while locked
        assert app.screen is lock
        paste(lock.query_one("#unlock-password", Input), "not-the-password")
        await pilot.press("enter")
        error = lock.query_one("#unlock-error", Static)
        await wait_for(pilot, lambda: "違います" in str(error.render()))
        paste(lock.query_one("#unlock-password", Input), CLERK_PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is event)
        assert app.visit.reception_number == 1
    actions = [action for action, _ in audit_actions(settings)]
    assert "lock" in actions and "unlock" in actions


async def test_the_lock_shown_and_taken_away_while_the_header_changes_does_not_crash(
    settings, clerk
):
    """The race behind a crash of the idle lock: a screen pushed and popped in one moment
    (the lock arriving as staff unlock or sign out) while the header's title changes
    (a visit numbered). Textual's Header queried its missing title child and the app died
    with NoMatches; ours keeps the title by reference."""
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        for number in range(1, 6):
            app.push_screen(LockScreen())
            app.pop_screen()
            app.sub_title = f"受付番号 {number}　米子市"
            await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        title = app.screen.query_one("#header-title", Static)
        assert "受付番号 5　米子市" in str(title.render())


async def test_a_first_start_asks_for_the_administrator_at_once(tmp_path):
    """No SQLite file yet: the first screen is the administrator's registration from the
    first frame, while the database is still being made and seeded (it used to say
    職員ログイン for the 3 s that took)."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'new' / 'counter.sqlite3'}",
        slip_dir=tmp_path / "slips",
        device_id="pilot-test",
    )
    app = CounterApp(settings, today=TODAY)
    titles = []
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, LoginScreen))
        login = app.screen
        titles.append((app.database_ready, str(login.query_one("#login-title").render())))
        await wait_for(pilot, lambda: app.database_ready, tries=1500)
        await pilot.pause(0.2)
        titles.append((app.database_ready, str(login.query_one("#login-title").render())))
    assert titles == [(False, "最初の管理者の登録"), (True, "最初の管理者の登録")]


async def test_a_clerk_cannot_open_staff_accounts_and_a_supervisor_resets_a_clerk(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen))
        app.open_staff()
        await pilot.pause()
        assert not isinstance(app.screen, StaffScreen)
    engine = make_engine(settings.database_url)
    admin = next(s for s in list_staff(engine) if s.login == "kanri")
    from db.staff import create_staff

    supervisor = create_staff(
        engine,
        login="suzuki",
        display_name="鈴木　主任",
        role="supervisor",
        password="supervisor-pass-1",
        actor=admin,
        terminal="pilot-test",
    )
    app = CounterApp(settings, today=TODAY, staff=supervisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: shown(app, SearchScreen) and app.database_ready)
        app.open_staff()
        await wait_for(pilot, lambda: shown(app, StaffScreen))
        table = app.screen.query_one("#staff", DataTable)
        await wait_for(pilot, lambda: table.row_count == 3)
        logins = [table.get_row_at(i)[0] for i in range(3)]
        # the administrator cannot be reset by a supervisor: refused, in Japanese
        table.move_cursor(row=logins.index("kanri"))
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, NewPasswordDialog))
        dialog = app.screen
        paste(dialog.query_one("#reset-password", Input), "new-for-admin-1")
        paste(dialog.query_one("#reset-password-again", Input), "new-for-admin-1")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, StaffScreen))
        status = app.screen.query_one("#staff-status", Static)
        await wait_for(pilot, lambda: str(status.render()) != "")
        assert "再設定しました" not in str(status.render())
        # a clerk can
        table.move_cursor(row=logins.index("tanaka"))
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, NewPasswordDialog))
        dialog = app.screen
        paste(dialog.query_one("#reset-password", Input), "new-for-tanaka-1")
        paste(dialog.query_one("#reset-password-again", Input), "new-for-tanaka-1")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "tanaka のパスワードを再設定しました" in str(status.render()))
    members = {s.login: s for s in list_staff(engine)}
    assert members["tanaka"].must_change_password is True
    assert members["kanri"].must_change_password is False


async def test_signing_out_parks_the_visit_and_shows_the_login(settings, clerk):
    app = CounterApp(settings, today=TODAY, staff=clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_household(pilot, "よなご", 2, "down", "enter")
        assert isinstance(app.screen, EventScreen)
        app.sign_out()
        await wait_for(pilot, lambda: shown(app, LoginScreen))
        assert app.staff is None and app.visit.current is None
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["SearchScreen", "LoginScreen"]
        await pilot.pause(0.2)  # let the login header's first title callback run
    with Session(make_engine(settings.database_url)) as session:
        [visit] = session.exec(select(VisitRow)).all()
        assert visit.status == "parked"
    assert "logout" in [action for action, _ in audit_actions(settings)]
