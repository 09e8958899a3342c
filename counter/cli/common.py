"""What every `counter` subcommand shares: Japanese argparse, one-line refusals with
their exit codes, and the arguments every command reads the same way (numbers, dates,
the database).

Exit codes: 0 done, 1 refused (a busy or missing database, no permission, problems
reported), 2 bad input (the message names the option, the field or the line).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date
from typing import NoReturn

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2
EXIT_READER_GONE = 128 + 13  # as a shell reports a command ended by SIGPIPE


class RedactedStderr:
    """The command's error stream, each text passed through ``counter.mynumber.redact`` as
    the log is: a message that echoes what was typed (an argument, a file's field, a
    traceback) never shows an individual number."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from counter.mynumber import redact

        return self._stream.write(redact(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", r"次の引数が必要です: \1"),
    (r"unrecognized arguments: (.*)", r"知らない引数です: \1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"\1: \2 は選べません（\3）"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"\1: \3 は正しい値ではありません"),
    (r"argument (\S+): expected one argument", r"\1: 値を1つ指定してください"),
)


class JapaneseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "使い方: " if prefix is None else prefix)


class JapaneseParser(argparse.ArgumentParser):
    """argparse with Japanese headings, help and error messages."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", JapaneseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "引数"
        self._optionals.title = "オプション"
        self.add_argument("-h", "--help", action="help", help="このヘルプを表示して終了します")

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, replacement in ARGPARSE_MESSAGES:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        fail(f"{self.prog}: {message}（--help で使い方を表示します）")


def add_municipality_argument(parser: argparse.ArgumentParser, note: str = "") -> None:
    """``--municipality CODE``: the city the command serves, by default the one this
    terminal is set to (COUNTER_MUNICIPALITY, as the app), else the demo city."""
    from counter.profile import DEFAULT_MUNICIPALITY, MUNICIPALITY_ENV

    chosen = os.environ.get(MUNICIPALITY_ENV, "").strip()
    parser.add_argument(
        "--municipality",
        metavar="CODE",
        default=chosen or DEFAULT_MUNICIPALITY,
        help=f"地方公共団体コード（6桁。既定: 環境変数 {MUNICIPALITY_ENV}、"
        f"なければ {DEFAULT_MUNICIPALITY} 米子市）{note}",
    )


def fail(message: str) -> NoReturn:
    print(f"エラー: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def refuse(message: str) -> NoReturn:
    """A refusal that is not bad input (a busy or missing database): one line, exit 1."""
    print(f"エラー: {message}", file=sys.stderr)
    raise SystemExit(EXIT_REFUSED)


def command_group(commands, name: str, title: str):
    """A subcommand that itself has subcommands (``counter db upgrade``)."""
    group = commands.add_parser(name, help=title, description=f"{title}をします。")
    return group.add_subparsers(
        dest=f"{name}_command",
        title="サブコマンド",
        metavar="COMMAND",
        parser_class=JapaneseParser,
        required=True,
    )


def number_argument(option: str, text: str, *, least: int, most: int) -> int:
    """A whole number given on the command line (any width, thousands commas); a minus,
    a fraction, one out of range or anything else names its option (exit 2)."""
    from counter.textnorm import TextFormatError, parse_whole_number, shown

    try:
        return parse_whole_number(text, least=least, most=most)
    except TextFormatError as exc:
        fail(f"{option}: {exc}（{shown(text)}）")


def date_argument(option: str, text: str) -> date:
    """A date given on the command line, in 西暦 or 和暦; a bad one names its option."""
    from counter.wareki import DateFormatError, parse_date

    try:
        return parse_date(text)
    except DateFormatError as exc:
        fail(f"{option}: {exc}")


def open_database(args: argparse.Namespace, *, create: bool = True):
    """The engine of ``--database-url`` (or the default); one line on any failure.

    ``create``: the command may make the database and brings its schema up to date (the
    app, ``db upgrade``, ``demo-data``, ``import``, ``staff add``). Otherwise the database
    must already exist at the newest revision: a mistyped path is named, never created.
    """
    from db.engine import DatabaseRefused, database_problem, make_engine, watch_busy
    from db.migrate import RepairRefused, SchemaHalfBuilt, check_current, upgrade
    from db.paths import database_url, sqlite_file

    url = database_url(args.database_url)
    file = sqlite_file(url)
    if not create and file is not None and not file.exists():
        fail(f"データベースが見つかりません（{file}）。--database-url を確認してください")
    try:
        engine = make_engine(url)
        watch_busy(engine, lambda notice: print(notice, file=sys.stderr, flush=True))
        upgrade(engine) if create else check_current(engine)
    except DatabaseRefused as exc:  # the URL names no usable database: bad input
        fail(str(exc))
    except (SchemaHalfBuilt, RepairRefused, LookupError) as exc:
        refuse(str(exc))
    except Exception as exc:  # one line for staff; what the driver said stays out of it
        problem = database_problem(exc)
        if problem is None:
            raise
        refuse(problem)
    return engine
