"""The follow-up of agreements: agreements and reports rows of each version, and the agreement a
contribution comes under.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

Frozen: written from analytics/store/tables.py when it was created; later changes need a new revision.
Versions stored before it have no agreement and no report, and their contributions name none:
they read as registers without the two optional sheets, as they were.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreement_id", sa.String(length=40), nullable=True))
    op.create_table(
        "agreements",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("signed_by", sa.Text(), nullable=True),
        sa.Column("officer", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Double(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("excel_row", sa.Integer(), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_agreements_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("version_id", "agreement_id", name=op.f("pk_agreements")),
    )
    op.create_table(
        "reports",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.String(length=40), nullable=False),
        sa.Column("agreement_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("excel_row", sa.Integer(), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_reports_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("version_id", "report_id", name=op.f("pk_reports")),
    )


def downgrade() -> None:
    op.drop_table("reports")
    op.drop_table("agreements")
    # Not in batch mode: SQLite (3.35 and later) drops a column in place (see 0004).
    op.drop_column("contributions", "agreement_id")
