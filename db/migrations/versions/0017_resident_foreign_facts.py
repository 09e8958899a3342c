"""resident foreign facts: 在留資格, 在留期間, its 満了の日 and 在留カード等の番号

Revision ID: 0017
Revises: 0016

What the register holds of a foreign resident (住民基本台帳法30条の45) and the 住民異動届
asks for: ``resident.residence_status`` (the 在留資格 as written, or the 区分 such as
特別永住者; '' when none), ``resident.residence_period`` (在留期間 as written, 「3年」;
'' when none), ``resident.residence_expiry`` (在留期間の満了の日; NULL when not known) and
``resident.residence_card_number`` (在留カード等の番号, 12 letters and digits; '' when
none). Rows stored before this revision get '' and NULL: nothing is guessed for them.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

COLUMNS = ("residence_status", "residence_period", "residence_expiry", "residence_card_number")


def upgrade() -> None:
    # ADD COLUMN, not a batch copy: the search triggers on resident stay as they are (as
    # in 0010), and neither backend rewrites the table for a nullable column or a
    # constant default.
    for column in ("residence_status", "residence_period"):
        text = sqlmodel.sql.sqltypes.AutoString()
        op.add_column("resident", sa.Column(column, text, nullable=False, server_default=""))
    op.add_column("resident", sa.Column("residence_expiry", sa.Date(), nullable=True))
    card = sqlmodel.sql.sqltypes.AutoString(length=12)
    op.add_column(
        "resident",
        sa.Column("residence_card_number", card, nullable=False, server_default=""),
    )


def downgrade() -> None:
    for column in reversed(COLUMNS):
        op.drop_column("resident", column)
