"""`counter` with no subcommand: the counter application itself."""

from __future__ import annotations

import argparse

from counter.cli.common import fail


def run(args: argparse.Namespace) -> int:
    from counter.catalogue import CatalogueError
    from counter.payment.keys import PaymentKeyError
    from counter.profile import ProfileError
    from screens.app import CounterApp
    from screens.settings import Settings, SettingsError

    try:
        app = CounterApp(Settings.from_environment(args.database_url))
    except (ProfileError, CatalogueError) as exc:
        fail(f"設定ファイルを読めません: {exc}")
    except (PaymentKeyError, SettingsError) as exc:
        fail(str(exc))
    app.run()
    return 0
