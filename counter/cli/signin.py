"""Signing in on the command line: every command that changes records or shows a
resident runs as a staff member who types the password now, and is signed out when the
work ends, however it ends. Passwords are only ever typed, never arguments.
``COUNTER_PASSWORD_STDIN=1`` reads them from lines of stdin instead of the terminal (for
scripts and tests; no prompt is printed then)."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

from counter.cli.common import EXIT_REFUSED
from counter.staff import ROLE_LABELS, can

if TYPE_CHECKING:
    from db.staff import StaffMember

PASSWORD_STDIN_ENV = "COUNTER_PASSWORD_STDIN"


@contextmanager
def signed_in(
    engine, acting_login: str | None, permission: str | None, terminal: str
) -> Iterator[StaffMember]:
    """The acting staff member, signed in with the password typed now and signed out when
    the command's work ends, however it ends; someone whose role lacks ``permission``
    (None: any staff member) is refused in one line (exit 1)."""
    from db.staff import sign_in, sign_out

    login = acting_login or input("ログイン名: ")
    actor = call(sign_in, engine, login, read_password("パスワード: "), terminal=terminal)
    try:
        if permission is not None and not can(actor.role, permission):
            allowed = "・".join(
                label for role, label in ROLE_LABELS.items() if can(role, permission)
            )
            refuse_in_one_line(
                f"このコマンドは{allowed}だけが使えます（{actor.login} は{actor.role_label}です）"
            )
        if actor.must_change_password:  # as on the screen: nothing else before the change
            refuse_in_one_line(
                f"{actor.login} はパスワードの変更が必要です。"
                f"「counter staff password --as {actor.login}」で変更してから実行してください"
            )
        yield actor
    finally:
        sign_out(engine, actor, terminal=terminal)


def add_acting_argument(parser) -> None:
    """``--as LOGIN``: who runs the command (the password is always asked)."""
    parser.add_argument(
        "--as",
        dest="acting_login",
        metavar="LOGIN",
        help="操作する職員のログイン名（省略すると尋ねます。パスワードは必ず尋ねます）",
    )


def call(function, *args, **kwargs):
    """Run a db.staff function; its refusal is one line and exit 1."""
    from db.staff import NotAllowed, SignInRefused

    try:
        return function(*args, **kwargs)
    except (NotAllowed, SignInRefused) as exc:
        refuse_in_one_line(str(exc))


def refuse_in_one_line(message: str) -> NoReturn:
    print(f"エラー: {message}", file=sys.stderr)
    raise SystemExit(EXIT_REFUSED)


def read_password(prompt: str) -> str:
    if os.environ.get(PASSWORD_STDIN_ENV) != "1":
        return getpass.getpass(prompt)
    line = sys.stdin.readline()  # a script's line: no prompt mixed into its error output
    if not line:
        raise EOFError
    return line.rstrip("\r\n")
