"""checklist status, issued forms, staff, audit log

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("staff_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("terminal", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("resident_id", sqlmodel.sql.sqltypes.AutoString(length=48), nullable=True),
        sa.Column("visit_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("previous_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("row_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_resident_id"), ["resident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "staff",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("login", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login"),
    )
    op.create_table(
        "issued_form",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("visit_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("form_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("procedure_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("file_path", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("prefilled_fields", sa.Integer(), nullable=False),
        sa.Column("typed_fields", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("issued_form", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_form_visit_id"), ["visit_id"], unique=False)

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("staff_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True)
        )
        batch_op.create_foreign_key("fk_visit_staff_id_staff", "staff", ["staff_id"], ["id"])

    with op.batch_alter_table("visit_procedure", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True)
        )
        batch_op.add_column(
            sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.alter_column(
            "checklist_status",
            existing_type=sa.VARCHAR(length=16),
            type_=sqlmodel.sql.sqltypes.AutoString(length=24),
            existing_nullable=False,
        )
        batch_op.create_foreign_key(
            "fk_visit_procedure_updated_by_staff", "staff", ["updated_by"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("visit_procedure", schema=None) as batch_op:
        batch_op.drop_constraint("fk_visit_procedure_updated_by_staff", type_="foreignkey")
        batch_op.alter_column(
            "checklist_status",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=24),
            type_=sa.VARCHAR(length=16),
            existing_nullable=False,
        )
        batch_op.drop_column("updated_at")
        batch_op.drop_column("updated_by")
        batch_op.drop_column("note")

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_constraint("fk_visit_staff_id_staff", type_="foreignkey")
        batch_op.drop_column("staff_id")

    with op.batch_alter_table("issued_form", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_form_visit_id"))

    op.drop_table("issued_form")
    op.drop_table("staff")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_visit_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_resident_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
