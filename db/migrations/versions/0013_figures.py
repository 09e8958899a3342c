"""figures: when a visit was confirmed and by which channel, hand-off times, blank and
resident fields of each form

Revision ID: 0013
Revises: 0012

``visit.confirmed_at`` (filled from ``updated_at`` for the visits confirmed before) and
``visit.channel`` (counter, holiday or outreach); ``visit_procedure.handed_at`` and
``done_at``; ``issued_form.blank_fields`` and ``resident_fields``. An index on
(status, office_date) serves the figures of a period (db.stats).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString
Time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("visit") as batch:
        batch.add_column(sa.Column("confirmed_at", Time(), nullable=True))
        batch.add_column(
            sa.Column("channel", String(length=16), server_default="counter", nullable=False)
        )
    op.execute("UPDATE visit SET confirmed_at = updated_at WHERE status = 'confirmed'")
    with op.batch_alter_table("visit_procedure") as batch:
        batch.add_column(sa.Column("handed_at", Time(), nullable=True))
        batch.add_column(sa.Column("done_at", Time(), nullable=True))
    with op.batch_alter_table("issued_form") as batch:
        batch.add_column(
            sa.Column("blank_fields", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(
            sa.Column("resident_fields", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_index("ix_visit_status_office_date", "visit", ["status", "office_date"])


def downgrade() -> None:
    op.drop_index("ix_visit_status_office_date", table_name="visit")
    with op.batch_alter_table("issued_form") as batch:
        batch.drop_column("resident_fields")
        batch.drop_column("blank_fields")
    with op.batch_alter_table("visit_procedure") as batch:
        batch.drop_column("done_at")
        batch.drop_column("handed_at")
    with op.batch_alter_table("visit") as batch:
        batch.drop_column("channel")
        batch.drop_column("confirmed_at")
