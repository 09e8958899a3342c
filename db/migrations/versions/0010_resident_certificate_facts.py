"""resident certificate facts: 住定日, 本籍 and 旧氏

Revision ID: 0010
Revises: 0009

What certificates need of a resident beyond the register's other facts:
``resident.resident_since`` (住定日 in this city: the 転入 or the birth; NULL when not
known), ``resident.honseki_municipality`` and ``resident.honseki_text`` (the 本籍's
地方公共団体コード and the 本籍 as written; both NULL for a foreign resident or when not
known) and ``resident.former_surname`` (旧氏, '' when the register holds none). Rows
stored before this revision get NULL and '': nothing is guessed for them.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COLUMNS = ("resident_since", "honseki_municipality", "honseki_text", "former_surname")


def upgrade() -> None:
    # ADD COLUMN, not a batch copy: the search triggers on resident stay as they are (as
    # in 0009), and neither backend rewrites the table for a nullable column or a
    # constant default.
    op.add_column("resident", sa.Column("resident_since", sa.Date(), nullable=True))
    op.add_column(
        "resident",
        sa.Column(
            "honseki_municipality", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True
        ),
    )
    op.add_column(
        "resident", sa.Column("honseki_text", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
    )
    op.add_column(
        "resident",
        sa.Column(
            "former_surname",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
            server_default="",
        ),
    )


def downgrade() -> None:
    for column in reversed(COLUMNS):
        op.drop_column("resident", column)
