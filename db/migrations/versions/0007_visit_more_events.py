"""visit: more than one event — a 転入 and a 出生 served in one visit under one 受付番号

Revision ID: 0007
Revises: 0006

``case_json`` keeps the visit's first event as before; ``more_cases_json`` holds the
further events' cases as a JSON list (NULL for a visit of one event, which every visit
stored before this revision is). The plan in ``plan_json`` already covers them all.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("more_cases_json", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )


def downgrade() -> None:
    # The plans of visits with several events still list all their procedures; only the
    # cases of the further events (used to reprint their forms) are lost.
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_column("more_cases_json")
