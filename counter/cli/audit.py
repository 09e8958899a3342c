"""`counter audit`: check the audit log's hash chain, its keyed marks and the heads kept
outside the database, and export it for the city's SOC.

Japanese messages, one line and exit 2 on bad input, the database imported inside the
commands. ``verify`` exits 1 when the log was tampered with, naming the first broken row.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from counter.cli.common import date_argument, fail, open_database, refuse
from counter.cli.signin import add_acting_argument
from counter.files import InputFileError, open_regular
from db.paths import device_id

EXIT_TAMPERED = 1


def add(commands) -> None:
    from counter.cli.common import command_group

    audit = command_group(commands, "audit", "監査ログの検査と出力")
    verify = audit.add_parser(
        "verify",
        help="監査ログが改ざんされていないか検査します",
        description="監査ログのすべての行のハッシュを計算し直し、前の行とのつながりと、"
        "データベースの外の鍵（COUNTER_AUDIT_KEY_FILE）による印を確かめます。\n"
        "ログアウトのたびと毎日、データベースの外に書いた最後の行の記録"
        "（COUNTER_AUDIT_HEAD_FILE、既定はデータフォルダの audit-head.jsonl）とも"
        "照らし合わせます。\n"
        "書き換え・削除・挿入・並べ替え・鍵なしでの作り直し・最後の行の削除があれば、"
        "最初のおかしな行を表示して終了コード 1 です。",
    )
    verify.add_argument(
        "--head",
        metavar="FILE.jsonl",
        type=Path,
        help="最後の行の記録のファイル（既定: COUNTER_AUDIT_HEAD_FILE かデータフォルダのもの）",
    )
    verify.add_argument(
        "--last-export",
        metavar="FILE.jsonl",
        type=Path,
        help="以前に出力した監査ログ。その最後の行が変わらずに残っているかも確かめます",
    )
    export = audit.add_parser(
        "export",
        help="監査ログを JSON Lines で書き出します（SOC 提出用）",
        description="監査ログを1行に1件の JSON（UTF-8）で書き出します。日付は日本時間で、"
        "--since と --until の日を含みます。\n書き出したことも監査ログに記録します。",
    )
    export.add_argument(
        "--out", metavar="FILE.jsonl", type=Path, required=True, help="書き出すファイル"
    )
    export.add_argument("--since", metavar="DATE", help="この日から（西暦または和暦）")
    export.add_argument("--until", metavar="DATE", help="この日まで（西暦または和暦）")
    add_acting_argument(export)


def run(args: argparse.Namespace) -> int:
    if args.audit_command == "verify":
        return _verify(args)
    return _export(args)


def _verify(args: argparse.Namespace) -> int:
    from db.audit import verify
    from db.audit_head import AuditHeadError, head_path, read_heads
    from db.audit_key import AuditKeyError

    anchor = _last_exported_row(args.last_export) if args.last_export else None
    path = args.head or head_path()
    if args.head and not path.exists():
        fail(f"--head: ファイルが見つかりません（{path}）")
    if args.head and not path.is_file():
        fail(f"--head: 通常のファイルではありません（{path}）")
    try:
        heads = read_heads(path) if path.is_file() else []
        check = verify(open_database(args, create=False), anchor=anchor, heads=heads)
    except AuditHeadError as exc:
        fail(f"--head: {exc}")
    except AuditKeyError as exc:
        refuse(str(exc))
    if not check.ok:
        print(f"監査ログに改ざんが見つかりました: {check.reason}", file=sys.stderr)
        return EXIT_TAMPERED
    notes = [f"最後の行の記録 {len(heads):,}件と一致"] if heads else []
    if check.unkeyed:
        notes.append(f"鍵の印より前の行 {check.unkeyed:,}件はハッシュのつながりだけで確認")
    extra = f"（{'、'.join(notes)}）" if notes else ""
    print(f"監査ログ {check.rows:,}件、改ざんは見つかりませんでした{extra}")
    return 0


def _last_exported_row(path: Path) -> tuple[int, str]:
    """Id and hash of the last line of an earlier export: the anchor kept outside."""
    try:
        with open_regular(path) as file:  # an export can be gigabytes: read line by line
            last = ""
            for line in io.TextIOWrapper(file, encoding="utf-8"):
                last = line.strip() or last
    except InputFileError as exc:
        fail(f"--last-export: {exc}（{path}）")
    except (OSError, UnicodeDecodeError):
        fail(f"--last-export: 読み込めません（{path}）")
    try:
        row = json.loads(last)
        row_id, row_hash = row["id"], row["row_hash"]
    except (ValueError, TypeError, KeyError):
        row_id, row_hash = None, None
    if not (isinstance(row_id, int) and isinstance(row_hash, str) and len(row_hash) == 64):
        fail(f"--last-export: {path.name} の最後の行は監査ログの出力ではありません")
    return row_id, row_hash


def _export(args: argparse.Namespace) -> int:
    """Write to a temporary file beside ``--out``, record the export, then move it in
    place: a failed export leaves neither a half file nor an unrecorded copy."""
    from sqlalchemy.exc import SQLAlchemyError

    from counter.cli.signin import signed_in
    from db.audit import AuditUnreadable, export_jsonl, record

    since = date_argument("--since", args.since) if args.since else None
    until = date_argument("--until", args.until) if args.until else None
    if since and until and since > until:
        fail("--since: --until より後の日は指定できません")
    out: Path = args.out
    if out.is_dir():
        fail(f"--out: {out} はフォルダです。ファイル名を指定してください")
    if not out.parent.is_dir():
        fail(f"--out: フォルダ {out.parent} がありません")
    engine = open_database(args, create=False)
    terminal = device_id()
    partial = out.with_name(f".{out.name}.part")
    with signed_in(engine, args.acting_login, "export_audit", terminal) as actor:
        try:
            with partial.open("w", encoding="utf-8") as handle:
                count = export_jsonl(engine, handle, since=since, until=until)
            period = f"{since or '最初'}〜{until or '最後'}"
            detail = f"監査ログ出力 {count}件（{period}）{out.name}"
            record(engine, action="export", staff_id=actor.id, terminal=terminal, detail=detail)
            partial.replace(out)
        except OSError:
            fail(f"--out: 書き込めません（{out}）")
        except AuditUnreadable as exc:
            refuse(f"{exc}。何も書き出していません")
        except SQLAlchemyError as exc:
            reason = type(exc).__name__
            print(
                f"エラー: 監査ログを読み書きできません（{reason}）。何も書き出していません",
                file=sys.stderr,
            )
            return 1
        finally:
            partial.unlink(missing_ok=True)
    print(f"監査ログ {count:,}件を書き出しました：{out}")
    return 0
