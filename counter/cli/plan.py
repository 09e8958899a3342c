"""`counter plan`: the procedures a household file owes, as text or JSON (no database)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from counter.cli.common import date_argument, fail

if TYPE_CHECKING:
    from counter.household import EventCase
    from counter.plan import Plan
    from counter.profile import MunicipalityProfile


def add(commands) -> None:
    plan = commands.add_parser(
        "plan",
        help="世帯ファイルから必要な手続きの一覧を出します",
        description="世帯ファイル（docs/household-format.md）を読み、届出で必要になる手続きを"
        "世帯員ごとに一覧にします。",
    )
    plan.add_argument(
        "--format", choices=("text", "json"), default="text", help="出力の形式（既定: text）"
    )
    add_household_arguments(plan, "期限の計算に使います")


def add_household_arguments(parser: argparse.ArgumentParser, filed_on_use: str) -> None:
    """``--household`` and ``--filed-on``, read the same way by every command that plans."""
    parser.add_argument(
        "--household", metavar="FILE.json", required=True, type=Path, help="世帯ファイル（JSON）"
    )
    parser.add_argument(
        "--filed-on",
        metavar="DATE",
        help=f"届出をする日（西暦または和暦。既定: 今日）。{filed_on_use}",
    )


def filed_on(args: argparse.Namespace) -> date:
    return date_argument("--filed-on", args.filed_on) if args.filed_on else date.today()


def planned(path: Path, on: date) -> tuple[EventCase, dict[str, str], MunicipalityProfile, Plan]:
    """The household file planned as of ``on`` (with its ``form_data``): one way for
    every command, so `counter forms` prints the forms of the plan `counter plan` shows.
    Bad input is one line naming the file and the field (exit 2)."""
    from counter.catalogue import CatalogueError, load_catalogue
    from counter.interchange import HouseholdFormatError, load_household_with_form_data
    from counter.profile import ProfileError, load_profile
    from counter.rules import PlanningError, plan

    try:
        case, form_data = load_household_with_form_data(path)
        profile = load_profile(case.municipality)
        result = plan(case, load_catalogue().with_profile(profile), profile, filed_on=on)
    except HouseholdFormatError as exc:
        fail(f"{file_label(path)}: {exc}")
    except (ProfileError, CatalogueError, PlanningError) as exc:
        fail(str(exc))
    return case, form_data, profile, result


def file_label(path: Path) -> str:
    """The file as an error names it: its name, or the path as given when it has none
    (「.」, a folder given by mistake, would otherwise read as nothing)."""
    return path.name or str(path)


def run(args: argparse.Namespace) -> int:
    *_, result = planned(args.household, filed_on(args))
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(result.to_text())
    return 0
