"""Taking an outreach laptop's bundle in at the office, in one transaction or not at all.

The bundle is checked before anything is written: it must be whole, of a checkout this
office made (foreign otherwise), signed by that checkout's laptop and decrypt with its
key (tampered otherwise), the first of its checkout (replayed otherwise; the very same
file again adds nothing), with an unbroken audit chain and every number inside the
blocks reserved for it. Then visits, checklists, payment codes, forms issued and
individual numbers (sealed again with the office's vault key) are added; the laptop's
audit rows are appended to the office's chain, marked with the laptop on the terminal
column; unused reserved numbers are released; the checkout is marked returned.

Nothing of the office's is overwritten. A newcomer with the name and birth date of a
resident the office registered meanwhile is held (its rows kept with the conflict), and
a visit's household the office changed since checkout is listed; a supervisor settles
both (workflows.outreach_conflicts).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, tuple_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from counter.audit_chain import AuditEntry, StoredEntry, check_chain
from counter.outreach import register_fingerprint
from counter.outreach_bundle import BundleRefused, open_envelope, read_envelope
from counter.profile import load_profile
from counter.wareki import format_wareki
from db import audit
from db.models import (
    OUTREACH,
    HouseholdRow,
    IssuedFormRow,
    MyNumberVaultRow,
    NumberSequenceRow,
    OutreachCheckoutRow,
    OutreachConflictRow,
    OutreachImportRow,
    PaymentCodeRow,
    ResidentRow,
    VisitProcedureRow,
    VisitRow,
)
from db.vault import MyNumberKeyError, read_key, seal
from workflows.outreach import add_household_rows, payment_name, reception_name
from workflows.outreach_export import FORMAT

NOTHING_CHANGED = "何も変更していません"


@dataclass(frozen=True)
class ImportSummary:
    """What an import added (or, ``already``, what the same bundle added before)."""

    checkout_id: str
    area: str
    sequence: int
    visits: int
    audit_rows: int
    newcomers: int
    conflicts: int
    released: str
    already: bool = False


def import_bundle(
    engine: Engine, data: bytes, *, staff_id: str, terminal: str, now: datetime | None = None
) -> ImportSummary:
    """Take ``data`` (a bundle's bytes) in; BundleRefused (one line) changes nothing."""
    envelope = read_envelope(data)
    digest = hashlib.sha256(data).hexdigest()
    now = now or datetime.now(UTC)
    with Session(engine.execution_options(write_lock=True)) as session:
        checkout = session.get(OutreachCheckoutRow, envelope.checkout_id)
        if checkout is None or not checkout.bundle_key:
            raise BundleRefused(
                "この事務所で作った出張用ファイルの持ち帰りではありません"
                f"（出張 {envelope.checkout_id[:8]}）。{NOTHING_CHANGED}"
            )
        payload = open_envelope(
            envelope, public_key=checkout.public_key, bundle_key=checkout.bundle_key
        )
        earlier = session.exec(
            select(OutreachImportRow).where(OutreachImportRow.checkout_id == checkout.id)
        ).first()
        if earlier is not None and earlier.sha256 == digest:
            return _summary(checkout, earlier, already=True)
        if earlier is not None:
            raise BundleRefused(
                f"この出張（{checkout.area}）の持ち帰りは"
                f"第{earlier.sequence}回の書き出しで取り込み済みです。"
                f"これは第{envelope.sequence}回の別のファイルです。{NOTHING_CHANGED}"
            )
        try:
            row = _Adding(session, checkout, payload, staff_id, terminal, now).run(
                digest, envelope.sequence
            )
        except BundleRefused:
            raise
        except (KeyError, TypeError, ValueError, IntegrityError):
            raise BundleRefused(f"持ち帰りファイルの中身が読めません。{NOTHING_CHANGED}") from None
        session.commit()
        return _summary(checkout, row)


def _summary(
    checkout: OutreachCheckoutRow, row: OutreachImportRow, *, already: bool = False
) -> ImportSummary:
    return ImportSummary(
        checkout_id=checkout.id,
        area=checkout.area,
        sequence=row.sequence,
        visits=row.visits,
        audit_rows=row.audit_rows,
        newcomers=row.newcomers,
        conflicts=row.conflicts,
        released=row.released,
        already=already,
    )


def laptop_terminal(checkout_id: str, terminal: str) -> str:
    """The terminal column of a laptop's audit row at the office: the laptop named first."""
    return f"出張{checkout_id[:8]}:{terminal}"[:64]


class _Adding:
    """One import's writes, in the caller's transaction (see the module)."""

    def __init__(
        self,
        session: Session,
        checkout: OutreachCheckoutRow,
        payload: dict[str, Any],
        staff_id: str,
        terminal: str,
        now: datetime,
    ) -> None:
        if payload.get("format") != FORMAT:
            raise BundleRefused(
                f"持ち帰りファイルの形式（{payload.get('format')}）がこの版と違います。"
                f"{NOTHING_CHANGED}"
            )
        self.session, self.checkout, self.payload = session, checkout, payload
        self.staff_id, self.terminal, self.now = staff_id, terminal, now
        self.import_id = str(uuid.uuid4())

    def run(self, digest: str, sequence: int) -> OutreachImportRow:
        visits = [VisitRow.model_validate(v) for v in self.payload["visits"]]
        codes = [PaymentCodeRow.model_validate(c) for c in self.payload["payment_codes"]]
        chain = self._laptop_chain()
        self._check_numbers(visits, codes)
        # The import row first: the conflicts point at it.
        row = OutreachImportRow(
            id=self.import_id,
            checkout_id=self.checkout.id,
            sequence=sequence,
            sha256=digest,
            imported_at=self.now,
            staff_id=self.staff_id,
            visits=len(visits),
            audit_rows=len(chain),
        )
        self.session.add(row)
        self.session.flush()
        newcomers, conflicts = self._households(visits)
        for visit in visits:
            visit.slip_path = None  # the PDFs stayed inside the laptop's file
            visit.channel = OUTREACH
            self.session.add(visit)
        self.session.flush()
        self._add_all(VisitProcedureRow, self.payload["visit_procedures"])
        for code in codes:
            self.session.add(code)
        for form in self.payload["issued_forms"]:
            self.session.add(IssuedFormRow.model_validate({**form, "file_path": None}))
        self._numbers()
        self._audit(chain)
        row.newcomers, row.conflicts = newcomers, conflicts
        row.reception_used, row.payment_used = self._used()
        row.released = self._release()
        self.checkout.returned_at = self.now
        self.session.add(self.checkout)
        audit.append(
            self.session,
            action="import",
            staff_id=self.staff_id,
            terminal=self.terminal,
            detail=f"出張の持ち帰り取り込み {self.checkout.area}（第{sequence}回）: "
            f"受付{len(visits)}件、監査{len(chain)}行、転入{newcomers}世帯、"
            f"確認待ち{conflicts}件。{row.released}",
        )
        self.session.flush()
        return row

    def _laptop_chain(self) -> list[StoredEntry]:
        rows = [
            StoredEntry(
                AuditEntry(
                    id=int(r["id"]),
                    at=datetime.fromisoformat(r["at"]),
                    staff_id=r["staff_id"],
                    terminal=r["terminal"],
                    action=r["action"],
                    resident_id=r["resident_id"],
                    visit_id=r["visit_id"],
                    detail=r["detail"],
                ),
                previous_hash=r["previous_hash"],
                row_hash=r["row_hash"],
            )
            for r in self.payload["audit"]
        ]
        check = check_chain(rows)
        if not check.ok:
            raise BundleRefused(
                f"ノートPCの監査ログの鎖が切れています（{check.reason}）。{NOTHING_CHANGED}"
            )
        return rows

    def _check_numbers(self, visits: list[VisitRow], codes: list[PaymentCodeRow]) -> None:
        """Every number inside the blocks reserved for this laptop, and new at the office."""
        c = self.checkout
        for visit in visits:
            if reception_name(visit.municipality, visit.office_date) != c.reception_name or not (
                c.reception_first <= visit.reception_number <= c.reception_last
            ):
                raise BundleRefused(
                    f"受付番号 {visit.reception_number}（{visit.office_date}）は"
                    f"この出張に予約した {c.reception_first}〜{c.reception_last} の外です。"
                    f"{NOTHING_CHANGED}"
                )
        for code in codes:
            if payment_name(code.collector) != c.payment_name or not (
                c.payment_first <= int(code.payment_number) <= c.payment_last
            ):
                raise BundleRefused(
                    f"納付番号 {code.payment_number} はこの出張に予約した"
                    f" {c.payment_first}〜{c.payment_last} の外です。{NOTHING_CHANGED}"
                )
        taken = self._count(VisitRow, col(VisitRow.id).in_([v.id for v in visits]))
        numbered = tuple_(
            col(VisitRow.municipality), col(VisitRow.office_date), col(VisitRow.reception_number)
        )
        keys = [(v.municipality, v.office_date, v.reception_number) for v in visits]
        taken += self._count(VisitRow, numbered.in_(keys)) if keys else 0
        if taken:
            raise BundleRefused(
                f"持ち帰りの受付が事務所に既にあります（{taken}件）。{NOTHING_CHANGED}"
            )

    def _count(self, table: type[SQLModel], where) -> int:
        return int(self.session.exec(select(func.count()).select_from(table).where(where)).one())

    def _households(self, visits: list[VisitRow]) -> tuple[int, int]:
        """Newcomers registered, and conflicts listed (see the module); their counts."""
        register: dict[str, str] = json.loads(self.checkout.register_json)
        members: dict[str, list[dict[str, Any]]] = {}
        for resident in self.payload["residents"]:
            members.setdefault(resident["household_id"], []).append(resident)
        visit_of = {v.household_id: v.id for v in visits if v.household_id}
        newcomers = conflicts = 0
        for household in self.payload["households"]:
            household_id = household["id"]
            people = members.get(household_id, [])
            if household_id in register:
                if self._office_fingerprint(household_id) != register[household_id]:
                    self._conflict(
                        "household_changed",
                        household_id,
                        visit_of.get(household_id),
                        "出張中に窓口でこの世帯の住民記録が変わりました。"
                        "出張の受付は出張時の記録で作られています。内容を確かめてください",
                    )
                    conflicts += 1
                continue
            if self.session.get(HouseholdRow, household_id) is not None:
                continue  # registered already (an earlier settling); never written over
            same = self._same_person(people)
            if same is None:
                add_household_rows(self.session, household, people)
                newcomers += 1
                continue
            office, person = same
            self._conflict(
                "newcomer_exists",
                household_id,
                visit_of.get(household_id),
                f"出張で転入を受け付けた「{person['name']}」"
                f"（{format_wareki(date.fromisoformat(person['birth_date']), weekday=False)}生）と"
                "同じ氏名・生年月日の人が、出張中に窓口で登録されています",
                office_household_id=office.household_id,
                held={"household": household, "residents": people},
            )
            conflicts += 1
        return newcomers, conflicts

    def _office_fingerprint(self, household_id: str) -> str | None:
        household = self.session.get(HouseholdRow, household_id)
        if household is None:
            return None
        residents = self.session.exec(
            select(ResidentRow).where(ResidentRow.household_id == household_id)
        ).all()
        return register_fingerprint(household.model_dump(), [r.model_dump() for r in residents])

    def _same_person(self, people: list[dict[str, Any]]) -> tuple[ResidentRow, dict] | None:
        for person in people:
            found = self.session.exec(
                select(ResidentRow)
                .where(ResidentRow.name == person["name"])
                .where(ResidentRow.birth_date == date.fromisoformat(person["birth_date"]))
            ).first()
            if found is not None:
                return found, person
        return None

    def _conflict(
        self,
        kind: str,
        household_id: str,
        visit_id: str | None,
        detail: str,
        *,
        office_household_id: str | None = None,
        held: dict[str, Any] | None = None,
    ) -> None:
        self.session.add(
            OutreachConflictRow(
                id=str(uuid.uuid4()),
                import_id=self.import_id,
                kind=kind,
                household_id=household_id,
                visit_id=visit_id,
                office_household_id=office_household_id,
                detail=detail,
                held_json=json.dumps(held, ensure_ascii=False) if held else None,
            )
        )

    def _add_all(self, table: type[SQLModel], rows: list[dict[str, Any]]) -> None:
        for values in rows:
            self.session.add(table.model_validate(values))
        self.session.flush()

    def _numbers(self) -> None:
        numbers = self.payload["mynumbers"]
        if not numbers:
            return
        try:
            key = read_key(demo=load_profile(self.payload["municipality"]).payment_demo)
        except MyNumberKeyError as exc:
            raise BundleRefused(f"{exc}。{NOTHING_CHANGED}") from None
        for item in numbers:
            visit_id, member_id = item["visit_id"], item["member_id"]
            self.session.add(
                MyNumberVaultRow(
                    id=str(uuid.uuid4()),
                    visit_id=visit_id,
                    member_id=member_id,
                    ciphertext=seal(key, item["number"], visit_id=visit_id, member_id=member_id),
                    created_at=self.now,
                )
            )

    def _audit(self, chain: list[StoredEntry]) -> None:
        for stored in chain:
            entry = stored.entry
            audit.append(
                self.session,
                action=entry.action,
                staff_id=entry.staff_id,
                terminal=laptop_terminal(self.checkout.id, entry.terminal),
                resident_id=entry.resident_id,
                visit_id=entry.visit_id,
                detail=f"{entry.detail}〔出張の記録 ID {entry.id}〕",
                at=entry.at,
            )

    def _used(self) -> tuple[int, int]:
        used, c = self.payload["numbers"], self.checkout
        return (
            max(int(used["reception_used"]), c.reception_first - 1),
            max(int(used["payment_used"]), c.payment_first - 1),
        )

    def _release(self) -> str:
        """Give back the reserved numbers the laptop did not use, where nothing of the
        office's came after them; otherwise they stay unused (a gap, said here)."""
        c = self.checkout
        reception_used, payment_used = self._used()
        said = []
        for label, name, last, last_used in (
            ("受付番号", c.reception_name, c.reception_last, reception_used),
            ("納付番号", c.payment_name, c.payment_last, payment_used),
        ):
            if last_used >= last:
                continue
            unused = f"{label} {last_used + 1}〜{last}"
            moved = self.session.execute(  # type: ignore[attr-defined]
                update(NumberSequenceRow)
                .where(col(NumberSequenceRow.name) == name)
                .where(col(NumberSequenceRow.value) == last)
                .values(value=last_used)
            ).rowcount
            said.append(f"未使用の{unused}を戻しました" if moved else f"未使用の{unused}は欠番です")
        return "、".join(said) if said else "予約した番号はすべて使われました"
