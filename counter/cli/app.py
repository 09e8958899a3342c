"""`counter` with no subcommand: the counter application itself.

``counter --outreach FILE`` runs it on an outreach laptop's encrypted file: the passphrase
is asked in the terminal before Textual starts (``COUNTER_PASSWORD_STDIN=1`` reads it from
stdin), and a wrong one, or a file of another day's outing, is one Japanese line and exit 2
before any screen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from counter.cli.common import fail


def run(args: argparse.Namespace) -> int:
    from counter.catalogue import CatalogueError
    from counter.payment.keys import PaymentKeyError
    from counter.profile import ProfileError
    from screens.app import CounterApp
    from screens.settings import Settings, SettingsError

    try:
        if args.outreach is not None:
            if args.database_url:
                fail("--outreach と --database-url は一緒に使えません")
            settings = Settings.for_outreach(_open_outreach(args.outreach))
        else:
            settings = Settings.from_environment(args.database_url)
        app = CounterApp(settings)
    except (ProfileError, CatalogueError) as exc:
        fail(f"設定ファイルを読めません: {exc}")
    except (PaymentKeyError, SettingsError) as exc:
        fail(str(exc))
    app.run()
    return 0


def _open_outreach(path: Path):
    """The laptop's file, its passphrase asked and checked now, before anything of Textual
    or SQLAlchemy is loaded (``db.outreach_unlock``)."""
    from counter.cli.outreach import unlock_outreach_file

    try:
        unlocked = unlock_outreach_file(path)
    except (EOFError, KeyboardInterrupt):
        fail("入力が中断されました")
    if unlocked.exported:
        fail(
            "この出張用ファイルは持ち帰りファイルに書き出し済みです。もう受付はできません"
            "（もう一度書き出すには「counter outreach export」）"
        )
    return unlocked
