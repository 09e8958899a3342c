"""SQLModel tables: the register mirror, visits and what each visit issued.

Keys of visits and payment codes are UUID strings so that an outreach laptop can create
rows offline and hand them back without collisions; every visit carries the device id.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class HouseholdRow(SQLModel, table=True):
    __tablename__ = "household"

    id: str = Field(primary_key=True, max_length=40)
    municipality: str = Field(max_length=6)
    postal_code: str = Field(max_length=7, index=True)
    address: str
    # made by demo-data or the first start's demo register (see counter.demo.DEMO_PREFIX)
    demo: bool = Field(default=False, index=True, sa_column_kwargs={"server_default": sa.false()})


class ResidentRow(SQLModel, table=True):
    __tablename__ = "resident"

    id: str = Field(primary_key=True, max_length=48)
    household_id: str = Field(foreign_key="household.id", index=True, max_length=40)
    name: str
    kana: str
    kana_key: str = Field(index=True)
    birth_date: date = Field(index=True)
    sex: str = Field(max_length=8)
    relation: str = Field(max_length=16)
    health_insurance: str = Field(max_length=24)
    mynumber_card: bool = False
    seal_registered: bool = False
    care_certified: bool = False
    disability_certificate: bool = False
    child_allowance_recipient: bool = False
    nationality: str = Field(default="JP", max_length=2)
    demo: bool = Field(default=False, index=True, sa_column_kwargs={"server_default": sa.false()})
    # For certificates (migration 0010): 住定日, 本籍 (both columns or neither) and 旧氏.
    resident_since: date | None = None
    honseki_municipality: str | None = Field(default=None, max_length=6)
    honseki_text: str | None = None
    former_surname: str = Field(default="", sa_column_kwargs={"server_default": ""})
    # A foreign resident's facts (migration 0017): 在留資格 or 区分, 在留期間 ('' when
    # none), 在留期間の満了の日 and 在留カード等の番号 ('' when none).
    residence_status: str = Field(default="", sa_column_kwargs={"server_default": ""})
    residence_period: str = Field(default="", sa_column_kwargs={"server_default": ""})
    residence_expiry: date | None = None
    residence_card_number: str = Field(
        default="", max_length=12, sa_column_kwargs={"server_default": ""}
    )


class NumberSequenceRow(SQLModel, table=True):
    """Counters allocated inside a transaction, so terminals never hand out a number twice."""

    __tablename__ = "number_sequence"

    name: str = Field(primary_key=True, max_length=80)
    value: int = 0
    # The last number this database may hand out (migration 0011): set on an outreach
    # laptop's reserved blocks, NULL (no end) at the office.
    last_value: int | None = None


class VisitRow(SQLModel, table=True):
    __tablename__ = "visit"
    __table_args__ = (
        UniqueConstraint("municipality", "office_date", "reception_number"),
        # The figures of a period (db.stats) read every visit column they need from it
        # (migration 0014), never the row with its stored case and plan.
        sa.Index(
            "ix_visit_figures",
            "status",
            "office_date",
            "municipality",
            "event",
            "channel",
            "created_at",
            "confirmed_at",
            "id",
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    device_id: str = Field(max_length=64)
    reception_number: int
    office_date: date = Field(index=True)
    municipality: str = Field(max_length=6)
    household_id: str | None = Field(default=None, index=True, max_length=40)
    event: str = Field(max_length=32)
    event_date: date
    case_json: str
    more_cases_json: str | None = None  # the further events of a visit with several
    plan_json: str
    total_fee: int = 0
    status: str = Field(default="confirmed", max_length=16, index=True)
    slip_path: str | None = None
    created_at: datetime
    draft_json: str | None = None  # what staff entered so far, while open or parked
    updated_at: datetime | None = None
    staff_id: str | None = Field(default=None, foreign_key="staff.id", max_length=36)
    purged_at: datetime | None = None  # personal data removed by the retention purge
    # Migration 0013, for the city's figures (db.stats): when the visit was confirmed, and
    # where it was served: counter, holiday (the office's closed day) or outreach.
    confirmed_at: datetime | None = None
    channel: str = Field(
        default="counter", max_length=16, sa_column_kwargs={"server_default": "counter"}
    )


# Where a visit was served (visit.channel, migration 0013).
CHANNELS = {"counter": "窓口", "holiday": "休日窓口", "outreach": "出張"}
COUNTER, HOLIDAY, OUTREACH = CHANNELS

CHECKLIST_STATUSES = {
    "todo": "未処理",
    "done_here": "この窓口で完了",
    "handed_to_department": "担当課へ引き継ぎ",
    "done_by_department": "担当課で完了",
    "later": "後日",
    "not_needed": "不要",
}


class VisitProcedureRow(SQLModel, table=True):
    """One line of a visit's checklist; who changed its status, when, and why."""

    __tablename__ = "visit_procedure"

    visit_id: str = Field(foreign_key="visit.id", primary_key=True, max_length=36)
    procedure_id: str = Field(primary_key=True, max_length=64)
    name: str
    department: str
    members: str
    plan_status: str = Field(max_length=16)
    checklist_status: str = Field(default="todo", max_length=24)
    deadline: date | None = None
    fee: int = 0
    note: str = ""
    updated_by: str | None = Field(default=None, foreign_key="staff.id", max_length=36)
    updated_at: datetime | None = None
    # Migration 0013: when the line was handed to its department, and when done there.
    handed_at: datetime | None = None
    done_at: datetime | None = None


PAYMENT_STATUSES = {"issued": "未納", "paid": "納付済"}


class PaymentCodeRow(SQLModel, table=True):
    """An issued payment code (the ledger); reconciliation fills the ``paid_*`` columns."""

    __tablename__ = "payment_code"
    __table_args__ = (UniqueConstraint("collector", "payment_number"),)

    id: str = Field(primary_key=True, max_length=36)
    # None for a code made outside a visit (`counter payment make`)
    visit_id: str | None = Field(default=None, foreign_key="visit.id", index=True, max_length=36)
    collector: str = Field(max_length=5)
    payment_number: str = Field(max_length=20)
    confirmation_number: str = Field(max_length=6)
    category: str = Field(max_length=3)
    amount: int
    due_date: date
    payable_until: date
    payload: str = Field(max_length=255)
    demo: bool = True
    status: str = Field(default="issued", max_length=16)
    revenue_item: str = Field(default="", max_length=32, sa_column_kwargs={"server_default": ""})
    paid_on: date | None = None
    paid_amount: int | None = None
    paid_channel: str | None = Field(default=None, max_length=32)
    reconciled_at: datetime | None = None
    result_file_id: int | None = Field(default=None, foreign_key="payment_result_file.id")


class PaymentResultFileRow(SQLModel, table=True):
    """A payment-result file already reconciled: its SHA-256 makes a second run a no-op."""

    __tablename__ = "payment_result_file"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True, max_length=64)
    file_name: str
    imported_at: datetime
    rows: int
    matched: int
    problems: int


class IssuedFormRow(SQLModel, table=True):
    """A form printed for a visit, with how many fields were prefilled vs typed by staff."""

    __tablename__ = "issued_form"

    id: str = Field(primary_key=True, max_length=36)
    visit_id: str = Field(foreign_key="visit.id", index=True, max_length=36)
    form_name: str
    procedure_id: str | None = Field(default=None, max_length=64)
    file_path: str | None = None
    prefilled_fields: int = 0
    typed_fields: int = 0
    created_at: datetime
    # Migration 0013: fields left for the counter to write by hand, and for the resident.
    blank_fields: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    resident_fields: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class StaffRow(SQLModel, table=True):
    __tablename__ = "staff"

    id: str = Field(primary_key=True, max_length=36)
    login: str = Field(unique=True, max_length=64)
    display_name: str
    role: str = Field(max_length=16)  # clerk | supervisor | administrator
    password_hash: str = ""  # Argon2id, never the password
    failed_attempts: int = 0
    locked_until: datetime | None = None
    disabled: bool = False
    created_at: datetime
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    password_changed_at: datetime | None = None
    last_login_at: datetime | None = None


class AuditLogRow(SQLModel, table=True):
    """Append-only: each row carries the hash of the previous one, and a mark of its own
    hash under the audit key kept outside the database (db.audit_key; None on rows from
    before migration 0016)."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    staff_id: str | None = Field(default=None, max_length=36)
    terminal: str = Field(max_length=64)
    action: str = Field(max_length=24)
    resident_id: str | None = Field(default=None, index=True, max_length=48)
    visit_id: str | None = Field(default=None, index=True, max_length=36)
    detail: str = ""
    previous_hash: str = Field(max_length=64)
    row_hash: str = Field(max_length=64)
    row_mark: str | None = Field(default=None, max_length=64)


class OutreachBlocks(SQLModel):
    """The numbers reserved for one laptop: a block of 受付番号 and one of payment
    numbers, each with the office counter (number_sequence) it was taken from."""

    reception_name: str = Field(max_length=80)
    reception_first: int
    reception_last: int
    payment_name: str = Field(max_length=80)
    payment_first: int
    payment_last: int


class OutreachCheckoutRow(OutreachBlocks, table=True):
    """At the office: a laptop file written for an outreach day (who, when, which area,
    which reserved number blocks, the laptop's Ed25519 public key). ``returned_at`` is set
    when its work is handed back."""

    __tablename__ = "outreach_checkout"

    id: str = Field(primary_key=True, max_length=36)
    at: datetime
    staff_id: str = Field(foreign_key="staff.id", max_length=36)
    area: str
    public_key: str = Field(max_length=64)  # raw Ed25519 public key, hex
    returned_at: datetime | None = None
    # Migration 0012: the key the hand-back bundle is encrypted with (hex, AES-256-GCM),
    # and each household of the route with the fingerprint of its register rows at
    # checkout (JSON), so an import sees what the office changed meanwhile.
    bundle_key: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    register_json: str = Field(default="{}", sa_column_kwargs={"server_default": "{}"})


class OutreachLaptopRow(OutreachBlocks, table=True):
    """On the laptop (one row): which checkout this file is, and the key that signs what
    it hands back. Its presence is what makes a file an outreach file."""

    __tablename__ = "outreach_laptop"

    checkout_id: str = Field(primary_key=True, max_length=36)
    municipality: str = Field(max_length=6)
    area: str
    office_date: date
    private_key: str = Field(max_length=64)  # raw Ed25519 private key, hex
    checked_out_at: datetime
    checked_out_by: str = Field(max_length=64)  # the login of who checked it out
    # Migration 0012: the bundle key (as the checkout's), and the hand-back written: once
    # exported the file takes no new visit, and a second export writes the same work.
    bundle_key: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    exported_at: datetime | None = None
    exported_sequence: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class OutreachDocumentRow(SQLModel, table=True):
    """On the laptop: a slip or forms PDF kept inside the encrypted file, never as a
    plain file (written out only for the moment of printing)."""

    __tablename__ = "outreach_document"

    id: str = Field(primary_key=True, max_length=36)
    visit_id: str = Field(foreign_key="visit.id", index=True, max_length=36)
    label: str = Field(max_length=32)
    file_name: str
    pdf: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime


class OutreachImportRow(SQLModel, table=True):
    """At the office: a hand-back bundle taken in (its SHA-256 makes a second run a no-op),
    with what it added and which reserved numbers it used and released."""

    __tablename__ = "outreach_import"

    id: str = Field(primary_key=True, max_length=36)
    checkout_id: str = Field(foreign_key="outreach_checkout.id", index=True, max_length=36)
    sequence: int
    sha256: str = Field(unique=True, max_length=64)
    imported_at: datetime
    staff_id: str = Field(foreign_key="staff.id", max_length=36)
    visits: int = 0
    audit_rows: int = 0
    newcomers: int = 0
    conflicts: int = 0
    reception_used: int = 0  # the last 受付番号 the laptop used (first - 1: none)
    payment_used: int = 0
    released: str = ""  # what was done with the unused numbers, in Japanese


CONFLICT_KINDS = {
    "newcomer_exists": "転入者が既に登録されている可能性",
    "household_changed": "出張中に窓口で世帯が変更",
}
CONFLICT_RESOLUTIONS = {
    "register": "別の人として登録した",
    "use_office": "窓口の記録の人とした（出張の登録は使わない）",
    "reviewed": "確認した（出張の受付はそのまま）",
}


class OutreachConflictRow(SQLModel, table=True):
    """At the office: something a hand-back could not settle alone, for a supervisor.
    A newcomer that may be a resident the office registered meanwhile waits here with
    its rows (``held_json``) until settled; nothing is overwritten silently."""

    __tablename__ = "outreach_conflict"

    id: str = Field(primary_key=True, max_length=36)
    import_id: str = Field(foreign_key="outreach_import.id", index=True, max_length=36)
    kind: str = Field(max_length=24)
    household_id: str = Field(max_length=40)
    visit_id: str | None = Field(default=None, max_length=36)
    office_household_id: str | None = Field(default=None, max_length=40)
    detail: str
    held_json: str | None = None
    settled_at: datetime | None = None
    settled_by: str | None = Field(default=None, foreign_key="staff.id", max_length=36)
    resolution: str | None = Field(default=None, max_length=16)


class MyNumberVaultRow(SQLModel, table=True):
    """An individual number kept only because a form of the visit requires it, encrypted
    with a key outside the database. No other table ever holds one."""

    __tablename__ = "mynumber_vault"
    __table_args__ = (UniqueConstraint("visit_id", "member_id"),)

    id: str = Field(primary_key=True, max_length=36)
    visit_id: str = Field(foreign_key="visit.id", index=True, max_length=36)
    member_id: str = Field(max_length=48)
    ciphertext: str
    created_at: datetime


# --- search structures outside the models (migrations 0003 and 0004) ----------------------
# SQLite FTS5 tables (with their shadow tables) kept in step by triggers, expression and
# trigram indexes, and columns the database fills by trigger for search (the resident's
# postal code): dialect-specific DDL that SQLModel cannot describe, and that the program
# never writes (see db/search.py). Autogenerate and the models == migrations test skip
# them (db.migrate.include_object).

SEARCH_TABLE_PREFIXES = ("resident_fts", "household_fts")
SEARCH_INDEX_PREFIX = "ix_search_"
SEARCH_COLUMN_PREFIX = "search_"
