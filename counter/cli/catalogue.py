"""`counter catalogue check`: every procedure, question, profile and form reference
checked; `counter catalogue sources`: each rule and city value with its basis and source."""

from __future__ import annotations

import argparse
import sys

from counter.cli.common import add_municipality_argument, command_group, fail


def add(commands) -> None:
    catalogue_commands = command_group(commands, "catalogue", "手続きカタログの管理")
    catalogue_commands.add_parser(
        "check",
        help="カタログ・プロファイル・様式の参照をすべて検査します",
        description="手続きカタログ、質問、自治体プロファイル、様式の参照をすべて検査し、"
        "問題を「ファイル:行: 内容」で表示します。問題があれば終了コード 1 です。",
    )
    sources = catalogue_commands.add_parser(
        "sources",
        help="手続きと自治体の値の根拠・出典と未確認の値を一覧にします",
        description="手続きの各版の根拠法令と出典、年齢の数え方、届出期間経過、自治体の"
        "プロファイルの値（担当課・手数料・給付・子ども医療費助成・休日窓口・証明書・納付）を、"
        "未確認のものに印をつけて一覧にします。稼働前の確認用です。",
    )
    sources.add_argument("--format", choices=("text", "csv"), default="text",
                         help="出力形式（既定: text。csv は Excel 用に BOM 付き）")  # fmt: skip
    add_municipality_argument(sources)


def run(args: argparse.Namespace) -> int:
    if args.catalogue_command == "sources":
        return _sources(args)
    from counter.catalogue_check import check_data
    from forms.registry import definition_problems, form_names

    problems, summary = check_data(form_names(), form_problems=definition_problems())
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"問題が {len(problems)} 件あります（{summary}）", file=sys.stderr)
        return 1
    print(f"問題はありません（{summary}）")
    return 0


def _sources(args: argparse.Namespace) -> int:
    import csv

    from counter.catalogue import load_catalogue
    from counter.catalogue_sources import HEADER, as_text, source_rows
    from counter.profile import ProfileError, chosen_municipality, load_profile

    try:
        profile = load_profile(chosen_municipality(args.municipality))
    except (ProfileError, ValueError) as exc:
        fail(f"--municipality: {exc}")
    rows = source_rows(load_catalogue().with_profile(profile), profile)
    if args.format == "text":
        sys.stdout.write(as_text(rows))
        return 0
    sys.stdout.write("\ufeff")
    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(row.cells() for row in rows)
    return 0
