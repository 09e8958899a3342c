"""Where this terminal keeps its data and who it is, read once at start."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from counter.payment.keys import read_payment_key
from counter.profile import (
    DEFAULT_MUNICIPALITY,
    MUNICIPALITY_ENV,
    ProfileError,
    chosen_municipality,
)
from db.outreach_unlock import UnlockedFile
from db.paths import data_dir, database_url, device_id
from forms.printing import printer_queue

if TYPE_CHECKING:
    from workflows.documents import DocumentKeeper

DEMO_HOUSEHOLDS = 200
IDLE_ENV = "COUNTER_IDLE_LOCK_MINUTES"
ACCOUNT_LOCK_ENV = "COUNTER_ACCOUNT_LOCK_MINUTES"


@dataclass(frozen=True)
class Settings:
    database_url: str
    slip_dir: Path
    device_id: str
    municipality: str = DEFAULT_MUNICIPALITY  # the city served: its profile names everything
    seed_demo: bool = True
    printer: str | None = None  # the CUPS queue; None keeps every PDF for later printing
    payment_key: bytes | None = None  # the city's confirmation key, from a file outside the DB
    idle_lock_minutes: float = 10.0  # the screen locks after this long without a key
    account_lock_minutes: int = 15  # an account stays locked this long after 5 failures
    outreach: UnlockedFile | None = None  # an outreach laptop: the app runs on its file

    @classmethod
    def from_environment(cls, explicit_url: str | None = None) -> Settings:
        slip_dir = os.environ.get("COUNTER_SLIP_DIR")
        return cls(
            database_url=database_url(explicit_url),
            slip_dir=Path(slip_dir) if slip_dir else data_dir() / "slips",
            device_id=device_id(),
            municipality=_municipality(),
            printer=printer_queue(),
            payment_key=read_payment_key(),
            idle_lock_minutes=_minutes(IDLE_ENV, 10.0),
            account_lock_minutes=int(_minutes(ACCOUNT_LOCK_ENV, 15)),
        )

    @classmethod
    def for_outreach(cls, store: UnlockedFile) -> Settings:
        """The app on an outreach laptop's file: never a demo seed, never the data
        directory's database (``database_url`` only names the file, never its key)."""
        return replace(
            cls.from_environment(),
            database_url=f"sqlite+pysqlcipher:///{store.path}",
            municipality=store.municipality,
            seed_demo=False,
            outreach=store,
        )


def document_keeper(settings: Settings) -> DocumentKeeper:
    """Where this terminal keeps its visits' PDFs: an outreach laptop inside its encrypted
    file (its private working folder made fresh now, an earlier run's leftovers removed),
    any other terminal in the slip folder."""
    from workflows.documents import SealedStore, SlipFolder
    from workflows.working_folder import open_working_folder

    if settings.outreach is None:
        return SlipFolder(settings.slip_dir)
    return SealedStore(open_working_folder())


class SettingsError(ValueError):
    """A setting from the environment that cannot be used (a Japanese sentence)."""


def outreach_day_problem(store: UnlockedFile, today: date) -> str | None:
    """Why the laptop may not serve residents ``today``: its 受付番号 block is of the
    outing day only (a visit of another day would be numbered outside the block)."""
    from counter.wareki import format_wareki

    if today == store.office_date:
        return None
    return (
        f"この出張用ファイルは{format_wareki(store.office_date, weekday=False)}の出張用です。"
        "今日の受付には使えません（事務所で新しい出張用ファイルを作ってください）"
    )


def _municipality() -> str:
    """COUNTER_MUNICIPALITY: the 全国地方公共団体コード of the city this terminal serves
    (any width; its check digit and a profile in counter/data/municipalities required)."""
    try:
        return chosen_municipality(os.environ.get(MUNICIPALITY_ENV))
    except ProfileError as exc:
        raise SettingsError(f"{MUNICIPALITY_ENV}: {exc}") from None


def _minutes(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        minutes = float(text)
    except ValueError:
        raise SettingsError(f"{name}: 分の数を入れてください（例: 10）") from None
    if not 0 < minutes <= 24 * 60:
        raise SettingsError(f"{name}: 0より大きく1440以下の分にしてください")
    return minutes
