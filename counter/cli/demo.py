"""`counter demo-data`: fictional households for training, never beside real residents."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from counter.cli.common import fail, number_argument, open_database
from counter.cli.signin import add_acting_argument, signed_in

MAX_DEMO = 200_000  # households demo-data makes at most (a large city's register)


def add(commands) -> None:
    demo = commands.add_parser(
        "demo-data",
        help="架空の世帯をデータベースに登録します（練習・デモ用）",
        description="実在しない世帯を指定の数だけ作り、住民データとして登録します。",
    )
    demo.add_argument(
        "--households", metavar="N", default="200", help="作る世帯の数（1〜200,000。既定: 200）"
    )
    demo.add_argument(
        "--seed",
        metavar="N",
        default="0",
        help="乱数の種（同じ値なら同じ世帯になります。既定: 0）",
    )
    add_acting_argument(demo)


def run(args: argparse.Namespace) -> int:
    """Fictional households, never beside real residents: refused in one line (exit 2,
    nothing written) on a database that holds any resident not made as demo data. Once
    staff exist, an administrator signs in first; the save is in the audit log."""
    households = number_argument("--households", args.households, least=1, most=MAX_DEMO)
    seed = number_argument("--seed", args.seed, least=0, most=2**31)

    from counter.demo import as_demo, generate_households
    from counter.progress import terminal_progress
    from db.paths import device_id
    from db.register import DemoRefused, save_households
    from db.staff import has_staff

    progress = terminal_progress(sys.stderr)
    engine = open_database(args)
    terminal = device_id()

    def save(staff_id: str | None) -> int:
        made = generate_households(households, seed=seed, on=date.today(), progress=progress)
        try:
            return save_households(
                engine, as_demo(made), municipality="312029", progress=progress, demo=True,
                audit_as=(staff_id, terminal),
            )  # fmt: skip
        except DemoRefused as exc:
            progress.stop()
            fail(str(exc))

    if has_staff(engine):
        with signed_in(engine, args.acting_login, "write_demo_data", terminal) as actor:
            saved = save(actor.id)
    else:
        saved = save(None)
    progress.finish()
    print(f"{saved}世帯を登録しました（{engine.url.render_as_string(hide_password=True)}）")
    return 0
