"""The review state of each version: approved or returned with a comment (analytics/store/reviews.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

Frozen: written from analytics/store/tables.py when it was created; later changes need a new revision.
No row is added: a version without a review reads as submitted, so every existing version is.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_reviews_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(op.f("ix_reviews_version_id"), "reviews", ["version_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reviews_version_id"), table_name="reviews")
    op.drop_table("reviews")
