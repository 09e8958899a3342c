"""`counter purge`: remove the personal data of closed visits after the retention period.

The period is the profile's ``[retention] visit_days``; ``--days`` overrides it for one
run. ``--dry-run`` lists what would go and what is kept back, and changes nothing; the
real run is an administrator's (``--as LOGIN`` and the password, as ``counter staff``). Same
rules as the other commands: Japanese messages, one line and exit 2 on bad input, the
database and its SQL imported inside the command.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from counter.cli.common import (
    add_municipality_argument,
    date_argument,
    fail,
    number_argument,
    open_database,
)
from counter.cli.signin import add_acting_argument
from db.paths import device_id

EXIT_PROBLEMS = 1
MAX_DAYS = 36_500  # a hundred years: longer is no retention period but a mistake


def add(commands) -> None:
    purge = commands.add_parser(
        "purge",
        help="保存期間を過ぎた受付の個人情報を削除します",
        description="受付日から保存日数を過ぎた、終わった受付（確定してすべての手続きが片付いた"
        "受付、取り消した受付、放置された受付中・保留中の受付）の個人情報を削除します。\n"
        "氏名・世帯・メモ・下書き・個人番号と案内票・様式の PDF を削除し、統計に使う届出・"
        "手続き・手数料と、お支払い用コードの台帳は残します。操作記録は削除しません。\n"
        "担当課へ引き継ぎ中などの手続きが残る受付は削除せず、一覧にします。\n"
        "--dry-run を付けると、削除の対象を表示するだけで何も変更しません。",
    )
    purge.add_argument(
        "--dry-run", action="store_true", help="削除の対象を表示するだけで、何も変更しません"
    )
    purge.add_argument(
        "--days",
        metavar="N",
        help="保存日数（1〜36,500。既定: 自治体プロファイルの retention.visit_days）",
    )
    purge.add_argument("--today", metavar="DATE", help="基準日（西暦または和暦。既定: 今日）")
    add_municipality_argument(purge, "。この自治体の受付が対象です")
    add_acting_argument(purge)  # the real run only: the dry run shows no personal data


def run(args: argparse.Namespace) -> int:
    days = _retention_days(args)
    today = date_argument("--today", args.today) if args.today else date.today()
    engine = open_database(args, create=False)
    if args.dry_run:
        from db.retention import purge_plan

        plan = purge_plan(engine, today=today, days=days, municipality=args.municipality)
        print("\n".join(_dry_run_lines(plan)))
        return 0
    from counter.cli.signin import signed_in

    terminal = device_id()
    with signed_in(engine, args.acting_login, "purge", terminal) as actor:
        return _purge(engine, args, today, days, actor, terminal)


def _retention_days(args: argparse.Namespace) -> int:
    if args.days is not None:
        return number_argument("--days", args.days, least=1, most=MAX_DAYS)
    from counter.profile import ProfileError, load_profile

    try:
        return load_profile(args.municipality).retention_days()
    except ProfileError as exc:
        fail(f"--municipality: {exc}（--days で日数を指定することもできます）")


def _purge(engine, args: argparse.Namespace, today: date, days: int, actor, terminal: str) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from counter.progress import terminal_progress
    from db.retention import purge

    progress = terminal_progress(sys.stderr)  # stderr: stdout keeps the report
    try:
        result = purge(
            engine,
            today=today,
            days=days,
            terminal=terminal,
            staff_id=actor.id,
            municipality=args.municipality,
            progress=progress,
        )
    except SQLAlchemyError as exc:
        progress.stop()
        reason = type(exc).__name__
        print(f"エラー: データベースを変更できませんでした（{reason}）。何も削除していません",
              file=sys.stderr)  # fmt: skip
        return EXIT_PROBLEMS
    progress.finish()
    plan = result.plan
    print(_period_line(plan))
    if not plan.visits:
        print("削除の対象になる受付はありません。何も変更していません")
    else:
        days_note = f"{len(plan.visits_by_day()):,}日分"
        print(f"受付 {len(plan.visits):,}件（{days_note}）の個人情報を削除しました")
        print(f"個人番号の保管: {plan.vault_rows:,}件を削除しました")
        gone = result.files_missing
        missing = f"（すでになかったもの {gone:,}件）" if gone else ""
        print(f"ファイル: {result.files_deleted:,}件を削除しました{missing}")
    for line in _kept_lines(plan):
        print(line)
    for problem in result.file_problems:
        print(f"削除できなかったファイル: {problem.path}（{problem.reason}）", file=sys.stderr)
    return EXIT_PROBLEMS if result.file_problems else 0


def _dry_run_lines(plan) -> list[str]:
    """What a purge would do, in Japanese, for ``--dry-run``."""
    from counter.wareki import format_wareki

    lines = [_period_line(plan)]
    if not plan.visits:
        lines.append("削除の対象になる受付はありません")
    else:
        lines.append(f"削除の対象: 受付 {len(plan.visits):,}件")
        lines += [f"  {format_wareki(day)}　{n:,}件" for day, n in plan.visits_by_day().items()]
        lines.append(f"削除するファイル: {len(plan.files):,}件（案内票・様式の PDF）")
        lines.append(f"削除する個人番号の保管: {plan.vault_rows:,}件")
    lines += _kept_lines(plan)
    lines.append("（試しに表示しただけです。何も変更していません）")
    return lines


def _period_line(plan) -> str:
    from counter.wareki import format_wareki

    return (
        f"保存日数 {plan.days:,}日: {format_wareki(plan.cutoff)}より前の受付が対象です"
        f"（基準日 {format_wareki(plan.today)}）"
    )


def _kept_lines(plan) -> list[str]:
    """The visits kept back, counted by reason, then one line each."""
    from counter.wareki import format_wareki

    if not plan.kept:
        return []
    lines = [f"残す受付: {len(plan.kept):,}件"]
    lines += [f"  {reason}: {n:,}件" for reason, n in plan.kept_by_reason().items()]
    for kept in plan.kept:
        waiting = f"（{'、'.join(kept.departments)}）" if kept.departments else ""
        lines.append(
            f"  {format_wareki(kept.office_date)} 受付番号 {kept.reception_number}: "
            f"{kept.reason}{waiting}"
        )
    return lines
