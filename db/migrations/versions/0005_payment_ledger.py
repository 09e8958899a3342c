"""payment ledger: revenue item and paid information on each code, reconciled result files

Revision ID: 0005
Revises: 0004

Reconciliation (消込) marks a code paid with what the bank reported (date, amount,
channel) and which result file did it; ``payment_result_file`` keeps the SHA-256 of every
file already reconciled, so running the same file again changes nothing. A code made
with `counter payment make` belongs to no visit, so ``visit_id`` may be empty.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_result_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("imported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    with op.batch_alter_table("payment_code", schema=None) as batch_op:
        batch_op.alter_column(
            "visit_id", existing_type=sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True
        )
        batch_op.add_column(
            sa.Column(
                "revenue_item",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("paid_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("paid_amount", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("paid_channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column("reconciled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("result_file_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_payment_code_result_file_id_payment_result_file",
            "payment_result_file",
            ["result_file_id"],
            ["id"],
        )


def downgrade() -> None:
    # Codes made outside a visit cannot exist before 0005: they go with the downgrade.
    op.execute("DELETE FROM payment_code WHERE visit_id IS NULL")
    with op.batch_alter_table("payment_code", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_payment_code_result_file_id_payment_result_file", type_="foreignkey"
        )
        batch_op.drop_column("result_file_id")
        batch_op.drop_column("reconciled_at")
        batch_op.drop_column("paid_channel")
        batch_op.drop_column("paid_amount")
        batch_op.drop_column("paid_on")
        batch_op.drop_column("revenue_item")
        batch_op.alter_column(
            "visit_id", existing_type=sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False
        )
    op.drop_table("payment_result_file")
