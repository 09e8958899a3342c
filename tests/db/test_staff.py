"""Staff accounts on both backends: Argon2id hashes, the lock after five wrong passwords,
who may reset and disable whom, and the audit row each call writes."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from argon2.profiles import get_default_parameters
from sqlalchemy import func
from sqlmodel import Session, select

import db.staff as staff_module
from counter.staff import ADMINISTRATOR, CLERK, SUPERVISOR
from db.audit import verify
from db.models import AuditLogRow, StaffRow
from db.staff import (
    DISABLED,
    WRONG_LOGIN,
    NotAllowed,
    SignInRefused,
    change_password,
    confirm_password,
    create_staff,
    disable_staff,
    has_staff,
    japan_time,
    list_staff,
    reset_password,
    sign_in,
    sign_out,
    unknown_login_detail,
)

ADMIN_PASSWORD = "kanri-password-1"
T0 = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 令和8年12月3日（木）10:00 in Japan


# argon2-cffi's recommended cost, as the program hashes; named, because PasswordHasher()
# in a test's process has the smallest cost (tests/subprocess_site)
RECOMMENDED = PasswordHasher.from_parameters(get_default_parameters())


@pytest.fixture(autouse=True)
def quick_hashes(request, monkeypatch):
    """Argon2id with small costs, so the many sign-ins below stay quick; tests about the
    stored hash itself ask for ``real_hashes``."""
    if "real_hashes" not in request.fixturenames:
        quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        monkeypatch.setattr(staff_module, "_hasher", quick)


def add(engine, login, role, actor, password=None, terminal="t-admin"):
    return create_staff(
        engine,
        login=login,
        display_name=f"{login}　職員",
        role=role,
        password=password or f"{login}-password",
        actor=actor,
        terminal=terminal,
    )


@pytest.fixture
def admin(engine):
    return add(engine, "admin", ADMINISTRATOR, None, ADMIN_PASSWORD)


@pytest.fixture
def supervisor(engine, admin):
    return add(engine, "kantoku", SUPERVISOR, admin)


@pytest.fixture
def clerk(engine, admin):
    return add(engine, "madoguchi", CLERK, admin)


def stored(engine, login) -> StaffRow:
    with Session(engine) as session:
        return session.exec(select(StaffRow).where(StaffRow.login == login)).one()


def audit_rows(engine) -> list[tuple[str, str | None, str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(AuditLogRow).order_by(AuditLogRow.id)).all()
    return [(r.action, r.staff_id, r.terminal, r.detail) for r in rows]


def fail_sign_in(engine, login, password, now=None) -> str:
    with pytest.raises(SignInRefused) as refused:
        sign_in(engine, login, password, terminal="t1", now=now)
    return str(refused.value)


def test_the_password_is_kept_as_an_argon2id_hash_and_never_as_itself(real_hashes, engine, admin):
    row = stored(engine, "admin")
    assert row.password_hash.startswith("$argon2id$")
    assert not RECOMMENDED.check_needs_rehash(row.password_hash)
    assert ADMIN_PASSWORD not in row.password_hash
    assert RECOMMENDED.verify(row.password_hash, ADMIN_PASSWORD)
    with Session(engine) as session:
        detail = " ".join(session.exec(select(AuditLogRow.detail)).all())
    assert ADMIN_PASSWORD not in detail
    assert sign_in(engine, " ADMIN ", ADMIN_PASSWORD, terminal="t1") == admin


def test_a_wrong_login_and_a_wrong_password_get_the_same_sentence(engine, admin):
    assert fail_sign_in(engine, "nobody", ADMIN_PASSWORD) == WRONG_LOGIN
    assert fail_sign_in(engine, "admin", "not-the-password") == WRONG_LOGIN
    assert fail_sign_in(engine, "田中", "not-the-password") == WRONG_LOGIN


def test_a_moment_is_read_in_japan_time_whole_or_short_for_a_tables_column():
    late = datetime(2026, 12, 2, 15, 5, tzinfo=UTC)  # already the 3rd in Japan
    assert japan_time(late) == "令和8年12月3日（木） 00:05"
    assert japan_time(late, short=True) == "R8.12.3(木) 00:05"


def test_five_wrong_passwords_lock_the_account_until_the_lock_ends(engine, clerk, monkeypatch):
    password = "madoguchi-password"
    for _ in range(4):
        assert fail_sign_in(engine, "madoguchi", "wrong-password", T0) == WRONG_LOGIN
    fifth = fail_sign_in(engine, "madoguchi", "wrong-password", T0)
    until = T0 + timedelta(minutes=15)
    assert japan_time(until) == "令和8年12月3日（木） 10:15"
    assert "令和8年12月3日（木） 10:15まで" in fifth
    assert stored(engine, "madoguchi").locked_until == until

    # While locked, the right password is refused like a wrong one; both are verified once,
    # so the answer takes as long as any sign-in (issue 22: a locked account answered fast).
    checked = []
    verify = staff_module._verify
    with monkeypatch.context() as patched:
        patched.setattr(staff_module, "_verify", lambda *a: checked.append(1) or verify(*a))
        refused = fail_sign_in(engine, "madoguchi", password, T0 + timedelta(minutes=14))
        wrong = fail_sign_in(engine, "madoguchi", "wrong-password", T0 + timedelta(minutes=14))
    assert "10:15まで" in refused and refused == wrong and len(checked) == 2
    member = sign_in(engine, "madoguchi", password, terminal="t1", now=until + timedelta(seconds=1))
    assert member.id == clerk.id
    assert stored(engine, "madoguchi").locked_until is None


def test_the_lock_lasts_the_minutes_given(engine, clerk):
    for _ in range(5):
        with pytest.raises(SignInRefused):
            sign_in(engine, "madoguchi", "wrong-password", terminal="t1", lock_minutes=60, now=T0)
    assert stored(engine, "madoguchi").locked_until == T0 + timedelta(minutes=60)
    assert "11:00まで" in fail_sign_in(engine, "madoguchi", "madoguchi-password", T0)


def test_a_success_resets_the_count_of_wrong_passwords(engine, clerk):
    for _ in range(4):
        fail_sign_in(engine, "madoguchi", "wrong-password", T0)
    sign_in(engine, "madoguchi", "madoguchi-password", terminal="t1", now=T0)
    for _ in range(4):
        assert fail_sign_in(engine, "madoguchi", "wrong-password", T0) == WRONG_LOGIN
    assert sign_in(engine, "madoguchi", "madoguchi-password", terminal="t1", now=T0) == clerk


def test_a_disabled_account_is_refused(engine, admin, clerk):
    disable_staff(engine, admin, "madoguchi", terminal="t-admin")
    assert fail_sign_in(engine, "madoguchi", "madoguchi-password") == DISABLED
    assert fail_sign_in(engine, "madoguchi", "wrong-password") == WRONG_LOGIN
    with pytest.raises(NotAllowed, match="無効"):  # nor can it act with a session it still has
        disable_staff(engine, clerk, "admin", terminal="t1")
    assert [m.disabled for m in list_staff(engine)] == [False, True]  # admin, madoguchi


def test_a_clerk_trying_a_supervisor_action_is_refused_and_audited(engine, clerk, supervisor):
    add(engine, "madoguchi2", CLERK, stored_member(engine, "admin"))
    before = stored(engine, "madoguchi2").password_hash
    with pytest.raises(NotAllowed, match="窓口職員は窓口職員のパスワードを再設定できません"):
        reset_password(engine, clerk, "madoguchi2", "new-password-1", terminal="t-clerk")
    assert stored(engine, "madoguchi2").password_hash == before
    action, staff_id, terminal, detail = audit_rows(engine)[-1]
    assert (action, staff_id, terminal) == ("edit", clerk.id, "t-clerk")
    assert "拒否" in detail and "madoguchi2" in detail
    for attempt in (
        lambda: disable_staff(engine, clerk, "madoguchi2", terminal="t-clerk"),
        lambda: add(engine, "newcomer", CLERK, clerk),
    ):
        with pytest.raises(NotAllowed, match="管理者だけ"):
            attempt()
    assert [m.login for m in list_staff(engine)] == ["admin", "kantoku", "madoguchi", "madoguchi2"]
    assert not any(m.disabled for m in list_staff(engine))


def stored_member(engine, login):
    return next(m for m in list_staff(engine) if m.login == login)


def test_a_supervisor_resets_a_clerk_but_not_a_supervisor_or_an_administrator(
    engine, admin, supervisor, clerk
):
    for _ in range(5):
        fail_sign_in(engine, "madoguchi", "wrong-password")
    assert stored(engine, "madoguchi").locked_until is not None
    reset_password(engine, supervisor, "madoguchi", "temporary-pass-1", terminal="t-sv")
    row = stored(engine, "madoguchi")
    assert (row.locked_until, row.failed_attempts, row.must_change_password) == (None, 0, True)
    member = sign_in(engine, "madoguchi", "temporary-pass-1", terminal="t1")
    assert member.must_change_password
    fail_sign_in(engine, "madoguchi", "madoguchi-password")  # the old one no longer works

    add(engine, "kantoku2", SUPERVISOR, admin)
    for login, role in (("kantoku2", "監督者"), ("admin", "管理者")):
        with pytest.raises(NotAllowed, match=f"監督者は{role}のパスワードを再設定できません"):
            reset_password(engine, supervisor, login, "temporary-pass-2", terminal="t-sv")
    assert sign_in(engine, "admin", ADMIN_PASSWORD, terminal="t1") == admin  # unchanged
    with pytest.raises(NotAllowed, match="管理者だけ"):
        disable_staff(engine, supervisor, "madoguchi", terminal="t-sv")


def test_an_administrator_resets_anyone_and_disables_anyone_but_itself(engine, admin, supervisor):
    reset_password(engine, admin, "kantoku", "temporary-pass-3", terminal="t-admin")
    assert sign_in(engine, "kantoku", "temporary-pass-3", terminal="t1").must_change_password
    second = add(engine, "admin2", ADMINISTRATOR, admin)
    reset_password(engine, second, "admin", "temporary-pass-4", terminal="t-admin")
    disable_staff(engine, admin, "admin2", terminal="t-admin")
    with pytest.raises(NotAllowed, match="自分のアカウント"):  # the last active administrator
        disable_staff(engine, admin, "admin", terminal="t-admin")
    with pytest.raises(NotAllowed, match="もう無効"):
        disable_staff(engine, admin, "admin2", terminal="t-admin")
    with pytest.raises(NotAllowed, match="職員はいません"):
        disable_staff(engine, admin, "nobody", terminal="t-admin")
    assert {m.login: m.disabled for m in list_staff(engine)} == {
        "admin": False,
        "admin2": True,
        "kantoku": False,
    }


def test_two_terminals_creating_the_first_administrator_at_once_cannot_both(engine, monkeypatch):
    """Each finds no account, then (slowed down here) checks its login name: without a
    lock both went on to create an administrator (PostgreSQL reads no row to lock)."""
    looked_up = staff_module._row_by_login

    def slowly(session, login):
        time.sleep(0.5)
        return looked_up(session, login)

    monkeypatch.setattr(staff_module, "_row_by_login", slowly)
    start = threading.Barrier(2)

    def first(login: str) -> str:
        start.wait()
        try:
            add(engine, login, ADMINISTRATOR, None, f"{login}-pass-2026", terminal=login)
        except NotAllowed as refused:
            return str(refused)
        return "created"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(first, ["kanri-a", "kanri-b"]))
    assert outcomes[0] == "created" and "ログインしてから" in outcomes[1], outcomes
    assert len(list_staff(engine)) == 1


def test_only_the_first_account_is_made_without_an_actor_and_it_is_an_administrator(engine):
    assert not has_staff(engine)
    with pytest.raises(NotAllowed, match="管理者"):
        add(engine, "madoguchi", CLERK, None)
    assert not has_staff(engine)
    admin = add(engine, "admin", ADMINISTRATOR, None, ADMIN_PASSWORD)
    assert has_staff(engine) and not admin.must_change_password
    with pytest.raises(NotAllowed, match="ログインしてから"):
        add(engine, "admin2", ADMINISTRATOR, None)
    assert [m.login for m in list_staff(engine)] == ["admin"]
    # a password an administrator chose for someone else is changed at the first sign-in
    assert add(engine, "madoguchi", CLERK, admin).must_change_password


@pytest.mark.parametrize(
    ("login", "display_name", "role", "password", "reason"),
    [
        ("admin", "二人目", CLERK, "some-password-1", "もう使われています"),
        ("田中", "田中　花子", CLERK, "some-password-1", "ログイン名は"),
        ("tanaka", "　", CLERK, "some-password-1", "氏名"),
        ("tanaka", "田中　花子", "guest", "some-password-1", "役割"),
        ("tanaka", "田中　花子", CLERK, "short", "10文字以上"),
        ("tanaka", "田中　花子", CLERK, "TANAKA", "10文字以上"),
    ],
)
def test_bad_input_adds_nobody(engine, admin, login, display_name, role, password, reason):
    with pytest.raises(NotAllowed, match=reason):
        create_staff(
            engine,
            login=login,
            display_name=display_name,
            role=role,
            password=password,
            actor=admin,
            terminal="t-admin",
        )
    assert [m.login for m in list_staff(engine)] == ["admin"]


def test_staff_change_their_own_password(engine, clerk):
    with pytest.raises(NotAllowed, match="10文字以上"):
        change_password(engine, clerk.id, "madoguchi-password", "short", terminal="t1")
    with pytest.raises(NotAllowed, match="今と違う"):
        change_password(engine, clerk.id, "madoguchi-password", "madoguchi-password", terminal="t1")
    with pytest.raises(SignInRefused, match=WRONG_LOGIN):
        change_password(engine, clerk.id, "wrong-password", "brand-new-pass", terminal="t1")
    assert stored(engine, "madoguchi").failed_attempts == 1  # counts toward the lock
    change_password(engine, clerk.id, "madoguchi-password", "brand-new-pass", terminal="t1")
    row = stored(engine, "madoguchi")
    assert (row.must_change_password, row.failed_attempts) == (False, 0)
    assert row.password_changed_at is not None
    assert not sign_in(engine, "madoguchi", "brand-new-pass", terminal="t1").must_change_password
    assert fail_sign_in(engine, "madoguchi", "madoguchi-password") == WRONG_LOGIN


def test_unlocking_an_idle_screen_checks_the_password_and_counts_failures(engine, clerk):
    assert confirm_password(engine, clerk.id, "madoguchi-password", terminal="t1") is True
    for _ in range(4):
        assert confirm_password(engine, clerk.id, "wrong-password", terminal="t1") is False
    with pytest.raises(SignInRefused, match="まで"):  # the fifth locks: the terminal signs out
        confirm_password(engine, clerk.id, "wrong-password", terminal="t1")
    with pytest.raises(SignInRefused, match="まで"):
        confirm_password(engine, clerk.id, "madoguchi-password", terminal="t1")
    assert "まで" in fail_sign_in(engine, "madoguchi", "madoguchi-password")


def test_an_outdated_hash_is_renewed_at_sign_in(real_hashes, engine, admin):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    with Session(engine) as session:
        row = session.exec(select(StaffRow).where(StaffRow.login == "admin")).one()
        row.password_hash = weak.hash(ADMIN_PASSWORD)
        session.add(row)
        session.commit()
    sign_in(engine, "admin", ADMIN_PASSWORD, terminal="t1")
    renewed = stored(engine, "admin").password_hash
    assert not RECOMMENDED.check_needs_rehash(renewed)
    assert RECOMMENDED.verify(renewed, ADMIN_PASSWORD)


def test_each_call_writes_its_audit_row_with_who_and_where(engine):
    admin = add(engine, "admin", ADMINISTRATOR, None, ADMIN_PASSWORD, terminal="T-A")
    clerk = add(engine, "madoguchi", CLERK, admin, terminal="T-A")
    sign_in(engine, "madoguchi", "madoguchi-password", terminal="T-1")
    fail_sign_in(engine, "madoguchi", "wrong-password")
    fail_sign_in(engine, "nobody", "wrong-password")
    confirm_password(engine, clerk.id, "madoguchi-password", terminal="T-1")
    change_password(engine, clerk.id, "madoguchi-password", "brand-new-pass", terminal="T-1")
    reset_password(engine, admin, "madoguchi", "temporary-pass-5", terminal="T-A")
    disable_staff(engine, admin, "madoguchi", terminal="T-A")
    sign_out(engine, clerk, terminal="T-1")
    rows = audit_rows(engine)
    assert [(action, staff_id, terminal) for action, staff_id, terminal, _ in rows] == [
        ("edit", admin.id, "T-A"),
        ("edit", admin.id, "T-A"),
        ("login", clerk.id, "T-1"),
        ("failed_login", clerk.id, "t1"),
        ("failed_login", None, "t1"),
        ("unlock", clerk.id, "T-1"),
        ("edit", clerk.id, "T-1"),
        ("edit", admin.id, "T-A"),
        ("edit", admin.id, "T-A"),
        ("logout", clerk.id, "T-1"),
    ]
    details = [detail for *_, detail in rows]
    assert "admin" in details[0] and "madoguchi（窓口職員）" in details[1]
    # a login name that is no account is kept as its length and a keyed mark, never as
    # typed: it may be a password typed in the wrong box
    assert "nobody" not in details[4] and details[4] == unknown_login_detail("nobody")
    assert details[4].startswith("登録のないログイン名（6文字、照合用 ")
    assert "madoguchi" in details[7] and "madoguchi" in details[8]
    assert not any(p in " ".join(details) for p in ("password", "brand-new", "temporary"))
    assert verify(engine).ok and verify(engine).rows == 10


def test_refusals_change_nothing_but_the_audit_log(engine, admin, clerk):
    with Session(engine) as session:
        before = session.exec(select(func.count()).select_from(AuditLogRow)).one()
    with pytest.raises(NotAllowed):
        disable_staff(engine, clerk, "admin", terminal="t1")
    with Session(engine) as session:
        after = session.exec(select(func.count()).select_from(AuditLogRow)).one()
    assert after == before + 1
    assert not stored(engine, "admin").disabled
