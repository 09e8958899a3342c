"""`counter db upgrade | repair`: the schema brought up to date, or a half-built one rebuilt."""

from __future__ import annotations

import argparse

from counter.cli.common import command_group, fail, open_database, refuse


def add(commands) -> None:
    db_commands = command_group(commands, "db", "データベースの管理")
    db_commands.add_parser(
        "upgrade",
        help="データベースを最新の形に移行します",
        description="データベースを最新の形に移行します。移行は全部できるか、何もしないかの"
        "どちらかです。ほかの端末が同時に移行していれば、終わるのを待ちます。",
    )
    db_commands.add_parser(
        "repair",
        help="途中まで作られたデータベースを作り直します",
        description="以前の版の初回起動や移行が中断されて、途中まで作られたままのデータベース"
        "を作り直します。\n記録が1件でも入っていれば何も消さずに止まります（終了コード 1）。"
        "\n正しく作られたデータベースは、最新の形に移行するだけです。",
    )


def run(args: argparse.Namespace) -> int:
    if args.db_command == "repair":
        return _repair(args)
    engine = open_database(args)
    print(f"データベースを最新の形にしました（{engine.url.render_as_string(hide_password=True)}）")
    return 0


def _repair(args: argparse.Namespace) -> int:
    from db.engine import DatabaseRefused, database_problem, make_engine
    from db.migrate import RepairRefused, repair
    from db.paths import database_url

    try:
        engine = make_engine(database_url(args.database_url))
        repair(engine)
    except DatabaseRefused as exc:
        fail(str(exc))
    except RepairRefused as exc:
        refuse(str(exc))
    except Exception as exc:
        refuse(database_problem(exc) or f"作り直せませんでした（{type(exc).__name__}）")
    print(f"データベースを作り直しました（{engine.url.render_as_string(hide_password=True)}）")
    return 0
