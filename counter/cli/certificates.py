"""`counter certificates`: who may have which certificate, decided from a request file
(docs/certificates.md), as text or JSON. No database: kiosks, tests and other systems
ask the same question the counter's screen answers."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from counter.cli.common import fail


def add(commands) -> None:
    certificates = commands.add_parser(
        "certificates",
        help="証明書の請求ファイルから、交付できるかと手数料を出します",
        description="請求ファイル（docs/certificates.md）を読み、請求された証明書ごとに"
        "交付できる／できない／要確認と、その理由・窓口・必要なもの・手数料を出します。",
    )
    certificates.add_argument(
        "--request", metavar="FILE.json", required=True, type=Path, help="請求ファイル（JSON）"
    )
    certificates.add_argument(
        "--format", choices=("text", "json"), default="text", help="出力の形式（既定: text）"
    )
    certificates.add_argument("--on", metavar="DATE", help="請求の日（西暦または和暦。既定: 今日）")


def run(args: argparse.Namespace) -> int:
    from counter.certificates import decide
    from counter.certificates.request import load_request
    from counter.interchange import HouseholdFormatError
    from counter.profile import ProfileError, load_profile
    from counter.wareki import DateFormatError, parse_date

    try:
        on = parse_date(args.on) if args.on else date.today()
    except DateFormatError as exc:
        fail(f"--on: {exc}")
    try:
        request = load_request(args.request, on)
        profile = load_profile(request.municipality)
        decision = decide(request.household, request.requester, request.requests, profile, on)
    except HouseholdFormatError as exc:
        fail(f"{args.request.name}: {exc}")
    except ProfileError as exc:
        fail(str(exc))
    if args.format == "json":
        print(json.dumps(decision.to_json(), ensure_ascii=False, indent=2))
    else:
        print(decision.to_text())
    return 0
