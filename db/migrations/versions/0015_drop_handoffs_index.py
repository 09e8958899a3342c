"""drop the hand-off index: the figures read the lines in one pass now

Revision ID: 0015
Revises: 0014

``ix_visit_procedure_handoffs`` (0014) answered two queries of db.stats over the handed
lines alone. Those figures now come from the one pass over all the period's lines that
also counts the procedures and certificates (bench/README.md: SQLite 1.17 → 0.75 s for a
year), so no query uses it, and every checklist line written paid for it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

HANDED = sa.text("handed_at IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_visit_procedure_handoffs", table_name="visit_procedure")


def downgrade() -> None:
    op.create_index(
        "ix_visit_procedure_handoffs",
        "visit_procedure",
        ["visit_id", "department", "handed_at", "done_at"],
        sqlite_where=HANDED,
        postgresql_where=HANDED,
    )
