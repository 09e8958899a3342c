"""`counter slip`: a stored visit's guidance slip made again, and printed (a reprint)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from counter.cli.common import date_argument, fail, number_argument, open_database
from counter.cli.signin import add_acting_argument, signed_in


def add(commands) -> None:

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


def run(args: argparse.Namespace) -> int:
    """Re-create a stored visit's slip; with --print, send it to the printer as well. Staff
    sign in first (``--as``): the slip holds the household's personal data."""
    from db.visits import find_visit_id, load_visit_for_slip

    by_number = args.date is not None or args.reception is not None
    if args.visit_id and by_number:
        fail("受付ID と --date/--reception はどちらか一方だけ指定してください")
    if not args.visit_id and not (args.date and args.reception is not None):
        fail("受付ID か、--date と --reception の両方を指定してください")
    wanted = None  # the day and reception number, when the visit is not named by its ID
    if not args.visit_id:
        wanted = (
            date_argument("--date", args.date),
            number_argument("--reception", args.reception, least=1, most=99_999),
        )
    from forms.fonts import FontMissing, slip_fonts

    try:
        slip_fonts()  # before anyone signs in: without a font there is nothing to make
    except FontMissing as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return 1
    engine = open_database(args, create=False)
    try:
        visit_id = find_visit_id(engine, *wanted) if wanted else args.visit_id
        visit = load_visit_for_slip(engine, visit_id)
    except LookupError as exc:
        fail(exc.args[0])

    from db.paths import device_id

    terminal = device_id()
    with signed_in(engine, args.acting_login, None, terminal) as actor:
        return _reprint(engine, args, visit, actor, terminal)


def _reprint(engine, args: argparse.Namespace, visit, actor, terminal: str) -> int:
    """Write the slip again (and print it), each recorded in the audit log."""
    from counter.profile import ProfileError
    from forms.printing import printer_queue
    from workflows.reprint import reprint_slip

    try:
        done = reprint_slip(
            engine, visit, args.out, staff_id=actor.id, terminal=terminal,
            layout=args.layout, large_print=args.large, language=args.language,
            queue=printer_queue(args.printer), send_to_printer=args.send_to_printer,
        )  # fmt: skip
    except ProfileError as exc:
        fail(f"設定ファイルを読めません: {exc}")
    except OSError:
        fail(f"--out: 書き込めません（{args.out}）")
    print(f"案内票を作り直しました（受付番号 {visit.reception_number}）：{done.path}")
    if done.printed is None:
        return 0
    print(done.printed.message, file=sys.stdout if done.printed.printed else sys.stderr)
    return 0 if done.printed.printed else 1
