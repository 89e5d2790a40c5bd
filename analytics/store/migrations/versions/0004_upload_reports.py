"""Each upload's validation report, kept language-neutral (analytics/store/reports.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

Frozen: written from analytics/store/tables.py when it was created; later changes need a new revision.
Nullable: uploads made before it keep no report and are shown as they were.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report", sa.Text(), nullable=True))


def downgrade() -> None:
    # Not in batch mode: SQLite (3.35 and later) drops a column in place, where a batch would
    # copy the table and drop the old one, which the versions' foreign key forbids.
    op.drop_column("uploads", "report")
