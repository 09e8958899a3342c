"""`counter staff add | disable | reset | list`: staff accounts from the command line.

For administrators, and for the very first start: while there is no account at all, `add`
creates the first administrator interactively, so there is never a default password.
Otherwise the acting administrator signs in first (``--as LOGIN`` and the password), which
is audited like any sign-in. Passwords are only ever typed (twice for a new one), never
given as arguments and never printed. ``COUNTER_PASSWORD_STDIN=1`` reads them from lines
of stdin instead of the terminal, for scripts and tests; without it, getpass is used.
Japanese messages; bad input exits 2, a refusal exits 1.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from counter.cli.common import command_group, fail, open_database
from counter.cli.signin import (
    add_acting_argument,
    call,
    read_password,
    signed_in,
)
from counter.staff import (
    ADMINISTRATOR,
    CLERK,
    ROLE_LABELS,
    normalize_login,
    password_problem,
)
from db.paths import device_id

ROLE_HELP = "、".join(f"{role}: {label}" for role, label in ROLE_LABELS.items())


def add(commands) -> None:
    staff = command_group(commands, "staff", "職員アカウントの管理")
    add = staff.add_parser(
        "add",
        help="職員を登録します",
        description="職員を登録します。職員がまだ一人もいなければ、最初の管理者を対話で登録します"
        "（ログイン名・氏名・パスワード2回）。\nそれ以外は管理者だけが使えます（--as と"
        "パスワード）。新しい職員は最初のログインでパスワードの変更を求められます。",
    )
    add.add_argument("login", metavar="LOGIN", nargs="?", help="新しい職員のログイン名")
    add.add_argument("--name", metavar="NAME", help="氏名（省略すると尋ねます）")
    add.add_argument(
        "--role", choices=tuple(ROLE_LABELS), help=f"役割（{ROLE_HELP}。既定: {CLERK}）"
    )
    disable = staff.add_parser(
        "disable",
        help="職員のアカウントを無効にします",
        description="職員のアカウントを無効にします（監査ログのため記録は残ります）。"
        "自分のアカウントは無効にできません。",
    )
    disable.add_argument("login", metavar="LOGIN", help="無効にする職員のログイン名")
    reset = staff.add_parser(
        "reset",
        help="職員のパスワードを再設定します",
        description="新しいパスワードを2回入力して再設定します。ロックも解除されます。"
        "\n職員は次のログインでパスワードの変更を求められます。",
    )
    reset.add_argument("login", metavar="LOGIN", help="再設定する職員のログイン名")
    staff.add_parser("list", help="職員の一覧を表示します", description="職員の一覧を表示します。")
    staff.add_parser(
        "password",
        help="自分のパスワードを変更します",
        description="今のパスワードと新しいパスワード（2回）を入力して、自分のパスワードを"
        "変更します。\n再設定されたパスワードは、ほかのコマンドの前にここで変更します。",
    )
    for parser in (add, disable, reset, staff.choices["list"], staff.choices["password"]):
        add_acting_argument(parser)


def run(args: argparse.Namespace) -> int:
    from db.staff import has_staff

    engine = open_database(args)
    terminal = device_id()
    try:
        if args.staff_command == "add" and not has_staff(engine):
            return _first_administrator(engine, args, terminal)
        if args.staff_command == "password":
            return _own_password(engine, args, terminal)
        with signed_in(engine, args.acting_login, "manage_staff", terminal) as actor:
            return COMMANDS[args.staff_command](engine, actor, args, terminal)
    except (EOFError, KeyboardInterrupt):
        fail("入力が中断されました。何も変更していません")


def _first_administrator(engine, args: argparse.Namespace, terminal: str) -> int:
    from db.staff import create_staff

    if args.role not in (None, ADMINISTRATOR):
        fail(f"--role: 職員がまだいないため、最初は管理者（{ADMINISTRATOR}）を登録します")
    print("職員がまだいません。最初の管理者を登録します。")
    login = _new_login(args.login)
    name = _name(args.name)
    created = call(
        create_staff,
        engine,
        login=login,
        display_name=name,
        role=ADMINISTRATOR,
        password=_new_password(login),
        actor=None,
        terminal=terminal,
    )
    print(f"最初の管理者 {created.login}（{created.display_name}）を登録しました")
    return 0


def _own_password(engine, args: argparse.Namespace, terminal: str) -> int:
    """Change one's own password (the current one is the sign-in), reset ones included."""
    from db.staff import change_password, sign_in, sign_out

    login = args.acting_login or input("ログイン名: ")
    old = read_password("今のパスワード: ")
    actor = call(sign_in, engine, login, old, terminal=terminal)
    try:
        call(change_password, engine, actor.id, old, _new_password(actor.login), terminal=terminal)
    finally:
        sign_out(engine, actor, terminal=terminal)
    print(f"{actor.login} のパスワードを変更しました")
    return 0


def _add(engine, actor, args: argparse.Namespace, terminal: str) -> int:
    from db.staff import create_staff

    login = _new_login(args.login)
    name = _name(args.name)
    role = args.role or CLERK
    created = call(
        create_staff,
        engine,
        login=login,
        display_name=name,
        role=role,
        password=_new_password(login),
        actor=actor,
        terminal=terminal,
    )
    print(
        f"{created.login}（{created.display_name}、{created.role_label}）を登録しました。"
        "最初のログインでパスワードの変更を求めます"
    )
    return 0


def _disable(engine, actor, args: argparse.Namespace, terminal: str) -> int:
    from db.staff import disable_staff

    call(disable_staff, engine, actor, args.login, terminal=terminal)
    print(f"{args.login} を無効にしました")
    return 0


def _reset(engine, actor, args: argparse.Namespace, terminal: str) -> int:
    from db.staff import reset_password

    call(reset_password, engine, actor, args.login, _new_password(args.login), terminal=terminal)
    print(f"{args.login} のパスワードを再設定しました。次のログインで変更を求めます")
    return 0


def _list(engine, _actor, _args: argparse.Namespace, _terminal: str) -> int:
    from db.staff import japan_time, list_staff

    now = datetime.now(UTC)
    print("ログイン名\t氏名\t役割\t状態")
    for member in list_staff(engine):
        if member.disabled:
            state = "無効"
        elif member.locked_until is not None and member.locked_until > now:
            state = f"ロック中（{japan_time(member.locked_until)}まで）"
        elif member.must_change_password:
            state = "有効（次のログインでパスワード変更）"
        else:
            state = "有効"
        print(f"{member.login}\t{member.display_name}\t{member.role_label}\t{state}")
    return 0


COMMANDS = {"add": _add, "disable": _disable, "reset": _reset, "list": _list}


def _new_login(given: str | None) -> str:
    from counter.textnorm import TextFormatError

    try:
        return normalize_login(given or input("ログイン名: "))
    except TextFormatError as exc:
        fail(str(exc))


def _name(given: str | None) -> str:
    name = (given or input("氏名: ")).strip(" \u3000\t")
    if not name:
        fail("氏名を入力してください")
    return name


def _new_password(login: str) -> str:
    """A new password typed twice and checked against the policy before anything is sent."""
    password = read_password("新しいパスワード: ")
    if read_password("もう一度入力してください: ") != password:
        fail("2つのパスワードが違います。何も変更していません")
    problem = password_problem(login, password)
    if problem:
        fail(f"{problem}。何も変更していません")
    return password
