"""`counter catalogue check`: every procedure, question, profile and form reference checked."""

from __future__ import annotations

import argparse
import sys

from counter.cli.common import command_group


def add(commands) -> None:
    catalogue_commands = command_group(commands, "catalogue", "手続きカタログの管理")
    catalogue_commands.add_parser(
        "check",
        help="カタログ・プロファイル・様式の参照をすべて検査します",
        description="手続きカタログ、質問、自治体プロファイル、様式の参照をすべて検査し、"
        "問題を「ファイル:行: 内容」で表示します。問題があれば終了コード 1 です。",
    )


def run(args: argparse.Namespace) -> int:
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
