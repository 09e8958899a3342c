"""`counter stats`: the counter's figures of a period, for the city's reports.

A supervisor or an administrator signs in (``--as`` and the password). The figures are
those of the supervisor screen (counter.stats, db.stats), with every cell resting on
fewer than five visits shown as 「5件未満」; no name, kana, address, birth date,
individual number or visit id is ever in them. The export is in the audit log.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from counter.cli.common import add_municipality_argument, fail, open_database
from counter.cli.signin import add_acting_argument
from counter.stats import PeriodError, read_period

FORMATS = ("text", "csv", "json")


def add(commands) -> None:
    stats = commands.add_parser(
        "stats",
        help="窓口の実績（件数・時間・書かない率など）を出力します（監督者・管理者）",
        description="期間の受付の件数、1件の分数（中央値・90%値）、手続きの数、書かない率、"
        "担当課への引き継ぎ、納付番号、受付の場所、曜日・時間帯を出力します。\n"
        "個人を特定できる値は含みません。5件未満の数は「5件未満」と表示します。",
    )
    stats.add_argument("--from", dest="start", metavar="DATE", required=True,
                       help="この日から（西暦または和暦）")  # fmt: skip
    stats.add_argument("--to", dest="end", metavar="DATE", required=True,
                       help="この日まで（西暦または和暦）")  # fmt: skip
    stats.add_argument("--format", choices=FORMATS, default="text", metavar="FORMAT",
                       help="text（既定）、csv、json のどれか")  # fmt: skip
    stats.add_argument("--out", type=Path, metavar="FILE", help="書き出すファイル（既定: 画面）")
    add_municipality_argument(stats)
    add_acting_argument(stats)


def run(args: argparse.Namespace) -> int:
    from counter.cli.signin import signed_in
    from counter.profile import ProfileError, load_profile
    from db.audit import record
    from db.paths import device_id
    from db.stats import figures

    try:
        start, end = read_period(args.start, args.end)
    except PeriodError as exc:
        fail(str(exc))
    try:
        profile = load_profile(args.municipality)
    except ProfileError as exc:
        fail(f"--municipality: {exc}")
    out: Path | None = args.out
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        fail(f"--out: 書き込めるファイル名を指定してください（{out}）")
    engine = open_database(args, create=False)
    terminal = device_id()
    with signed_in(engine, args.acting_login, "view_stats", terminal) as actor:
        text = render(figures(engine, profile.code, start, end), args.format, profile.name)
        if out is not None:  # whole or not at all: written beside, then moved in place
            partial = out.with_name(f".{out.name}.part")
            try:
                partial.write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
                partial.replace(out)
            except OSError:
                fail(f"--out: 書き込めません（{out}）")
            finally:
                partial.unlink(missing_ok=True)
        record(engine, action="export", staff_id=actor.id, terminal=terminal,
               detail=f"窓口の実績の出力 {start}〜{end}（{args.format}）")  # fmt: skip
    if out is None:
        sys.stdout.write(text)
    else:
        print(f"窓口の実績を書き出しました：{out}")
    return 0


def render(figures, form: str, city: str) -> str:
    """The figures as ``form`` (text, csv or json)."""
    from counter.stats import as_json, as_rows

    if form == "json":
        return json.dumps(as_json(figures), ensure_ascii=False, indent=2) + "\n"
    if form == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["区分", "項目", "列", "値"])
        writer.writerows(["" if v is None else v for v in row] for row in as_rows(figures))
        return buffer.getvalue()
    return _text(figures, city)


def _text(figures, city: str) -> str:
    from counter.stats import MIN_SHOWN, as_rows, cell_text
    from counter.wareki import format_wareki

    lines = [
        f"窓口の実績　{city}　{format_wareki(figures.start)}〜{format_wareki(figures.end)}",
        f"（{MIN_SHOWN}件未満の数は「{MIN_SHOWN}件未満」と表示します）",
    ]
    section = None
    for kind, item, column, value in as_rows(figures):
        if kind == "期間":
            continue
        if kind != section:
            section = kind
            lines.append(f"\n■ {kind}")
        shown = cell_text(value)
        lines.append(f"  {item}　{column}: {shown}" if item else f"  {column}: {shown}")
    return "\n".join(lines) + "\n"
