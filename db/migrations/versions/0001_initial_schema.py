"""initial schema

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "household",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("municipality", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("postal_code", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_postal_code"), ["postal_code"], unique=False)

    op.create_table(
        "number_sequence",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "visit",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("device_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("reception_number", sa.Integer(), nullable=False),
        sa.Column("office_date", sa.Date(), nullable=False),
        sa.Column("municipality", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("household_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("event", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("case_json", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("plan_json", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("total_fee", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("slip_path", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("municipality", "office_date", "reception_number"),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_office_date"), ["office_date"], unique=False)

    op.create_table(
        "payment_code",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("visit_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("collector", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("payment_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column(
            "confirmation_number", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False
        ),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("payable_until", sa.Date(), nullable=False),
        sa.Column("payload", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("collector", "payment_number"),
    )
    with op.batch_alter_table("payment_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_code_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "resident",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
        sa.Column("household_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kana", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kana_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("relation", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("health_insurance", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("mynumber_card", sa.Boolean(), nullable=False),
        sa.Column("seal_registered", sa.Boolean(), nullable=False),
        sa.Column("care_certified", sa.Boolean(), nullable=False),
        sa.Column("disability_certificate", sa.Boolean(), nullable=False),
        sa.Column("child_allowance_recipient", sa.Boolean(), nullable=False),
        sa.Column("nationality", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resident_birth_date"), ["birth_date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_resident_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_resident_kana_key"), ["kana_key"], unique=False)

    op.create_table(
        "visit_procedure",
        sa.Column("visit_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("procedure_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("members", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("plan_status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("checklist_status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("visit_id", "procedure_id"),
    )


def downgrade() -> None:
    op.drop_table("visit_procedure")
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resident_kana_key"))
        batch_op.drop_index(batch_op.f("ix_resident_household_id"))
        batch_op.drop_index(batch_op.f("ix_resident_birth_date"))

    op.drop_table("resident")
    with op.batch_alter_table("payment_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_code_visit_id"))

    op.drop_table("payment_code")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_office_date"))
        batch_op.drop_index(batch_op.f("ix_visit_household_id"))

    op.drop_table("visit")
    op.drop_table("number_sequence")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_postal_code"))

    op.drop_table("household")
