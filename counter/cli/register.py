"""`counter import residents`: the city's register file into the register mirror."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from counter.cli.common import (
    add_municipality_argument,
    command_group,
    fail,
    open_database,
    refuse,
)
from counter.cli.signin import add_acting_argument, signed_in


def add(commands) -> None:
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
    add_municipality_argument(residents, "。世帯をこの自治体の住民として登録します")
    add_acting_argument(residents)


def run(args: argparse.Namespace) -> int:
    """Check the whole file first; only a file without problems reaches the database.

    Progress goes to stderr: stdout keeps the one result line."""
    from counter.files import InputFileError, read_input
    from counter.honseki import normalize_municipality_code
    from counter.progress import terminal_progress
    from counter.register_csv import (
        MAX_REGISTER_BYTES,
        RegisterCsvError,
        decode_register_bytes,
        parse_register_csv,
    )
    from counter.textnorm import TextFormatError

    try:
        code = normalize_municipality_code(args.municipality, what="地方公共団体コード")
    except TextFormatError as exc:
        fail(f"--municipality: {exc}")
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
    if result.demo_visits_removed:
        print(f"見本の受付（{result.demo_visits_removed:,}件）を取り除きました")
    households_note = f"世帯 {result.households:,}"
    if result.households_updated:
        households_note += f"・住所などの更新 {result.households_updated:,}世帯"
    print(
        f"追加 {result.added:,}人・更新 {result.updated:,}人・変更なし {result.unchanged:,}人"
        f"（{households_note}）"
    )
    return 0
