"""audit row mark: each audit row keeps an HMAC of its hash under a key outside the database

Revision ID: 0016
Revises: 0015

With the hash chain alone, an insider with database rights could rewrite the whole log
consistently, cut its last rows or delete every row. ``row_mark`` is HMAC-SHA-256 of the
row's hash under the audit key (db.audit_key), which the database never holds; rows
written before this migration have none and are verified by the chain (the first keyed
row covers them). The audit table refuses UPDATE and DELETE, so no row is backfilled.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("row_mark", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+): a batch copy would drop the
    # table's triggers that refuse UPDATE and DELETE.
    op.drop_column("audit_log", "row_mark")
