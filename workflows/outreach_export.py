"""Handing back an outreach laptop's day: its work as one encrypted, signed bundle.

The bundle holds every visit of the file with its checklist, payment codes, forms issued
and individual numbers (opened with the laptop's vault key; inside the encrypted bundle
only), the households those visits are of (the office tells newcomers from the route's
households by the checkout's fingerprints), the counters' last numbers, and the whole
audit chain of the laptop, its own export row included.

Exporting closes the file for new visits (the office releases the numbers it did not
use): the bundle is made inside the transaction that records the export and written only
once that has committed, whole under a temporary name and then linked to its own. So a
bundle is only ever of a closed file; a crash leaves at most a closed file without its
bundle (and a ``.part`` file), and exporting again writes the same work with the next
sequence number.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from counter.outreach_bundle import seal
from counter.profile import load_profile
from db import audit
from db.models import (
    AuditLogRow,
    HouseholdRow,
    IssuedFormRow,
    MyNumberVaultRow,
    OutreachLaptopRow,
    PaymentCodeRow,
    ResidentRow,
    VisitProcedureRow,
    VisitRow,
)
from db.sequences import current
from db.vault import MyNumberKeyError, MyNumberUnreadable, read_key, unseal
from workflows.outreach import publish_file

FORMAT = 1


class ExportRefused(RuntimeError):
    """The bundle cannot be written (a Japanese line); nothing changed on the laptop."""


@dataclass(frozen=True)
class ExportSummary:
    sequence: int
    visits: int
    households: int
    audit_rows: int
    size: int


def export_bundle(
    engine: Engine, out: Path, *, staff_id: str, terminal: str, now: datetime | None = None
) -> ExportSummary:
    """Write the laptop file's work to ``out`` (never over a file) and close the file."""
    if out.exists():
        raise ExportRefused(f"ファイル {out} はもうあります。上書きはしません")
    if not out.parent.is_dir():
        raise ExportRefused(f"フォルダがありません（{out.parent}）")
    now = now or datetime.now(UTC)
    with Session(engine.execution_options(write_lock=True)) as session:
        laptop = session.exec(select(OutreachLaptopRow)).one()
        sequence = laptop.exported_sequence + 1
        visits = session.exec(select(func.count()).select_from(VisitRow)).one()
        audit.append(
            session,
            action="export",
            staff_id=staff_id,
            terminal=terminal,
            detail=f"持ち帰りファイルの書き出し（第{sequence}回）: 受付{visits}件 {out.name}",
        )
        laptop.exported_sequence = sequence
        laptop.exported_at = now
        session.add(laptop)
        session.flush()
        payload = _payload(session, laptop, sequence)
        data = seal(
            payload,
            checkout_id=laptop.checkout_id,
            sequence=sequence,
            created_at=now,
            private_key=laptop.private_key,
            bundle_key=laptop.bundle_key,
        )
        session.commit()
    publish_file(out, lambda path: _write_whole(path, data), refused=ExportRefused)
    return ExportSummary(
        sequence,
        len(payload["visits"]),
        len(payload["households"]),
        len(payload["audit"]),
        len(data),
    )


def _write_whole(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _payload(session: Session, laptop: OutreachLaptopRow, sequence: int) -> dict[str, Any]:
    visits = session.exec(select(VisitRow).order_by(col(VisitRow.created_at))).all()
    visit_ids = [row.id for row in visits]
    household_ids = sorted({row.household_id for row in visits if row.household_id})
    return {
        "format": FORMAT,
        "checkout": laptop.checkout_id,
        "sequence": sequence,
        "municipality": laptop.municipality,
        "office_date": laptop.office_date.isoformat(),
        "numbers": {
            "reception_used": current(session, laptop.reception_name),
            "payment_used": current(session, laptop.payment_name),
        },
        "households": _rows(session, HouseholdRow, col(HouseholdRow.id).in_(household_ids)),
        "residents": _rows(session, ResidentRow, col(ResidentRow.household_id).in_(household_ids)),
        "visits": [_json(row) for row in visits],
        "visit_procedures": _rows(
            session, VisitProcedureRow, col(VisitProcedureRow.visit_id).in_(visit_ids)
        ),
        "payment_codes": _rows(session, PaymentCodeRow, None),
        "issued_forms": _rows(session, IssuedFormRow, None),
        "mynumbers": _numbers(session, laptop),
        "audit": _rows(session, AuditLogRow, None, order=col(AuditLogRow.id)),
    }


def _rows(session: Session, table: type[SQLModel], where, order=None) -> list[dict[str, Any]]:
    query = select(table)
    if where is not None:
        query = query.where(where)
    if order is not None:
        query = query.order_by(order)
    return [_json(row) for row in session.exec(query).all()]


def _json(row: SQLModel) -> dict[str, Any]:
    """A row as JSON values: dates and times in ISO form (times with their zone)."""
    return {
        key: value.isoformat() if isinstance(value, date | datetime) else value
        for key, value in row.model_dump().items()
    }


def _numbers(session: Session, laptop: OutreachLaptopRow) -> list[dict[str, str]]:
    """The individual numbers of the visits, opened with the laptop's vault key so the
    office can seal them again with its own (they travel only inside the bundle)."""
    rows = session.exec(select(MyNumberVaultRow)).all()
    if not rows:
        return []
    try:
        key = read_key(demo=load_profile(laptop.municipality).payment_demo)
        return [
            {
                "visit_id": row.visit_id,
                "member_id": row.member_id,
                "number": unseal(
                    key, row.ciphertext, visit_id=row.visit_id, member_id=row.member_id
                ),
            }
            for row in rows
        ]
    except (MyNumberKeyError, MyNumberUnreadable) as exc:
        raise ExportRefused(f"個人番号を書き出せません: {exc}") from None
