"""visit drafts: a visit exists from its first step, so it can be parked and survives a crash

Revision ID: 0006
Revises: 0005

A visit row is written when staff start it (status ``open``, its 受付番号 already given);
``draft_json`` keeps what was entered so far, ``updated_at`` when. ``parked`` is a visit
put aside while the resident fetches a document; ``confirmed`` is the stored visit as
before; ``cancelled`` keeps its number used.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("draft_json", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index("ix_visit_status", ["status"], unique=False)


def downgrade() -> None:
    # Visits never confirmed have no plan: they cannot exist before 0006.
    op.execute("DELETE FROM visit WHERE status <> 'confirmed'")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_status")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("draft_json")
