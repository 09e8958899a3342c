"""`counter demo-data`: fictional households and visits for training, never beside real
residents."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime

from counter.cli.common import fail, number_argument, open_database
from counter.cli.signin import add_acting_argument, signed_in

MAX_DEMO = 200_000  # households demo-data makes at most (a large city's register)
MAX_VISITS = 600_000  # visits at most: ten years of a 150,000-resident city's counter
DEFAULT_HOUSEHOLDS = "200"
MUNICIPALITY = "312029"  # the demo city


def add(commands) -> None:
    demo = commands.add_parser(
        "demo-data",
        help="架空の世帯・受付をデータベースに登録します（練習・デモ用）",
        description=(
            "実在しない世帯を指定の数だけ作り、住民データとして登録します。"
            "--visits を付けると、過去の開庁日の架空の受付も作ります（実績の画面と出力の見本）。"
        ),
    )
    demo.add_argument(
        "--households",
        metavar="N",
        help=f"作る世帯の数（1〜200,000。既定: {DEFAULT_HOUSEHOLDS}、--visits だけなら作らない）",
    )
    demo.add_argument(
        "--visits",
        metavar="N",
        help="作る受付の数（1〜600,000。登録済みの見本の世帯の受付として、過去の開庁日に）",
    )
    demo.add_argument(
        "--seed",
        metavar="N",
        default="0",
        help="乱数の種（同じ値なら同じ世帯・受付になります。既定: 0）",
    )
    add_acting_argument(demo)


def run(args: argparse.Namespace) -> int:
    """Fictional households and visits, never beside real residents: refused in one line
    (exit 2, nothing written) on a database that holds any resident not made as demo
    data. Once staff exist, an administrator signs in first; each save is in the audit
    log."""
    asked = args.households
    if asked is None and args.visits is None:
        asked = DEFAULT_HOUSEHOLDS
    households = (
        None if asked is None else number_argument("--households", asked, least=1, most=MAX_DEMO)
    )
    visits = (
        None
        if args.visits is None
        else number_argument("--visits", args.visits, least=1, most=MAX_VISITS)
    )
    seed = number_argument("--seed", args.seed, least=0, most=2**31)

    from counter.demo import as_demo, generate_households
    from counter.progress import terminal_progress
    from db.paths import device_id
    from db.register import DemoRefused, save_households
    from db.staff import has_staff
    from workflows.demo_visits import make_demo_visits

    progress = terminal_progress(sys.stderr)
    engine = open_database(args)
    terminal = device_id()
    today = date.today()

    def save(staff_id: str | None) -> list[str]:
        said, who = [], (staff_id, terminal)
        try:
            if households:
                made = generate_households(households, seed=seed, on=today, progress=progress)
                saved = save_households(engine, as_demo(made), municipality=MUNICIPALITY,
                                        progress=progress, demo=True, audit_as=who)  # fmt: skip
                said.append(f"{saved}世帯")
            if visits:
                stored = make_demo_visits(
                    engine, visits, municipality=MUNICIPALITY, seed=seed, today=today,
                    now=datetime.now(UTC), progress=progress, audit_as=who,
                )  # fmt: skip
                said.append(f"見本の受付 {stored}件")
        except DemoRefused as exc:
            progress.stop()
            fail(str(exc))
        return said

    if has_staff(engine):
        with signed_in(engine, args.acting_login, "write_demo_data", terminal) as actor:
            said = save(actor.id)
    else:
        said = save(None)
    progress.finish()
    where = engine.url.render_as_string(hide_password=True)
    print(f"{'と'.join(said)}を登録しました（{where}）")
    return 0
