"""Why an upload removed rows: a reason kept with the version (analytics/services/ingest.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

Frozen: written from analytics/store/tables.py when it was created; later changes need a new revision.
Nullable: versions stored before it removed rows without saying why, and read as such (no reason).
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("versions", sa.Column("removal_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    # In place (SQLite 3.35 and later drop a column itself): a copy of `versions` would have to
    # drop the table every row table refers to.
    op.drop_column("versions", "removal_reason")
