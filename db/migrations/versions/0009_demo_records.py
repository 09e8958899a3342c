"""demo records are marked as such

Revision ID: 0009
Revises: 0008

``household.demo`` and ``resident.demo``: rows made by ``counter demo-data`` or the first
start's demo register. A database that holds any resident without the mark refuses demo
data, and an import of the real register removes the marked ones. Rows stored before
this revision are taken as real: nothing can tell them apart any more.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN, not a batch copy: the search triggers on these tables stay as they are.
    for table in ("household", "resident"):
        op.add_column(
            table, sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        op.create_index(f"ix_{table}_demo", table, ["demo"])


def downgrade() -> None:
    for table in ("household", "resident"):
        op.drop_index(f"ix_{table}_demo", table_name=table)
        op.drop_column(table, "demo")
