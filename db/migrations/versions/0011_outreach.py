"""outreach: checkouts at the office, the laptop's own row, bounded number blocks

Revision ID: 0011
Revises: 0010

``outreach_checkout`` (office): each laptop file written by ``counter outreach checkout``,
with who, when, the area, the reserved blocks of 受付番号 and payment numbers and the
laptop's Ed25519 public key; ``returned_at`` once its work is handed back.
``outreach_laptop`` (laptop, one row): the checkout the file is, its blocks and the private
key that signs what it hands back. ``number_sequence.last_value``: the last number a
sequence may give (the end of a laptop's block; NULL at the office, no end).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString
Time = sqlmodel.sql.sqltypes.UTCDateTime


def _blocks() -> list[sa.Column]:
    return [
        sa.Column("reception_name", String(length=80), nullable=False),
        sa.Column("reception_first", sa.Integer(), nullable=False),
        sa.Column("reception_last", sa.Integer(), nullable=False),
        sa.Column("payment_name", String(length=80), nullable=False),
        sa.Column("payment_first", sa.Integer(), nullable=False),
        sa.Column("payment_last", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("number_sequence", sa.Column("last_value", sa.Integer(), nullable=True))
    op.create_table(
        "outreach_checkout",
        sa.Column("id", String(length=36), nullable=False),
        sa.Column("at", Time(), nullable=False),
        sa.Column("staff_id", String(length=36), nullable=False),
        sa.Column("area", String(), nullable=False),
        *_blocks(),
        sa.Column("public_key", String(length=64), nullable=False),
        sa.Column("returned_at", Time(), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "outreach_laptop",
        sa.Column("checkout_id", String(length=36), nullable=False),
        sa.Column("municipality", String(length=6), nullable=False),
        sa.Column("area", String(), nullable=False),
        sa.Column("office_date", sa.Date(), nullable=False),
        *_blocks(),
        sa.Column("private_key", String(length=64), nullable=False),
        sa.Column("checked_out_at", Time(), nullable=False),
        sa.Column("checked_out_by", String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("checkout_id"),
    )


def downgrade() -> None:
    op.drop_table("outreach_laptop")
    op.drop_table("outreach_checkout")
    with op.batch_alter_table("number_sequence") as batch:
        batch.drop_column("last_value")
