"""The `counter` command: the composition root of the application.

Subcommands share the core; everything heavy (Textual, SQL, PDF) is imported inside the
command that needs it, so `counter plan` stays quick and the core stays importable alone.
Every message, help text included, is Japanese; errors are one line and exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

EXIT_BAD_INPUT = 2
EXIT_REFUSED = 1
MAX_DEMO = 200_000  # households demo-data makes at most (a large city's register)
EXIT_READER_GONE = 128 + 13  # as a shell reports a command ended by SIGPIPE

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


def fail(message: str) -> NoReturn:
    print(f"エラー: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> JapaneseParser:
    from counter.cli_audit import add_audit_commands
    from counter.cli_payment import add_payment_commands
    from counter.cli_purge import add_purge_commands
    from counter.cli_staff import add_acting_argument, add_staff_commands

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
    commands = parser.add_subparsers(
        dest="command", title="サブコマンド", metavar="COMMAND", parser_class=JapaneseParser
    )

    plan = commands.add_parser(
        "plan",
        help="世帯ファイルから必要な手続きの一覧を出します",
        description="世帯ファイル（docs/household-format.md）を読み、届出で必要になる手続きを"
        "世帯員ごとに一覧にします。",
    )
    plan.add_argument(
        "--household", metavar="FILE.json", required=True, type=Path, help="世帯ファイル（JSON）"
    )
    plan.add_argument(
        "--format", choices=("text", "json"), default="text", help="出力の形式（既定: text）"
    )
    plan.add_argument(
        "--filed-on",
        metavar="DATE",
        help="届出をする日（西暦または和暦。既定: 今日）。期限の計算に使います",
    )

    demo = commands.add_parser(
        "demo-data",
        help="架空の世帯をデータベースに登録します（練習・デモ用）",
        description="実在しない世帯を指定の数だけ作り、住民データとして登録します。",
    )
    demo.add_argument(
        "--households", metavar="N", default="200", help="作る世帯の数（1〜200,000。既定: 200）"
    )
    demo.add_argument(
        "--seed",
        metavar="N",
        default="0",
        help="乱数の種（同じ値なら同じ世帯になります。既定: 0）",
    )
    add_acting_argument(demo)

    catalogue_commands = command_group(commands, "catalogue", "手続きカタログの管理")
    catalogue_commands.add_parser(
        "check",
        help="カタログ・プロファイル・様式の参照をすべて検査します",
        description="手続きカタログ、質問、自治体プロファイル、様式の参照をすべて検査し、"
        "問題を「ファイル:行: 内容」で表示します。問題があれば終了コード 1 です。",
    )
    import_commands = command_group(commands, "import", "データの取り込み")
    residents = import_commands.add_parser(
        "residents",
        help="住民記録の CSV を取り込みます",
        description="住民記録の CSV（UTF-8、1行に1人。書式は docs/register-csv.md）を読み、"
        "新しい住民を追加し、変わった住民と世帯を更新します。\n"
        "ファイルに問題があれば問題をすべて表示し、何も登録しません（終了コード 2）。\n"
        "ファイルにない住民は削除しません。",
    )
    residents.add_argument(
        "file", metavar="FILE.csv", type=Path, help="住民記録の CSV ファイル（UTF-8）"
    )
    residents.add_argument(
        "--municipality",
        metavar="CODE",
        default="312029",
        help="世帯を登録する地方公共団体コード（6桁。既定: 312029 米子市）",
    )
    add_acting_argument(residents)
    _add_slip_command(commands)
    add_payment_commands(commands)
    add_staff_commands(commands)
    add_audit_commands(commands)
    add_purge_commands(commands)
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
    return parser


def _add_slip_command(commands) -> None:
    from counter.cli_staff import add_acting_argument

    slip = commands.add_parser(
        "slip",
        help="保存した受付の案内票を作り直します（再発行・再印刷）",
        description="データベースに保存した受付から案内票の PDF を作り直します。\n"
        "受付は受付ID か、受付日と受付番号（--date と --reception）で指定します。\n"
        "--print を付けると印刷もします。印刷できなかったときは PDF を残し、"
        "終了コード 1 です。",
    )
    slip.add_argument("visit_id", metavar="VISIT_ID", nargs="?", help="受付ID")
    slip.add_argument("--date", metavar="DATE", help="受付日（西暦または和暦）")
    slip.add_argument("--reception", metavar="N", help="その日の受付番号")
    slip.add_argument(
        "--out", metavar="FILE.pdf", type=Path, required=True, help="書き出す PDF ファイル"
    )
    slip.add_argument(
        "--layout",
        choices=("a4", "receipt"),
        default="a4",
        help="用紙（a4: A4、receipt: レシート幅。既定: a4）",
    )
    slip.add_argument("--large", action="store_true", help="大きな文字で作ります")
    slip.add_argument(
        "--language",
        choices=("ja", "easy", "en"),
        default="ja",
        help="言語（ja: 日本語、easy: やさしい日本語、en: 英語。既定: ja）",
    )
    slip.add_argument(
        "--print", dest="send_to_printer", action="store_true", help="作った PDF を印刷します"
    )
    add_acting_argument(slip)
    slip.add_argument(
        "--printer",
        metavar="QUEUE",
        help="印刷先の CUPS キュー名（既定: 環境変数 COUNTER_PRINTER）",
    )


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


def main(argv: Sequence[str] | None = None) -> int:
    """The console script. A reader that goes away (``counter plan … | head``) ends the
    command quietly, with the shell's status for a closed pipe, never a traceback."""
    from db.paths import keep_private

    keep_private()
    try:
        status = _run(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so Python's own flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_READER_GONE
    except Exception as exc:  # a database that went busy or away mid-command: one line
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


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "plan":
        return run_plan(args)
    if args.command == "demo-data":
        return run_demo_data(args)
    if args.command == "db":
        return run_db(args)
    if args.command == "import":
        return run_import_residents(args)
    if args.command == "slip":
        return run_slip(args)
    if args.command == "catalogue":
        return run_catalogue_check()
    if args.command == "payment":
        from counter.cli_payment import run_payment

        return run_payment(args)
    if args.command == "staff":
        from counter.cli_staff import run_staff

        return run_staff(args)
    if args.command == "audit":
        from counter.cli_audit import run_audit

        return run_audit(args)
    if args.command == "purge":
        from counter.cli_purge import run_purge

        return run_purge(args)
    return run_app(args)


def run_plan(args: argparse.Namespace) -> int:
    from counter.catalogue import CatalogueError, load_catalogue
    from counter.interchange import HouseholdFormatError, load_event_case
    from counter.profile import ProfileError, load_profile
    from counter.rules import PlanningError, plan
    from counter.wareki import DateFormatError, parse_date

    try:
        filed_on = parse_date(args.filed_on) if args.filed_on else date.today()
    except DateFormatError as exc:
        fail(f"--filed-on: {exc}")
    try:
        case = load_event_case(args.household)
        profile = load_profile(case.municipality)
        result = plan(case, load_catalogue().with_profile(profile), profile, filed_on=filed_on)
    except HouseholdFormatError as exc:
        fail(f"{args.household.name}: {exc}")
    except (ProfileError, CatalogueError, PlanningError) as exc:
        fail(str(exc))
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(result.to_text())
    return 0


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


def refuse(message: str) -> NoReturn:
    """A refusal that is not bad input (a busy or missing database): one line, exit 1."""
    print(f"エラー: {message}", file=sys.stderr)
    raise SystemExit(EXIT_REFUSED)


def run_demo_data(args: argparse.Namespace) -> int:
    """Fictional households, never beside real residents: refused in one line (exit 2,
    nothing written) on a database that holds any resident not made as demo data. Once
    staff exist, an administrator signs in first; the save is in the audit log."""
    households = number_argument("--households", args.households, least=1, most=MAX_DEMO)
    seed = number_argument("--seed", args.seed, least=0, most=2**31)
    from counter.cli_staff import signed_in
    from counter.demo import as_demo, generate_households
    from counter.progress import terminal_progress
    from db.paths import device_id
    from db.register import DemoRefused, save_households
    from db.staff import has_staff

    progress = terminal_progress(sys.stderr)
    engine = open_database(args)
    terminal = device_id()

    def save(staff_id: str | None) -> int:
        made = generate_households(households, seed=seed, on=date.today(), progress=progress)
        try:
            return save_households(
                engine, as_demo(made), municipality="312029", progress=progress, demo=True,
                audit_as=(staff_id, terminal),
            )  # fmt: skip
        except DemoRefused as exc:
            progress.stop()
            fail(str(exc))

    if has_staff(engine):
        with signed_in(engine, args.acting_login, "write_demo_data", terminal) as actor:
            saved = save(actor.id)
    else:
        saved = save(None)
    progress.finish()
    print(f"{saved}世帯を登録しました（{engine.url.render_as_string(hide_password=True)}）")
    return 0


def run_import_residents(args: argparse.Namespace) -> int:
    """Check the whole file first; only a file without problems reaches the database.

    Progress goes to stderr: stdout keeps the one result line."""
    from counter.files import InputFileError, read_input
    from counter.payment.checkdigits import is_valid_local_government_code
    from counter.progress import terminal_progress
    from counter.register_csv import (
        MAX_REGISTER_BYTES,
        RegisterCsvError,
        decode_register_bytes,
        parse_register_csv,
    )

    code = args.municipality
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        fail("--municipality: 地方公共団体コードは6桁の数字です")
    if not is_valid_local_government_code(code):
        fail("--municipality: 地方公共団体コードの検査数字が合いません")
    name = args.file.name
    progress = terminal_progress(sys.stderr)
    try:
        data = read_input(args.file, limit=MAX_REGISTER_BYTES)
    except InputFileError as exc:
        fail(f"{name}: {exc}")
    try:
        households = parse_register_csv(decode_register_bytes(data), progress=progress)
    except RegisterCsvError as exc:
        progress.stop()
        for line in exc.lines:
            print(line, file=sys.stderr)
        fail(f"{name}: 問題が {len(exc.problems):,} 件あります。何も登録していません")

    from sqlalchemy.exc import SQLAlchemyError

    from counter.cli_staff import signed_in
    from db.importer import import_households
    from db.paths import device_id

    progress.finish()  # the file is read: a database error below starts on its own line
    engine = open_database(args)
    terminal = device_id()
    with signed_in(engine, args.acting_login, "import_register", terminal) as actor:
        try:
            result = import_households(
                engine,
                households,
                municipality=code,
                progress=progress,
                audit_as=(actor.id, terminal, name),
            )
        except (SQLAlchemyError, OSError) as exc:
            progress.stop()
            from db.engine import database_problem

            reason = (
                database_problem(exc)
                or f"データベースに書き込めませんでした（{type(exc).__name__}）"
            )
            refuse(f"{reason}。何も登録していません" if "何も" not in reason else reason)
    progress.finish()
    if result.demo_households_removed:
        print(f"見本の住民データ（{result.demo_households_removed:,}世帯）を取り除きました")
    households_note = f"世帯 {result.households:,}"
    if result.households_updated:
        households_note += f"・住所などの更新 {result.households_updated:,}世帯"
    print(
        f"追加 {result.added:,}人・更新 {result.updated:,}人・変更なし {result.unchanged:,}人"
        f"（{households_note}）"
    )
    return 0


def run_slip(args: argparse.Namespace) -> int:
    """Re-create a stored visit's slip; with --print, send it to the printer as well. Staff
    sign in first (``--as``): the slip holds the household's personal data."""
    from db.visits import find_visit_id, load_visit_for_slip

    by_number = args.date is not None or args.reception is not None
    if args.visit_id and by_number:
        fail("受付ID と --date/--reception はどちらか一方だけ指定してください")
    if not args.visit_id and not (args.date and args.reception is not None):
        fail("受付ID か、--date と --reception の両方を指定してください")
    office_date = date_argument("--date", args.date) if args.date else None
    reception = None
    if args.reception is not None:
        reception = number_argument("--reception", args.reception, least=1, most=99_999)
    from forms.fonts import FontMissing, slip_fonts

    try:
        slip_fonts()  # before anyone signs in: without a font there is nothing to make
    except FontMissing as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return 1
    engine = open_database(args, create=False)
    try:
        visit_id = args.visit_id or find_visit_id(engine, office_date, reception)
        visit = load_visit_for_slip(engine, visit_id)
    except LookupError as exc:
        fail(exc.args[0])
    from counter.cli_staff import signed_in
    from db.paths import device_id

    terminal = device_id()
    with signed_in(engine, args.acting_login, None, terminal) as actor:
        return _reprint(engine, args, visit, actor, terminal)


def _reprint(engine, args: argparse.Namespace, visit, actor, terminal: str) -> int:
    """Write the slip again (and print it), each recorded in the audit log."""
    from counter.profile import ProfileError, load_profile
    from counter.slip import build_slip
    from db.audit import record
    from forms.slip_pdf import render_slip

    try:
        profile = load_profile(visit.municipality)
    except ProfileError as exc:
        fail(f"設定ファイルを読めません: {exc}")
    slip = build_slip(
        visit.plan,
        visit.case,
        profile,
        reception_number=visit.reception_number,
        issued_on=visit.office_date,
        payments=visit.payments,
    )
    try:
        path = render_slip(
            slip, args.out, layout=args.layout, large_print=args.large, language=args.language
        )
    except OSError:
        fail(f"--out: 書き込めません（{args.out}）")
    who = {"staff_id": actor.id, "terminal": terminal, "visit_id": visit.id}
    record(engine, action="export", detail=f"案内票の再作成 {path.name}", **who)
    print(f"案内票を作り直しました（受付番号 {visit.reception_number}）：{path}")
    if not args.send_to_printer:
        return 0
    from forms.printing import print_pdf, printer_queue

    result = print_pdf(path, printer_queue(args.printer))
    if result.printed:
        record(engine, action="print", detail=f"案内票の再印刷 {path.name}", **who)
    print(result.message, file=sys.stdout if result.printed else sys.stderr)
    return 0 if result.printed else 1


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


def run_catalogue_check() -> int:
    from counter.catalogue_check import check_data
    from forms.registry import form_names

    problems, summary = check_data(form_names())
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"問題が {len(problems)} 件あります（{summary}）", file=sys.stderr)
        return 1
    print(f"問題はありません（{summary}）")
    return 0


def run_db(args: argparse.Namespace) -> int:
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


def run_app(args: argparse.Namespace) -> int:
    from counter.catalogue import CatalogueError
    from counter.payment.keys import PaymentKeyError
    from counter.profile import ProfileError
    from screens.app import CounterApp
    from screens.settings import Settings, SettingsError

    try:
        app = CounterApp(Settings.from_environment(args.database_url))
    except (ProfileError, CatalogueError) as exc:
        fail(f"設定ファイルを読めません: {exc}")
    except (PaymentKeyError, SettingsError) as exc:
        fail(str(exc))
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
