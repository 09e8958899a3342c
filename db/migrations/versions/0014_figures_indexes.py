"""figures indexes: the year's figures read from indexes, not from the visits' rows

Revision ID: 0014
Revises: 0013

``ix_visit_figures`` (status, office_date, municipality, event, channel, created_at,
confirmed_at, id) replaces ``ix_visit_status_office_date``: every visit column db.stats
reads is in it, so SQLite never reads a visit's row, whose stored case and plan (kilobytes
each, until the retention purge) come before those columns. ``ix_visit_procedure_handoffs``
(visit_id, department, handed_at, done_at), on the lines handed to a department only,
answers the hand-off figures alone. bench/bench_stats.py measured both (bench/README.md).
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

FIGURES = ["status", "office_date", "municipality", "event", "channel", "created_at",
           "confirmed_at", "id"]  # fmt: skip
HANDED = sa.text("handed_at IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_visit_status_office_date", table_name="visit")
    op.create_index("ix_visit_figures", "visit", FIGURES)
    op.create_index(
        "ix_visit_procedure_handoffs",
        "visit_procedure",
        ["visit_id", "department", "handed_at", "done_at"],
        sqlite_where=HANDED,
        postgresql_where=HANDED,
    )


def downgrade() -> None:
    op.drop_index("ix_visit_procedure_handoffs", table_name="visit_procedure")
    op.drop_index("ix_visit_figures", table_name="visit")
    op.create_index("ix_visit_status_office_date", "visit", ["status", "office_date"])
