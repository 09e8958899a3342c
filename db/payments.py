"""The payment ledger and reconciliation (消込) of payment-result files.

A result file (docs/payment-results.md) says which codes were paid. Each line either
matches an issued code exactly (payment number, confirmation number, amount) and marks it
paid, or is reported and changes nothing. The matched lines of a file with problems ARE
applied: one bad bank record must not hold back every other payment of the day. The file
itself is recorded by its SHA-256 in the same transaction, so running it again (after
fixing nothing, or by mistake) changes nothing and says when it was taken in.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import BindParameter
from sqlmodel import Session

from counter.billing import Bill, IssuedCode
from counter.payment.results import CHANNELS, PaymentResult
from counter.progress import Progress, quiet
from counter.wareki import JST, format_wareki
from db.models import PAYMENT_STATUSES, PaymentCodeRow, PaymentResultFileRow, VisitRow
from db.sequences import allocate

OUTCOMES = {
    "matched": "消込",
    "unknown": "該当なし",
    "ambiguous": "収納機関が不明",
    "confirmation_mismatch": "確認番号違い",
    "amount_mismatch": "金額違い",
    "duplicate": "ファイル内で重複",
    "already_paid": "納付済み",
}
"""Every outcome of a result line, with its label for the report (in report order)."""

_CHUNK = 500  # payment numbers per SELECT ... IN (...), codes per UPDATE

_codes: Table = PaymentCodeRow.__table__  # type: ignore[attr-defined]
_files: Table = PaymentResultFileRow.__table__  # type: ignore[attr-defined]
_visits: Table = VisitRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ReconcileLine:
    """What one line of the file did; ``detail`` is Japanese, for the report."""

    line: int
    payment_number: str
    outcome: str
    detail: str

    def __str__(self) -> str:
        label = OUTCOMES[self.outcome]
        return f"{self.line}行目: 納付番号 {self.payment_number}: {label}: {self.detail}"


@dataclass(frozen=True)
class ReconcileReport:
    """The outcome of every line, or (``already_imported_at``) that the file was seen before."""

    file_name: str
    digest: str
    lines: tuple[ReconcileLine, ...] = ()
    already_imported_at: datetime | None = None
    already_imported_as: str = ""

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(line.outcome for line in self.lines)
        return {outcome: found[outcome] for outcome in OUTCOMES if found[outcome]}

    @property
    def matched(self) -> int:
        return self.counts.get("matched", 0)

    @property
    def problems(self) -> list[ReconcileLine]:
        return [line for line in self.lines if line.outcome != "matched"]

    @property
    def summary(self) -> str:
        """One line for the screen or the command's last line."""
        if self.already_imported_at is not None:
            return (
                f"この結果ファイルは取り込み済みです（{_local_time(self.already_imported_at)}、"
                f"{self.already_imported_as}）。何も変更していません"
            )
        problems = "、".join(
            f"{OUTCOMES[outcome]} {count}件"
            for outcome, count in self.counts.items()
            if outcome != "matched"
        )
        text = f"{self.file_name}: {len(self.lines)}行、消込 {self.matched}件"
        return f"{text}、問題 {len(self.problems)}件（{problems}）" if problems else text


def reconcile(
    engine: Engine,
    results: Sequence[PaymentResult],
    *,
    file_name: str,
    digest: str,
    collector: str | None = None,
    progress: Progress | None = None,
    audit_as: tuple[str, str] | None = None,
) -> ReconcileReport:
    """Reconcile one parsed result file in ONE transaction (see the module docstring),
    with its audit row when ``audit_as`` (staff id, terminal) says who ran it.

    ``digest`` is the SHA-256 of the file's bytes (``counter.payment.results.file_digest``).
    ``collector`` (収納機関番号) limits the codes considered; without it a payment number
    held by two collectors is reported as ``ambiguous``. A long file takes seconds:
    ``progress`` hears of each step (the transaction is the same with or without it).
    """
    progress = progress or quiet()
    now = datetime.now(UTC)
    try:
        with engine.begin() as connection:
            # The file record first: on SQLite the first statement is then a write, and a
            # second run of the same file (even a simultaneous one) stops here.
            file_id = connection.execute(
                insert(_files)
                .values(
                    sha256=digest,
                    file_name=file_name,
                    imported_at=now,
                    rows=len(results),
                    matched=0,
                    problems=0,
                )
                .returning(_files.c.id)
            ).scalar_one()
            numbers = {r.payment_number for r in results}
            codes = _codes_by_number(connection, numbers, collector, progress)
            reconciler = _Reconciler(codes)
            progress.step("納付結果の照合", len(results), "行")
            report = ReconcileReport(file_name, digest, tuple(reconciler.run(results, progress)))
            _mark_paid(connection, reconciler.paid, file_id, now, progress)
            connection.execute(
                update(_files)
                .where(_files.c.id == file_id)
                .values(matched=report.matched, problems=len(report.problems))
            )
            if audit_as is not None:
                _audit_in(connection, audit_as, f"消込 {file_name} 納付済 {report.matched}件")
    except IntegrityError:
        with engine.connect() as connection:
            earlier = connection.execute(select(_files).where(_files.c.sha256 == digest)).first()
        if earlier is None:
            raise
        return ReconcileReport(
            file_name,
            digest,
            already_imported_at=earlier.imported_at,
            already_imported_as=earlier.file_name,
        )
    return report


def _audit_in(connection: Any, audit_as: tuple[str, str], detail: str) -> None:
    """An audit row in the transaction ``connection`` is in."""
    from db import audit

    with Session(bind=connection) as session:
        audit.append(
            session, action="edit", staff_id=audit_as[0], terminal=audit_as[1], detail=detail
        )
        session.flush()


class _Reconciler:
    """Decides each line's outcome; collects the matches in ``paid`` (code id → result)."""

    def __init__(self, codes: dict[str, list[Any]]) -> None:
        self.codes = codes
        self.first_line: dict[str, int] = {}
        self.paid: dict[str, PaymentResult] = {}

    def run(self, results: Iterable[PaymentResult], progress: Progress) -> Iterator[ReconcileLine]:
        for result in results:
            outcome, detail = self.one(result)
            yield ReconcileLine(result.line, result.payment_number, outcome, detail)
            progress.advance()

    def one(self, result: PaymentResult) -> tuple[str, str]:
        number = result.payment_number
        if number in self.first_line:
            first = self.first_line[number]
            return "duplicate", f"{first}行目と同じ納付番号です。二重納付なら還付を確認してください"
        self.first_line[number] = result.line
        candidates = self.codes.get(number, [])
        if not candidates:
            return "unknown", "この納付番号の納付コードは発行されていません"
        if len(candidates) > 1:
            collectors = " / ".join(sorted(c.collector for c in candidates))
            return "ambiguous", f"収納機関番号 {collectors} の両方にある納付番号です"
        code = candidates[0]
        if result.confirmation_number != code.confirmation_number:
            return "confirmation_mismatch", "確認番号が発行したものと違います"
        if result.amount != code.amount:
            return (
                "amount_mismatch",
                f"納付額 {result.amount:,}円が請求額 {code.amount:,}円と違います",
            )
        if code.status == "paid":
            return "already_paid", _paid_detail(code)
        self.paid[code.id] = result
        paid = format_wareki(result.paid_on, weekday=False)
        return "matched", f"{paid} {CHANNELS[result.channel]} {result.amount:,}円を納付済にしました"


def _codes_by_number(
    connection: Connection, numbers: set[str], collector: str | None, progress: Progress
) -> dict[str, list[Any]]:
    """The issued codes with these payment numbers, with the file that paid each one.

    Locked until the transaction ends (PostgreSQL ``FOR UPDATE``; on SQLite the file
    record already holds the write lock), so a code another terminal is reconciling at
    the same moment is read once that one commits, and then reads as paid.
    """
    # Literal IN lists, as in db.importer: PostgreSQL then hashes the list.
    wanted: BindParameter[list[str]] = bindparam("numbers", expanding=True, literal_execute=True)
    statement = (
        select(_codes, _files.c.file_name.label("paid_by_file"))
        .select_from(_codes.outerjoin(_files, _codes.c.result_file_id == _files.c.id))
        .where(_codes.c.payment_number.in_(wanted))
        .order_by(_codes.c.payment_number, _codes.c.collector)  # one lock order for all
        .with_for_update(of=_codes)
    )
    if collector is not None:
        statement = statement.where(_codes.c.collector == collector)
    found: dict[str, list[Any]] = {}
    ordered = sorted(numbers)
    progress.step("発行した納付コードの読み出し", len(ordered))
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        for row in connection.execute(statement, {"numbers": chunk}):
            found.setdefault(row.payment_number, []).append(row)
        progress.advance(len(chunk))
    return found


def _mark_paid(
    connection: Connection,
    paid: dict[str, PaymentResult],
    file_id: int,
    now: datetime,
    progress: Progress,
) -> None:
    progress.step("納付済みの記録", len(paid))
    statement = (
        update(_codes)
        .where(_codes.c.id == bindparam("_id"))
        .values(
            status="paid",
            paid_on=bindparam("_paid_on"),
            paid_amount=bindparam("_paid_amount"),
            paid_channel=bindparam("_paid_channel"),
            reconciled_at=now,
            result_file_id=file_id,
        )
    )
    codes = list(paid.items())
    for start in range(0, len(codes), _CHUNK):
        chunk = codes[start : start + _CHUNK]
        connection.execute(
            statement,
            [
                {
                    "_id": code_id,
                    "_paid_on": result.paid_on,
                    "_paid_amount": result.amount,
                    "_paid_channel": result.channel,
                }
                for code_id, result in chunk
            ],
        )
        progress.advance(len(chunk))


def _paid_detail(code: Any) -> str:
    paid = format_wareki(code.paid_on, weekday=False) if code.paid_on else "日付不明"
    source = f"（{code.paid_by_file} で消込）" if code.paid_by_file else ""
    return f"{paid}に納付済みです{source}。変更していません"


def _local_time(moment: datetime) -> str:
    local = moment.astimezone(JST)
    return f"{format_wareki(local.date(), weekday=False)} {local:%H:%M}"


@dataclass(frozen=True)
class LedgerEntry:
    """One issued payment code with its visit (none for a hand-made code) and, once
    reconciled, what was paid."""

    visit_id: str | None
    office_date: date | None
    reception_number: int | None
    revenue_item: str
    collector: str
    payment_number: str
    confirmation_number: str
    category: str
    amount: int
    due_date: date
    payable_until: date
    status: str
    paid_on: date | None
    paid_amount: int | None
    paid_channel: str | None
    reconciled_at: datetime | None
    demo: bool


def payment_ledger(engine: Engine, *, status: str | None = None) -> list[LedgerEntry]:
    """Every issued code (or those with ``status``): by office day and reception number,
    then by payment number."""
    if status is not None and status not in PAYMENT_STATUSES:
        raise ValueError(f"状態「{status}」は使えません（{' / '.join(PAYMENT_STATUSES)}）")
    statement = (
        select(_codes, _visits.c.office_date, _visits.c.reception_number)
        .outerjoin(_visits, _visits.c.id == _codes.c.visit_id)
        .order_by(
            _visits.c.office_date.nulls_last(),  # codes made outside a visit come last
            _visits.c.reception_number,
            func.length(_codes.c.payment_number),
            _codes.c.payment_number,
        )
    )
    if status is not None:
        statement = statement.where(_codes.c.status == status)
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    return [
        LedgerEntry(
            visit_id=row.visit_id,
            office_date=row.office_date,
            reception_number=row.reception_number,
            revenue_item=row.revenue_item,
            collector=row.collector,
            payment_number=row.payment_number,
            confirmation_number=row.confirmation_number,
            category=row.category,
            amount=row.amount,
            due_date=row.due_date,
            payable_until=row.payable_until,
            status=row.status,
            paid_on=row.paid_on,
            paid_amount=row.paid_amount,
            paid_channel=row.paid_channel,
            reconciled_at=row.reconciled_at,
            demo=row.demo,
        )
        for row in rows
    ]


def add_code(
    session: Session, bill: Bill, *, key: bytes, demo: bool, visit_id: str | None
) -> IssuedCode:
    """Number ``bill`` from the database and add it to the ledger in ``session``'s
    transaction (a visit's codes are stored with the visit, or not at all)."""
    code = bill.issue(str(allocate(session, f"payment:{bill.collector}")), key)
    fields = code.fields
    session.add(
        PaymentCodeRow(
            id=str(uuid.uuid4()),
            visit_id=visit_id,
            collector=fields.collector,
            payment_number=fields.payment_number,
            confirmation_number=fields.confirmation_number,
            category=fields.category,
            amount=fields.amount,
            due_date=fields.due_date,
            payable_until=fields.payable_until,
            payload=code.payload,
            demo=demo,
            revenue_item=bill.item,
        )
    )
    return code


def issue_code(
    engine: Engine,
    bill: Bill,
    *,
    key: bytes,
    demo: bool,
    audit_as: tuple[str, str] | None = None,
    deliver: Callable[[IssuedCode], None] | None = None,
) -> IssuedCode:
    """A hand-made code (``counter payment make``): numbered and stored, outside any visit.

    ``audit_as`` (staff id, terminal) records the issue in the same transaction.
    ``deliver`` (writing its QR image, say) runs before the commit: when it raises, the
    number is given back and nothing is stored, so no code exists that nobody received."""
    with Session(engine.execution_options(write_lock=True)) as session:
        code = add_code(session, bill, key=key, demo=demo, visit_id=None)
        if audit_as is not None:
            from db import audit

            fields = code.fields
            audit.append(
                session,
                action="edit",
                staff_id=audit_as[0],
                terminal=audit_as[1],
                detail=f"支払いコードの発行 {fields.collector}-{fields.payment_number} "
                f"{fields.amount}円",
            )
        if deliver is not None:
            deliver(code)
        session.commit()
    return code
