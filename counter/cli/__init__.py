"""The `counter` command: the composition root of the application.

The only package that may import every layer (the rules core, db, forms, workflows and
the screens): it reads the command line and hands each subcommand to its module, one
module per command group. Everything heavy (Textual, SQL, PDF) is imported inside the
command that needs it, so `counter plan` stays quick. Every message, help text included,
is Japanese; see ``counter.cli.common`` for the exit codes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path

from counter.cli.common import EXIT_READER_GONE, EXIT_REFUSED, JapaneseParser

# Subcommand → its module, in the order `counter --help` lists them.
COMMANDS = {
    "plan": "plan",
    "forms": "forms",
    "certificates": "certificates",
    "demo-data": "demo",
    "catalogue": "catalogue",
    "import": "register",
    "slip": "slip",
    "payment": "payment",
    "staff": "staff",
    "audit": "audit",
    "purge": "purge",
    "outreach": "outreach",
    "stats": "stats",
    "db": "database",
}


def _module(name: str):
    return import_module(f"counter.cli.{name}")


def build_parser() -> JapaneseParser:
    parser = JapaneseParser(
        prog="counter",
        description="書かないワンストップ窓口の端末アプリ。\n"
        "引数なしで起動すると窓口画面を開きます（初回は見本の住民データを用意します）。",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="データベースの URL（既定: 環境変数 COUNTER_DATABASE_URL、なければ内蔵の SQLite）",
    )
    parser.add_argument(
        "--outreach",
        metavar="FILE",
        type=Path,
        help="出張（オフライン）用ファイルで窓口画面を開きます（合言葉を尋ねます。"
        "見本データは作らず、ネットワークも使いません）",
    )
    commands = parser.add_subparsers(
        dest="command", title="サブコマンド", metavar="COMMAND", parser_class=JapaneseParser
    )
    for module in dict.fromkeys(COMMANDS.values()):
        _module(module).add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The console script. A reader that goes away (``counter plan … | head``) ends the
    command quietly, with the shell's status for a closed pipe, never a traceback; a
    database that goes busy or away in the middle of a command is one line."""
    from counter.cli.common import RedactedStderr
    from db.paths import keep_private

    keep_private()
    sys.stderr = RedactedStderr(sys.stderr)
    try:
        args = build_parser().parse_args(argv)
        if args.outreach is not None and args.command is not None:
            from counter.cli.common import fail

            fail("--outreach は窓口画面を開くときだけ使えます")
        status = _module(COMMANDS.get(args.command, "app")).run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so Python's own flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_READER_GONE
    except Exception as exc:
        problem = _database_problem(exc)
        if problem is None:
            raise
        print(f"エラー: {problem}", file=sys.stderr)
        return EXIT_REFUSED
    return status


def _database_problem(error: Exception) -> str | None:
    if not type(error).__module__.startswith("sqlalchemy"):
        return None  # (plan and the other commands without a database stay light)
    from db.engine import database_problem

    return database_problem(error)
