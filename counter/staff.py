"""Who may do what at the counter, and what a password must be: the rules of staff accounts.

Kept pure so the sign-in code (db.staff), the screens and the `counter staff` command all
apply the same roles, permissions and password policy, and tests can check them without a
database. Messages are for staff, in Japanese.
"""

from __future__ import annotations

import re
import unicodedata

from counter.textnorm import TextFormatError, check_plain_text

CLERK = "clerk"
SUPERVISOR = "supervisor"
ADMINISTRATOR = "administrator"
ROLE_LABELS = {CLERK: "窓口職員", SUPERVISOR: "監督者", ADMINISTRATOR: "管理者"}

PERMISSIONS = {
    "reset_clerk": frozenset({SUPERVISOR, ADMINISTRATOR}),  # reset a clerk's password
    "manage_staff": frozenset({ADMINISTRATOR}),  # add, disable, reset anyone
    "export_audit": frozenset({SUPERVISOR, ADMINISTRATOR}),
    "purge": frozenset({ADMINISTRATOR}),
    "import_register": frozenset({ADMINISTRATOR}),  # load the city's register file
    "write_demo_data": frozenset({ADMINISTRATOR}),  # fictional households for training
    "issue_payment": frozenset({SUPERVISOR, ADMINISTRATOR}),  # a code outside a visit
    "reconcile": frozenset({SUPERVISOR, ADMINISTRATOR}),  # mark codes paid from a bank file
    "outreach_checkout": frozenset({SUPERVISOR, ADMINISTRATOR}),  # a laptop file of residents
    "outreach_import": frozenset({SUPERVISOR, ADMINISTRATOR}),  # its work taken back, settled
    "view_stats": frozenset({SUPERVISOR, ADMINISTRATOR}),  # the counter's figures (no clerk)
}

MAX_FAILED_ATTEMPTS = 5
"""Wrong passwords in a row that lock the account."""
LOCK_MINUTES = 15
"""How long a locked account stays locked, unless a supervisor resets it."""
MIN_PASSWORD_LENGTH = 10

_LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
LOGIN_MESSAGE = (
    "ログイン名は英数字で64文字まで入力してください（記号は . _ - を使えます。例: yonago.taro）"
)


def can(role: str, permission: str) -> bool:
    """Whether staff of ``role`` may do ``permission``; an unknown role may do nothing.

    An unknown permission is a programming error, not a refusal: it raises KeyError.
    """
    return role in PERMISSIONS[permission]


def normalize_login(text: str) -> str:
    """The login as stored: NFKC (an IME types full-width letters), trimmed, lower case.

    Raises TextFormatError (Japanese message) for an empty or unusable login.
    """
    login = _folded(text)
    if not _LOGIN.fullmatch(login):
        raise TextFormatError(LOGIN_MESSAGE)
    return login


def password_problem(login: str, password: str) -> str | None:
    """Why ``password`` may not be used by ``login`` (one Japanese sentence), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"パスワードは{MIN_PASSWORD_LENGTH}文字以上にしてください"
    try:  # a lone surrogate cannot even be hashed (Argon2 takes UTF-8 bytes)
        check_plain_text(password)
    except TextFormatError:
        return "パスワードに改行・タブなどの制御文字や壊れた文字は使えません"
    if _folded(password) == _folded(login):
        return "ログイン名と同じパスワードは使えません"
    if len(set(password)) == 1:
        return "同じ文字を繰り返しただけのパスワードは使えません"
    if _folded(password).isdigit():
        return "数字だけのパスワードは使えません。英字や記号も混ぜてください"
    return None


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()
