"""Where this terminal keeps its data and who it is, read once at start."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from counter.payment.keys import read_payment_key
from db.paths import data_dir, database_url, device_id
from forms.printing import printer_queue

DEMO_HOUSEHOLDS = 200
IDLE_ENV = "COUNTER_IDLE_LOCK_MINUTES"
ACCOUNT_LOCK_ENV = "COUNTER_ACCOUNT_LOCK_MINUTES"


@dataclass(frozen=True)
class Settings:
    database_url: str
    slip_dir: Path
    device_id: str
    municipality: str = "312029"
    seed_demo: bool = True
    printer: str | None = None  # the CUPS queue; None keeps every PDF for later printing
    payment_key: bytes | None = None  # the city's confirmation key, from a file outside the DB
    idle_lock_minutes: float = 10.0  # the screen locks after this long without a key
    account_lock_minutes: int = 15  # an account stays locked this long after 5 failures

    @classmethod
    def from_environment(cls, explicit_url: str | None = None) -> Settings:
        slip_dir = os.environ.get("COUNTER_SLIP_DIR")
        return cls(
            database_url=database_url(explicit_url),
            slip_dir=Path(slip_dir) if slip_dir else data_dir() / "slips",
            device_id=device_id(),
            printer=printer_queue(),
            payment_key=read_payment_key(),
            idle_lock_minutes=_minutes(IDLE_ENV, 10.0),
            account_lock_minutes=int(_minutes(ACCOUNT_LOCK_ENV, 15)),
        )


class SettingsError(ValueError):
    """A setting from the environment that cannot be used (a Japanese sentence)."""


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
