"""outreach hand-back: bundle keys, the route's fingerprints, sealed PDFs, imports, conflicts

Revision ID: 0012
Revises: 0011

``outreach_checkout.bundle_key`` and ``register_json`` (office): the key of the hand-back
bundle and each route household's fingerprint at checkout. ``outreach_laptop.bundle_key``,
``exported_at`` and ``exported_sequence`` (laptop). ``outreach_document`` (laptop): the PDFs
kept inside the encrypted file. ``outreach_import`` and ``outreach_conflict`` (office): the
bundles taken in and what a supervisor settles.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString
Time = sqlmodel.sql.sqltypes.UTCDateTime


def _bundle_key() -> sa.Column:
    return sa.Column("bundle_key", String(length=64), server_default="", nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("outreach_checkout") as batch:
        batch.add_column(_bundle_key())
        batch.add_column(sa.Column("register_json", String(), server_default="{}", nullable=False))
    with op.batch_alter_table("outreach_laptop") as batch:
        batch.add_column(_bundle_key())
        batch.add_column(sa.Column("exported_at", Time(), nullable=True))
        batch.add_column(
            sa.Column("exported_sequence", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "outreach_document",
        sa.Column("id", String(length=36), nullable=False),
        sa.Column("visit_id", String(length=36), nullable=False),
        sa.Column("label", String(length=32), nullable=False),
        sa.Column("file_name", String(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", Time(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outreach_document_visit_id", "outreach_document", ["visit_id"])
    op.create_table(
        "outreach_import",
        sa.Column("id", String(length=36), nullable=False),
        sa.Column("checkout_id", String(length=36), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("sha256", String(length=64), nullable=False),
        sa.Column("imported_at", Time(), nullable=False),
        sa.Column("staff_id", String(length=36), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("audit_rows", sa.Integer(), nullable=False),
        sa.Column("newcomers", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("reception_used", sa.Integer(), nullable=False),
        sa.Column("payment_used", sa.Integer(), nullable=False),
        sa.Column("released", String(), nullable=False),
        sa.ForeignKeyConstraint(["checkout_id"], ["outreach_checkout.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    op.create_index("ix_outreach_import_checkout_id", "outreach_import", ["checkout_id"])
    op.create_table(
        "outreach_conflict",
        sa.Column("id", String(length=36), nullable=False),
        sa.Column("import_id", String(length=36), nullable=False),
        sa.Column("kind", String(length=24), nullable=False),
        sa.Column("household_id", String(length=40), nullable=False),
        sa.Column("visit_id", String(length=36), nullable=True),
        sa.Column("office_household_id", String(length=40), nullable=True),
        sa.Column("detail", String(), nullable=False),
        sa.Column("held_json", String(), nullable=True),
        sa.Column("settled_at", Time(), nullable=True),
        sa.Column("settled_by", String(length=36), nullable=True),
        sa.Column("resolution", String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["outreach_import.id"]),
        sa.ForeignKeyConstraint(["settled_by"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outreach_conflict_import_id", "outreach_conflict", ["import_id"])


def downgrade() -> None:
    op.drop_table("outreach_conflict")
    op.drop_table("outreach_import")
    op.drop_table("outreach_document")
    with op.batch_alter_table("outreach_laptop") as batch:
        batch.drop_column("exported_sequence")
        batch.drop_column("exported_at")
        batch.drop_column("bundle_key")
    with op.batch_alter_table("outreach_checkout") as batch:
        batch.drop_column("register_json")
        batch.drop_column("bundle_key")
