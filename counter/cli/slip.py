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
