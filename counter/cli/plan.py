"""`counter plan`: the procedures a household file owes, as text or JSON (no database)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from counter.cli.common import fail


def add(commands) -> None:
    plan = commands.add_parser(
        "plan",
        help="世帯ファイルから必要な手続きの一覧を出します",
        description="世帯ファイル（docs/household-format.md）を読み、届出で必要になる手続きを"
        "世帯員ごとに一覧にします。",
    )
    plan.add_argument(
        "--household", metavar="FILE.json", required=True, type=Path, help="世帯ファイル（JSON）"
    )
    plan.add_argument(
        "--format", choices=("text", "json"), default="text", help="出力の形式（既定: text）"
    )
    plan.add_argument(
        "--filed-on",
        metavar="DATE",
        help="届出をする日（西暦または和暦。既定: 今日）。期限の計算に使います",
    )


def run(args: argparse.Namespace) -> int:
    from counter.catalogue import CatalogueError, load_catalogue
    from counter.interchange import HouseholdFormatError, load_event_case
    from counter.profile import ProfileError, load_profile
    from counter.rules import PlanningError, plan
    from counter.wareki import DateFormatError, parse_date

    try:
        filed_on = parse_date(args.filed_on) if args.filed_on else date.today()
    except DateFormatError as exc:
        fail(f"--filed-on: {exc}")
    try:
        case = load_event_case(args.household)
        profile = load_profile(case.municipality)
        result = plan(case, load_catalogue().with_profile(profile), profile, filed_on=filed_on)
    except HouseholdFormatError as exc:
        fail(f"{args.household.name}: {exc}")
    except (ProfileError, CatalogueError, PlanningError) as exc:
        fail(str(exc))
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(result.to_text())
    return 0
