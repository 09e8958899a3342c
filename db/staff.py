"""Staff accounts: sign-in with Argon2id hashes, the lock after wrong passwords, and who
may add, reset and disable whom.

Every call writes its audit row in the same transaction as its change, refusals included,
so the audit log shows each attempt whether or not it succeeded. The rules themselves
(roles, permissions, password policy) live in counter.staff; this module applies them to
the rows. A transaction takes the write lock before it reads the staff row, so two
terminals failing on one account at once both count.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from counter.audit_chain import keyed_mark
from counter.staff import (
    ADMINISTRATOR,
    CLERK,
    LOCK_MINUTES,
    MAX_FAILED_ATTEMPTS,
    ROLE_LABELS,
    can,
    normalize_login,
    password_problem,
)
from counter.textnorm import TextFormatError, check_field_text
from counter.wareki import JST, format_wareki, format_wareki_short
from db import audit
from db.audit_head import record_daily_head, record_head
from db.audit_key import audit_key
from db.models import StaffRow

WRONG_LOGIN = "ログイン名またはパスワードが違います"
DISABLED = "このアカウントは無効になっています。管理者に連絡してください"

FIRST_STAFF_LOCK = 0x53544146  # "STAF": pg_advisory_xact_lock while no account exists
_hasher = PasswordHasher()  # Argon2id with argon2-cffi's current recommended parameters


@dataclass(frozen=True)
class StaffMember:
    """A staff account as the screens and commands see it: never the hash."""

    id: str
    login: str
    display_name: str
    role: str
    must_change_password: bool
    disabled: bool = False
    locked_until: datetime | None = None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


class SignInRefused(Exception):
    """Sign-in refused; one Japanese sentence for staff. A wrong login and a wrong password
    get the same sentence, so the message does not tell which logins exist."""


class NotAllowed(Exception):
    """A staff action refused: no permission, or input the rules do not accept (Japanese)."""


def has_staff(engine: Engine) -> bool:
    """Whether any account exists: without one, the first start creates the administrator."""
    with Session(engine) as session:
        return session.exec(select(StaffRow.id).limit(1)).first() is not None


def list_staff(engine: Engine) -> list[StaffMember]:
    """Every account, disabled ones included, by login."""
    with Session(engine) as session:
        return [_member(row) for row in session.exec(select(StaffRow).order_by(StaffRow.login))]


def create_staff(
    engine: Engine,
    *,
    login: str,
    display_name: str,
    role: str,
    password: str,
    actor: StaffMember | None,
    terminal: str,
) -> StaffMember:
    """Add an account. ``actor`` None only while there is no staff at all, and then the
    account is the first administrator. A password chosen by an administrator for someone
    else must be changed at that person's first sign-in."""
    now = datetime.now(UTC)
    what = f"職員の追加: {login[:64]}"
    with Session(engine) as session:
        _begin_write(session)
        if actor is None:
            if session.exec(select(StaffRow.id).limit(1)).first() is not None:
                _refuse(
                    session, None, terminal, what, "管理者としてログインしてから追加してください"
                )
            if role != ADMINISTRATOR:
                _refuse(session, None, terminal, what, "最初に登録する職員は管理者です")
            actor_id = None
        else:
            acting = _acting(session, actor, terminal, what)
            actor_id = acting.id
            if not can(acting.role, "manage_staff"):
                _refuse(session, actor_id, terminal, what, "職員を追加できるのは管理者だけです")
        if role not in ROLE_LABELS:
            choices = "・".join(ROLE_LABELS.values())
            _refuse(session, actor_id, terminal, what, f"役割は{choices}のどれかです")
        try:
            normalized = normalize_login(login)
        except TextFormatError as exc:
            _refuse(session, actor_id, terminal, what, str(exc))
        name = display_name.strip(" \u3000\t")
        if not name:
            _refuse(session, actor_id, terminal, what, "氏名を入力してください")
        try:  # ESC or BEL in a name would be echoed raw to every terminal that shows it
            check_field_text(name, "display_name")
        except TextFormatError as exc:
            _refuse(session, actor_id, terminal, what, f"氏名: {exc}")
        if _row_by_login(session, normalized) is not None:
            _refuse(
                session, actor_id, terminal, what, f"ログイン名 {normalized} はもう使われています"
            )
        problem = password_problem(normalized, password)
        if problem:
            _refuse(session, actor_id, terminal, what, problem)
        row = StaffRow(
            id=str(uuid.uuid4()),
            login=normalized,
            display_name=name,
            role=role,
            password_hash=_hasher.hash(password),
            created_at=now,
            must_change_password=actor is not None,
            password_changed_at=now,
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            action="edit",
            staff_id=actor_id or row.id,
            terminal=terminal,
            detail=f"職員を追加: {normalized}（{ROLE_LABELS[role]}）",
        )
        member = _member(row)
        try:
            session.commit()
        except IntegrityError:  # the same login added by another terminal just now
            raise NotAllowed(f"ログイン名 {normalized} はもう使われています") from None
    return member


def sign_in(
    engine: Engine,
    login: str,
    password: str,
    *,
    terminal: str,
    lock_minutes: int = LOCK_MINUTES,
    now: datetime | None = None,
) -> StaffMember:
    """The account of ``login`` when ``password`` is right; else SignInRefused.

    A locked account is refused without checking the password, saying until when. The
    stored hash is renewed when argon2-cffi's recommended parameters have changed."""
    now = now or datetime.now(UTC)
    with Session(engine) as session:
        _begin_write(session)
        try:
            row = _row_by_login(session, normalize_login(login))
        except TextFormatError:
            row = None
        if row is None:
            _dummy_verify(password)  # as slow as a wrong password: no hint which logins exist
            audit.append(
                session,
                action="failed_login",
                staff_id=None,
                terminal=terminal,
                detail=unknown_login_detail(login),
            )
            session.commit()
            raise SignInRefused(WRONG_LOGIN)
        refusal = _check_password(session, row, password, terminal, now, lock_minutes)
        if refusal is None:
            row.last_login_at = now
            audit.append(session, action="login", staff_id=row.id, terminal=terminal)
        member = _member(row)
        session.commit()
    if refusal is not None:
        raise SignInRefused(refusal)
    record_daily_head(engine, terminal, now)
    return member


def confirm_password(
    engine: Engine,
    staff_id: str,
    password: str,
    *,
    terminal: str,
    lock_minutes: int = LOCK_MINUTES,
) -> bool:
    """Whether ``password`` is the signed-in staff member's, to unlock an idle screen.

    A wrong password counts toward the lock like a sign-in and gives False; once the
    account is locked or disabled this raises SignInRefused (the terminal signs out)."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        _begin_write(session)
        row = session.get(StaffRow, staff_id)
        if row is None:
            session.rollback()
            raise SignInRefused(DISABLED)
        refusal = _check_password(session, row, password, terminal, now, lock_minutes)
        if refusal is None:
            audit.append(session, action="unlock", staff_id=row.id, terminal=terminal)
        disabled = row.disabled
        session.commit()
    if refusal is None:
        return True
    if disabled:
        raise SignInRefused(DISABLED)
    if refusal == WRONG_LOGIN:
        return False
    raise SignInRefused(refusal)  # locked, now or before


def change_password(
    engine: Engine,
    staff_id: str,
    old: str,
    new: str,
    *,
    terminal: str,
    lock_minutes: int = LOCK_MINUTES,
) -> None:
    """Staff change their own password. A wrong ``old`` counts toward the lock
    (SignInRefused); a ``new`` the policy refuses raises NotAllowed and changes nothing."""
    now = datetime.now(UTC)
    what = "パスワードの変更"
    with Session(engine) as session:
        _begin_write(session)
        row = session.get(StaffRow, staff_id)
        if row is None:
            session.rollback()
            raise SignInRefused(DISABLED)
        problem = password_problem(row.login, new)
        if problem is None and new == old:
            problem = "今と違うパスワードにしてください"
        if problem:
            _refuse(session, row.id, terminal, what, problem)
        refusal = _check_password(session, row, old, terminal, now, lock_minutes)
        if refusal is None:
            row.password_hash = _hasher.hash(new)
            row.must_change_password = False
            row.password_changed_at = now
            audit.append(
                session,
                action="edit",
                staff_id=row.id,
                terminal=terminal,
                detail="パスワードを変更",
            )
        session.commit()
    if refusal is not None:
        raise SignInRefused(refusal)


def reset_password(
    engine: Engine, actor: StaffMember, login: str, new_password: str, *, terminal: str
) -> None:
    """Set someone's password, to be changed at their next sign-in; clears the lock.

    A supervisor may reset clerks only; an administrator anyone."""
    now = datetime.now(UTC)
    what = f"パスワードの再設定: {login[:64]}"
    with Session(engine) as session:
        _begin_write(session)
        acting = _acting(session, actor, terminal, what)
        target = _target(session, acting.id, login, terminal, what)
        if not (
            can(acting.role, "manage_staff")
            or (target.role == CLERK and can(acting.role, "reset_clerk"))
        ):
            reason = (
                f"{ROLE_LABELS.get(acting.role, acting.role)}は"
                f"{ROLE_LABELS.get(target.role, target.role)}のパスワードを再設定できません"
            )
            _refuse(session, acting.id, terminal, what, reason)
        problem = password_problem(target.login, new_password)
        if problem:
            _refuse(session, acting.id, terminal, what, problem)
        target.password_hash = _hasher.hash(new_password)
        target.must_change_password = True
        target.password_changed_at = now
        target.failed_attempts = 0
        target.locked_until = None
        audit.append(
            session,
            action="edit",
            staff_id=acting.id,
            terminal=terminal,
            detail=f"パスワードを再設定: {target.login}",
        )
        session.commit()


def disable_staff(engine: Engine, actor: StaffMember, login: str, *, terminal: str) -> None:
    """Disable an account (it stays, for the audit log). Administrators only, and never
    their own: so the last active administrator can never be disabled either."""
    what = f"職員の無効化: {login[:64]}"
    with Session(engine) as session:
        _begin_write(session)
        acting = _acting(session, actor, terminal, what)
        if not can(acting.role, "manage_staff"):
            _refuse(session, acting.id, terminal, what, "職員を無効にできるのは管理者だけです")
        target = _target(session, acting.id, login, terminal, what)
        if target.id == acting.id:
            _refuse(session, acting.id, terminal, what, "自分のアカウントは無効にできません")
        if target.disabled:
            _refuse(session, acting.id, terminal, what, f"{target.login} はもう無効です")
        target.disabled = True
        audit.append(
            session,
            action="edit",
            staff_id=acting.id,
            terminal=terminal,
            detail=f"職員を無効化: {target.login}",
        )
        session.commit()


def unknown_login_detail(typed: str) -> str:
    """What the audit log keeps of a login name that is no account: never the text, which
    may be a password typed in the wrong box, but its length and a mark keyed with the
    audit key, so repeated tries of one name can be told apart and matched by whoever
    holds the key."""
    mark = keyed_mark(audit_key(), typed.strip())
    return f"登録のないログイン名（{len(typed.strip())}文字、照合用 {mark[:16]}）"


def sign_out(engine: Engine, staff: StaffMember, *, terminal: str) -> None:
    """The logout row, then the chain's head written outside the database (db.audit_head)."""
    audit.record(engine, action="logout", staff_id=staff.id, terminal=terminal)
    record_head(engine, terminal)


def locked_message(until: datetime) -> str:
    """The refusal of a locked account, saying until when."""
    return (
        f"パスワードを続けて間違えたため、{japan_time(until)}までログインできません"
        "（パスワードを再設定すると解除されます）"
    )


def japan_time(moment: datetime, *, short: bool = False) -> str:
    """``令和8年12月3日（木） 14:05``: a moment as staff read it, in Japan time; ``short``
    gives ``R8.12.3(木) 14:05`` for a table's column at 80 columns."""
    local = moment.astimezone(JST)
    day = format_wareki_short(local.date()) if short else format_wareki(local.date())
    return f"{day} {local:%H:%M}"


def _check_password(
    session: Session,
    row: StaffRow,
    password: str,
    terminal: str,
    now: datetime,
    lock_minutes: int,
) -> str | None:
    """None when ``password`` is right (failures forgotten); else the refusal, with the
    failure counted, the lock set on the last allowed one, and the attempt audited."""

    def failed(detail: str) -> None:
        audit.append(
            session, action="failed_login", staff_id=row.id, terminal=terminal, detail=detail
        )

    # Every path verifies once (an unknown login a dummy hash): a locked account must not
    # answer faster than a wrong password, or timing tells which logins exist and are locked.
    right = _verify(row.password_hash, password)
    if row.locked_until is not None and row.locked_until > now:
        failed("ロック中")
        return locked_message(row.locked_until)
    if row.disabled:
        failed("無効のアカウント")
        return DISABLED if right else WRONG_LOGIN
    if not right:
        row.failed_attempts += 1
        if row.failed_attempts < MAX_FAILED_ATTEMPTS:
            failed(f"パスワード違い（{row.failed_attempts}回目）")
            return WRONG_LOGIN
        row.failed_attempts = 0
        row.locked_until = now + timedelta(minutes=lock_minutes)
        failed(f"パスワード違い（{MAX_FAILED_ATTEMPTS}回目）: {lock_minutes}分ロック")
        return locked_message(row.locked_until)
    row.failed_attempts = 0
    row.locked_until = None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    return None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash("どの職員のものでもないパスワード")


def _dummy_verify(password: str) -> None:
    _verify(_dummy_hash(), password)


def _begin_write(session: Session) -> None:
    """Take the write lock before reading the staff row, so the read and the update are one
    step no other terminal can split: ``BEGIN IMMEDIATE`` on SQLite (whose driver would
    begin only at the first write); on PostgreSQL the rows are read FOR UPDATE, and the
    first administrator, whom no row can lock, is created under an advisory lock: two
    terminals creating it at once would otherwise both find the table empty."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif not session.exec(select(StaffRow.id).limit(1)).first():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FIRST_STAFF_LOCK})


def _row_by_login(session: Session, login: str) -> StaffRow | None:
    return session.exec(select(StaffRow).where(StaffRow.login == login).with_for_update()).first()


def _acting(session: Session, actor: StaffMember, terminal: str, what: str) -> StaffRow:
    """The actor's row as stored now: a role changed or an account disabled since the
    actor signed in counts, not the StaffMember the caller holds."""
    row = session.exec(select(StaffRow).where(StaffRow.id == actor.id).with_for_update()).first()
    if row is None or row.disabled:
        _refuse(session, actor.id, terminal, what, DISABLED)
    return row


def _target(session: Session, actor_id: str, login: str, terminal: str, what: str) -> StaffRow:
    try:
        row = _row_by_login(session, normalize_login(login))
    except TextFormatError:
        row = None
    if row is None:
        _refuse(session, actor_id, terminal, what, f"ログイン名 {login[:64]} の職員はいません")
    return row


def _refuse(
    session: Session, staff_id: str | None, terminal: str, what: str, reason: str
) -> NoReturn:
    """Record the refused attempt (nothing else was changed) and raise NotAllowed."""
    audit.append(
        session,
        action="edit",
        staff_id=staff_id,
        terminal=terminal,
        detail=f"{what}（拒否: {reason}）",
    )
    session.commit()
    raise NotAllowed(reason)


def _member(row: StaffRow) -> StaffMember:
    return StaffMember(
        id=row.id,
        login=row.login,
        display_name=row.display_name,
        role=row.role,
        must_change_password=row.must_change_password,
        disabled=row.disabled,
        locked_until=row.locked_until,
    )
