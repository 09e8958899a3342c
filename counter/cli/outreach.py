"""`counter outreach checkout | status | export | import | conflicts | settle`: the file an
outreach laptop takes on the road, and its work brought back.

A supervisor or an administrator signs in (``--as`` and the password) and checks out the
residents of a route into one encrypted file; its passphrase is typed twice and follows
the password policy (``COUNTER_PASSWORD_STDIN=1`` reads it from lines of stdin, after the
password). It is never an argument and never printed. A wrong passphrase, or a file that
is not an outreach file, is one Japanese line and exit 2.

On the laptop ``export`` asks the passphrase first (the accounts are inside the file),
then the password. At the office ``import`` takes the bundle in, ``conflicts`` lists
what waits for a supervisor and ``settle`` settles one (the screen does the same).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from counter.cli.common import (
    add_municipality_argument,
    command_group,
    date_argument,
    fail,
    number_argument,
)

PASSPHRASE_PROMPT = "出張用ファイルの合言葉: "


def add(commands) -> None:
    from counter.cli.signin import add_acting_argument
    from counter.outreach import DEFAULT_PAYMENT_BLOCK, DEFAULT_RECEPTION_BLOCK

    outreach = command_group(commands, "outreach", "出張（オフライン）用ファイルの作成・確認")
    checkout = outreach.add_parser(
        "checkout",
        help="出張用ファイルを作ります（監督者・管理者）",
        description="指定した地域の世帯と住民、ログインできる職員、予約した受付番号と納付番号、"
        "署名鍵を、合言葉で暗号化した1つのファイルに書き出します。\n"
        "合言葉は2回入力します（パスワードと同じ規則）。既にあるファイルは上書きしません。",
    )
    checkout.add_argument(
        "--area",
        action="append",
        required=True,
        metavar="AREA",
        help="郵便番号（7桁）、その頭の数字（683 など）、または町名。何度でも指定できます",
    )
    checkout.add_argument("--out", type=Path, required=True, metavar="FILE", help="出張用ファイル")
    checkout.add_argument(
        "--date", metavar="DATE", help="出張する日（受付番号はこの日のもの。既定: 今日）"
    )
    checkout.add_argument(
        "--reception-block",
        metavar="N",
        default=str(DEFAULT_RECEPTION_BLOCK),
        help=f"予約する受付番号の数（既定: {DEFAULT_RECEPTION_BLOCK}）",
    )
    checkout.add_argument(
        "--payment-block",
        metavar="N",
        default=str(DEFAULT_PAYMENT_BLOCK),
        help=f"予約する納付番号の数（既定: {DEFAULT_PAYMENT_BLOCK}）",
    )
    checkout.add_argument(
        "--staff",
        action="append",
        default=[],
        metavar="LOGIN",
        help="ノートPCでログインできる職員（何度でも指定できます。既定: 有効な職員全員）",
    )
    add_municipality_argument(checkout)
    add_acting_argument(checkout)
    status = outreach.add_parser(
        "status",
        help="出張用ファイルの内容を表示します",
        description="合言葉を尋ね、地域、作成日時と作成者、番号の範囲と使用数、"
        "持ち帰り待ちの受付の数を表示します。",
    )
    status.add_argument("file", type=Path, metavar="FILE", help="出張用ファイル")
    export = outreach.add_parser(
        "export",
        help="出張の受付を持ち帰りファイルに書き出します（ノートPC）",
        description="出張用ファイルの受付・チェックリスト・納付番号・監査ログを、暗号化して署名した"
        "1つの持ち帰りファイルに書き出します。書き出した出張用ファイルでは新しい受付はできません。\n"
        "合言葉、パスワードの順に尋ねます。既にあるファイルは上書きしません。",
    )
    export.add_argument("file", type=Path, metavar="FILE", help="出張用ファイル")
    export.add_argument(
        "--out", type=Path, required=True, metavar="BUNDLE", help="持ち帰りファイル"
    )
    add_acting_argument(export)
    taking = outreach.add_parser(
        "import",
        help="持ち帰りファイルを取り込みます（監督者・管理者）",
        description="署名と暗号を確かめ、1つのトランザクションで取り込みます。"
        "同じファイルをもう一度取り込んでも何も増えません。"
        "確認が必要なものは「counter outreach conflicts」に並びます。",
    )
    taking.add_argument("bundle", type=Path, metavar="BUNDLE", help="持ち帰りファイル")
    add_acting_argument(taking)
    conflicts = outreach.add_parser(
        "conflicts",
        help="取り込みで確認待ちになったものを表示します（監督者・管理者）",
        description="転入者が既に登録されている可能性、出張中に窓口で変わった世帯を表示します。",
    )
    add_acting_argument(conflicts)
    settling = outreach.add_parser(
        "settle",
        help="確認待ちを1件処理します（監督者・管理者）",
        description="register: 別の人として登録する／use_office: 窓口の記録の人とする／"
        "reviewed: 確認した（出張の受付はそのまま）",
    )
    settling.add_argument("conflict", metavar="ID", help="確認待ちの ID（先頭8文字以上）")
    settling.add_argument(
        "resolution", choices=("register", "use_office", "reviewed"), metavar="RESOLUTION",
        help="register、use_office、reviewed のどれか",
    )  # fmt: skip
    add_acting_argument(settling)


def run(args: argparse.Namespace) -> int:
    commands = {
        "checkout": _checkout,
        "status": _status,
        "export": _export,
        "import": _import,
        "conflicts": _conflicts,
        "settle": _settle,
    }
    try:
        return commands[args.outreach_command](args)
    except (EOFError, KeyboardInterrupt):
        fail("入力が中断されました。何も変更していません")


def _checkout(args: argparse.Namespace) -> int:
    from datetime import date

    from counter.cli.signin import read_password, signed_in
    from counter.outreach import parse_area
    from counter.profile import ProfileError, load_profile
    from counter.staff import password_problem
    from counter.textnorm import TextFormatError
    from db.paths import device_id
    from workflows.outreach import CheckoutRefused, checkout

    try:
        terms = [parse_area(text) for text in args.area]
    except TextFormatError as exc:
        fail(f"--area: {exc}")
    reception_count = number_argument("--reception-block", args.reception_block, least=1, most=9999)
    payment_count = number_argument("--payment-block", args.payment_block, least=1, most=99999)
    office_date = date_argument("--date", args.date) if args.date else date.today()
    try:
        profile = load_profile(args.municipality)
    except ProfileError as exc:
        fail(f"--municipality: {exc}")
    out: Path = args.out
    if out.exists():
        fail(f"--out: ファイル {out} はもうあります。上書きはしません")
    if not out.parent.is_dir():
        fail(f"--out: フォルダがありません（{out.parent}）")
    from counter.cli.common import open_database

    engine = open_database(args, create=False)
    terminal = device_id()
    with signed_in(engine, args.acting_login, "outreach_checkout", terminal) as actor:
        passphrase = read_password(PASSPHRASE_PROMPT)
        if read_password("もう一度入力してください: ") != passphrase:
            fail("2つの合言葉が違います。何も作っていません")
        problem = password_problem(actor.login, passphrase)
        if problem:
            fail(f"合言葉: {problem.replace('パスワード', '合言葉')}。何も作っていません")
        try:
            summary = checkout(
                engine,
                actor_id=actor.id,
                actor_login=actor.login,
                terminal=terminal,
                terms=terms,
                out=out,
                passphrase=passphrase,
                profile=profile,
                office_date=office_date,
                reception_count=reception_count,
                payment_count=payment_count,
                staff_logins=[login.strip() for login in args.staff],
            )
        except CheckoutRefused as exc:
            fail(str(exc))
    print(f"出張用ファイル {out} を作りました（{summary.households}世帯、{summary.residents}人、"
          f"職員{summary.staff}人）")  # fmt: skip
    print(f"受付番号: {summary.reception[0]}〜{summary.reception[1]}（{office_date.isoformat()}）")
    print(f"納付番号: {summary.payment[0]}〜{summary.payment[1]}")
    return 0


def unlock_outreach_file(path: Path):
    """The file ``path`` unlocked, the passphrase asked now; one line (exit 2) for a
    wrong passphrase or a file that is not an outreach file. Loads nothing of
    SQLAlchemy (the app asks this before it starts)."""
    from counter.cli.signin import read_password
    from db.outreach_unlock import StoreRefused, unlock

    if not path.is_file():
        fail(f"出張用ファイルが見つかりません（{path}）")
    passphrase = read_password(PASSPHRASE_PROMPT)
    try:
        return unlock(path, passphrase)
    except StoreRefused as exc:
        fail(str(exc))


def open_outreach_file(path: Path):
    """The engine and laptop row of ``path`` (``unlock_outreach_file``)."""
    from db.outreach_store import open_unlocked

    return open_unlocked(unlock_outreach_file(path))


def _status(args: argparse.Namespace) -> int:
    from db.staff import japan_time
    from workflows.outreach import laptop_status

    engine, laptop = open_outreach_file(args.file)
    try:
        status = laptop_status(engine, laptop)
    finally:
        engine.dispose()
    first, last = status.reception
    print(f"地域: {status.area}")
    print(f"作成: {japan_time(status.checked_out_at)}（{status.checked_out_by}）")
    print(f"受付番号: {first}〜{last}（{status.office_date.isoformat()}）"
          f" 使用 {status.reception_used} / {last - first + 1}")  # fmt: skip
    first, last = status.payment
    print(f"納付番号: {first}〜{last} 使用 {status.payment_used} / {last - first + 1}")
    if status.exported_at is None:
        print(f"持ち帰り待ちの受付: {status.visits_waiting}件")
    else:
        print(f"持ち帰りファイルに書き出し済み（第{status.exported_sequence}回、"
              f"{japan_time(status.exported_at)}）: 受付{status.visits_waiting}件")  # fmt: skip
    return 0


def _export(args: argparse.Namespace) -> int:
    from counter.cli.signin import signed_in
    from db.paths import device_id
    from workflows.outreach_export import ExportRefused, export_bundle

    out: Path = args.out
    if out.exists():
        fail(f"--out: ファイル {out} はもうあります。上書きはしません")
    if not out.parent.is_dir():
        fail(f"--out: フォルダがありません（{out.parent}）")
    engine, _ = open_outreach_file(args.file)
    terminal = device_id()
    try:
        with signed_in(engine, args.acting_login, None, terminal) as actor:
            try:
                summary = export_bundle(engine, out, staff_id=actor.id, terminal=terminal)
            except ExportRefused as exc:
                fail(str(exc))
    finally:
        engine.dispose()
    print(f"持ち帰りファイル {out} を書き出しました（第{summary.sequence}回、"
          f"受付{summary.visits}件、世帯{summary.households}、"
          f"監査{summary.audit_rows}行）")  # fmt: skip
    print("この出張用ファイルではもう受付はできません。"
          "事務所で「counter outreach import」で取り込んでください")  # fmt: skip
    return 0


def _import(args: argparse.Namespace) -> int:
    from counter.cli.common import open_database
    from counter.cli.signin import signed_in
    from counter.files import InputFileError, read_input
    from counter.outreach_bundle import MAX_BUNDLE, BundleRefused
    from db.paths import device_id
    from workflows.outreach_import import import_bundle

    try:
        data = read_input(args.bundle, limit=MAX_BUNDLE)
    except InputFileError as exc:
        fail(f"持ち帰りファイル: {exc}（{args.bundle}）")
    engine = open_database(args, create=False)
    terminal = device_id()
    with signed_in(engine, args.acting_login, "outreach_import", terminal) as actor:
        try:
            summary = import_bundle(engine, data, staff_id=actor.id, terminal=terminal)
        except BundleRefused as exc:
            fail(str(exc))
    if summary.already:
        print(f"この持ち帰りファイル（{summary.area}、第{summary.sequence}回）は"
              "取り込み済みです。何も追加していません")  # fmt: skip
        return 0
    print(f"出張（{summary.area}）の持ち帰りを取り込みました: 受付{summary.visits}件、"
          f"監査ログ{summary.audit_rows}行、転入{summary.newcomers}世帯")  # fmt: skip
    print(summary.released)
    if summary.conflicts:
        print(f"確認待ち {summary.conflicts}件: 監督者が「出張の確認待ち」画面か"
              "「counter outreach conflicts」で処理してください")  # fmt: skip
    return 0


def _conflicts(args: argparse.Namespace) -> int:
    from counter.cli.common import open_database
    from counter.cli.signin import signed_in
    from db.paths import device_id
    from db.staff import japan_time
    from workflows.outreach_conflicts import open_conflicts

    engine = open_database(args, create=False)
    with signed_in(engine, args.acting_login, "outreach_import", device_id()):
        conflicts = open_conflicts(engine)
    if not conflicts:
        print("確認待ちはありません")
        return 0
    for conflict in conflicts:
        print(f"{conflict.id[:8]}  {conflict.kind_label}  {conflict.area}"
              f"（{japan_time(conflict.imported_at)} 取り込み）")  # fmt: skip
        print(f"    {conflict.detail}")
        print(f"    選べる処理: {' / '.join(conflict.choices)}")
    return 0


def _settle(args: argparse.Namespace) -> int:
    from counter.cli.common import open_database
    from counter.cli.signin import signed_in
    from db.paths import device_id
    from workflows.outreach_conflicts import SettleRefused, open_conflicts, settle

    typed = args.conflict.strip().lower()
    if len(typed) < 8:
        fail("ID: 先頭8文字以上を入れてください")
    engine = open_database(args, create=False)
    terminal = device_id()
    with signed_in(engine, args.acting_login, "outreach_import", terminal) as actor:
        found = [c for c in open_conflicts(engine) if c.id.startswith(typed)]
        if len(found) != 1:
            fail(f"ID: 確認待ち {typed} が{'ありません' if not found else '複数あります'}")
        try:
            said = settle(
                engine, found[0].id, args.resolution, staff_id=actor.id, terminal=terminal
            )
        except SettleRefused as exc:
            fail(str(exc))
    print(f"処理しました: {said}")
    return 0
