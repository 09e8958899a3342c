"""Where this terminal keeps its data and who it is, read once at start."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from counter.payment.keys import read_payment_key
from db.paths import data_dir, database_url
from forms.printing import printer_queue

DEMO_HOUSEHOLDS = 200


@dataclass(frozen=True)
class Settings:
    database_url: str
    slip_dir: Path
    device_id: str
    municipality: str = "312029"
    seed_demo: bool = True
    printer: str | None = None  # the CUPS queue; None keeps every PDF for later printing
    payment_key: bytes | None = None  # the city's confirmation key, from a file outside the DB

    @classmethod
    def from_environment(cls, explicit_url: str | None = None) -> Settings:
        slip_dir = os.environ.get("COUNTER_SLIP_DIR")
        return cls(
            database_url=database_url(explicit_url),
            slip_dir=Path(slip_dir) if slip_dir else data_dir() / "slips",
            device_id=os.environ.get("COUNTER_DEVICE_ID") or socket.gethostname(),
            printer=printer_queue(),
            payment_key=read_payment_key(),
        )
