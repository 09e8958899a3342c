"""`counter payment`: make, read and reconcile eL-QR payment codes from the command line.

Japanese messages, one line and exit 2 on bad input, heavy imports inside commands.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from counter.cli.common import (
    EXIT_BAD_INPUT,
    add_municipality_argument,
    date_argument,
    fail,
    open_database,
)

FIELD_LABELS = {
    "amount": "金額（円）",
    "category": "納付区分",
    "payment_number": "納付番号",
    "confirmation_number": "確認番号",
    "collector": "収納機関番号",
    "tax_office": "税務署等コード",
    "levy_year": "賦課年度",
    "tax_year": "課税年度",
    "period": "期別",
    "due_date": "納期限",
    "payable_until": "支払期限",
}
GS1_LABELS = {
    "company_code": "企業コード",
    "free_field": "自由使用欄",
    "reissue": "再発行区分",
    "deadline": "支払期限",
    "revenue_stamp": "印紙フラグ",
    "amount": "金額（円）",
}
EXIT_PROBLEMS = 1


def add(commands) -> None:
    from counter.cli.common import command_group
    from counter.cli.signin import add_acting_argument

    payment = command_group(commands, "payment", "お支払い用コード（eL-QR）の作成・読み取り・消込")
    make = payment.add_parser(
        "make",
        help="お支払い用コードを1件作り、台帳に登録します",
        description="eL-QR の 255 桁の内容、eL番号、各項目を表示します。納付番号はデータベース"
        "が割り当て、コードは台帳に登録します。\n見本の設定では収納機関番号 99999・"
        "納付区分 999 の架空のコードになり、「見本」と表示します。",
    )
    make.add_argument(
        "--amount", metavar="YEN", required=True, help="金額（円、1円以上の整数。1,200 も可）"
    )
    make.add_argument("--category", metavar="NNN", required=True, help="納付区分（3桁）")
    make.add_argument("--due", metavar="DATE", required=True, help="納期限（西暦または和暦）")
    make.add_argument(
        "--payable-until",
        metavar="DATE",
        help="支払期限（既定: 歳入科目の支払期間、なければ納期限の30日後の開庁日）",
    )
    add_municipality_argument(make)
    make.add_argument("--json", action="store_true", help="JSON で出力します")
    make.add_argument(
        "--qr", metavar="FILE.png|.svg", type=Path, help="QRコードを画像ファイルに書き出します"
    )
    add_acting_argument(make)
    parse = payment.add_parser(
        "parse",
        help="コードの内容を読み、正しいか検査します",
        description="eL-QR の 255 桁（または44桁のコンビニ収納用バーコード）を読み、各項目を"
        "表示します。正しくなければ、最初に誤っている項目と理由を表示して終了コード 2 です。",
    )
    parse.add_argument("code", metavar="STRING", help="読み取った数字の列")
    parse.add_argument("--json", action="store_true", help="JSON で出力します")
    reconcile = payment.add_parser(
        "reconcile",
        help="納付結果ファイルで消込をします",
        description="納付結果ファイル（書式は docs/payment-results.md）を読み、一致したコード"
        "を納付済にします。\n該当なし・重複・金額違いなどの行は報告し、何も変更しません"
        "（報告があれば終了コード 1）。\n同じファイルをもう一度読んでも何も変わりません。"
        "ファイルの書式に誤りがあれば、誤りをすべて表示し、何もしません（終了コード 2）。",
    )
    reconcile.add_argument("file", metavar="FILE.csv", type=Path, help="納付結果ファイル")
    add_municipality_argument(reconcile)
    add_acting_argument(reconcile)


def run(args: argparse.Namespace) -> int:
    command = args.payment_command
    if command == "make":
        return _make(args)
    if command == "parse":
        return _parse(args)
    return _reconcile(args)


def _profile(code: str):
    from counter.profile import ProfileError, load_profile

    try:
        return load_profile(code)
    except ProfileError as exc:
        fail(f"--municipality: {exc}")


def _make(args: argparse.Namespace) -> int:
    """Issue one code, signed in (a supervisor or an administrator) and audited. Every
    input is checked before a number is taken; a QR image that cannot be written gives
    the number back (the code is not stored)."""
    from counter.billing import confirmation_key, manual_bill
    from counter.cli.common import number_argument
    from counter.cli.signin import signed_in
    from counter.payment import PaymentCodeError, el_number
    from counter.payment.elqr import MAX_AMOUNT
    from counter.payment.keys import PaymentKeyError, read_payment_key
    from counter.textnorm import normalize_digits
    from db.paths import device_id
    from db.payments import issue_code

    amount = number_argument("--amount", args.amount, least=1, most=MAX_AMOUNT)
    category = normalize_digits(args.category)
    if not (category.isascii() and category.isdigit() and len(category) == 3):
        fail(f"--category: 納付区分は3桁の数字です（{args.category}）")
    profile = _profile(args.municipality)
    due = date_argument("--due", args.due)
    until = date_argument("--payable-until", args.payable_until) if args.payable_until else None
    if until is not None and until < due:
        fail(f"--payable-until: 支払期限（{until}）が納期限（{due}）より前です")
    if args.qr is not None and args.qr.suffix.lower() not in (".png", ".svg"):
        fail(f"--qr: .png か .svg のファイル名を指定してください（{args.qr}）")
    if args.qr is not None and not args.qr.parent.is_dir():
        fail(f"--qr: フォルダがありません（{args.qr.parent}）")
    try:
        key = confirmation_key(profile, read_payment_key())
    except PaymentKeyError as exc:
        fail(str(exc))
    if key is None:
        fail("確認番号の鍵ファイルがありません（COUNTER_PAYMENT_KEY_FILE を設定してください）")
    try:
        bill = manual_bill(
            profile, amount=amount, category=category, due_date=due, payable_until=until
        )
    except ValueError as exc:
        fail(f"--category: {exc}")
    engine = open_database(args, create=False)
    terminal = device_id()
    with signed_in(engine, args.acting_login, "issue_payment", terminal) as actor:
        try:  # a code that cannot be made or delivered rolls its number back
            code = issue_code(
                engine, bill, key=key, demo=profile.payment_demo,
                audit_as=(actor.id, terminal), deliver=_qr_writer(args.qr),
            )  # fmt: skip
        except PaymentCodeError as exc:
            fail(f"{exc.field}: {exc}")
        except OSError:
            fail(f"--qr: 書き込めません（{args.qr}）。コードは発行していません")
    demo_note = "【見本】練習用の架空のコードです。支払いには使えません"
    if args.json:
        data = {
            "payload": code.payload,
            "el_number": el_number(code.fields),
            "fields": _json_fields(asdict(code.fields)),
            "demo": profile.payment_demo,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if profile.payment_demo:
        print(demo_note)
    print(f"eL-QR: {code.payload}")
    print(f"eL番号: {el_number(code.fields)}")
    _print_fields(asdict(code.fields), FIELD_LABELS)
    if args.qr is not None:
        print(f"QRコード: {args.qr}")
    return 0


def _qr_writer(path: Path | None):
    """What delivering the code means: writing its QR image, or nothing. A half-written
    file is removed."""
    if path is None:
        return None
    from forms.qr import write_qr

    def deliver(code) -> None:
        try:
            write_qr(code.payload, path)
        except OSError:
            path.unlink(missing_ok=True)
            raise

    return deliver


def _parse(args: argparse.Namespace) -> int:
    from counter.payment import PaymentCodeError, el_number, parse_elqr, parse_gs1

    text = "".join(args.code.split())
    try:
        if len(text) == 44:
            fields, labels, extra = asdict(parse_gs1(text)), GS1_LABELS, {}
        else:
            parsed = parse_elqr(text)
            fields, labels = asdict(parsed), FIELD_LABELS
            extra = {"el_number": el_number(parsed)}
    except PaymentCodeError as exc:
        print(f"エラー: {exc.field}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps({**extra, "fields": _json_fields(fields)}, ensure_ascii=False, indent=2))
        return 0
    if extra:
        print(f"eL番号: {extra['el_number']}")
    _print_fields(fields, labels)
    return 0


def _reconcile(args: argparse.Namespace) -> int:
    from counter.cli.signin import signed_in
    from counter.files import InputFileError, read_input
    from counter.payment.results import (
        MAX_RESULTS_BYTES,
        PaymentResultsError,
        decode_results,
        file_digest,
        parse_results,
    )
    from counter.progress import terminal_progress
    from db.paths import device_id
    from db.payments import reconcile

    progress = terminal_progress(sys.stderr)  # stderr: stdout keeps the report
    profile = _profile(args.municipality)
    try:
        data = read_input(args.file, limit=MAX_RESULTS_BYTES)
    except InputFileError as exc:
        fail(f"{args.file.name}: {exc}")
    try:
        results = parse_results(decode_results(data))
    except PaymentResultsError as exc:
        fail(f"{args.file.name}: {exc}")
    engine = open_database(args, create=False)
    terminal = device_id()
    with signed_in(engine, args.acting_login, "reconcile", terminal) as actor:
        report = reconcile(
            engine,
            results,
            file_name=args.file.name,
            digest=file_digest(data),
            collector=profile.collector,
            progress=progress,
            audit_as=(actor.id, terminal),
        )
    progress.finish()
    for line in report.problems:
        print(line)
    print(report.summary)
    return EXIT_PROBLEMS if report.problems else 0


def _json_fields(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()}


def _print_fields(fields: dict[str, Any], labels: dict[str, str]) -> None:
    from counter.wareki import format_wareki

    for key, label in labels.items():
        value = fields[key]
        if isinstance(value, date):
            value = f"{format_wareki(value)}（{value.isoformat()}）"
        elif isinstance(value, bool):
            value = "あり" if value else "なし"
        print(f"{label}: {value}")
