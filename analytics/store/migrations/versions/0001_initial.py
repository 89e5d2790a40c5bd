"""Versions, uploads (with the original files) and the partner and contribution rows of each version.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Frozen: written from analytics/store/tables.py when it was created; later changes need a new revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_files")),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploader", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("n_errors", sa.Integer(), nullable=True),
        sa.Column("n_warnings", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["sha256"], ["files.sha256"], name=op.f("fk_uploads_sha256_files")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
    )
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_uploads_region"), ["region"], unique=False)

    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploader", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("n_partners", sa.Integer(), nullable=False),
        sa.Column("n_contributions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["files.sha256"], name=op.f("fk_versions_sha256_files")
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"], ["uploads.id"], name=op.f("fk_versions_upload_id_uploads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_versions")),
        sa.UniqueConstraint("region", "number", name=op.f("uq_versions_region_number")),
    )
    op.create_table(
        "contributions",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.String(length=40), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.Double(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("partnership_type", sa.String(length=40), nullable=True),
        sa.Column("thematic_area", sa.String(length=40), nullable=True),
        sa.Column("multi_year", sa.Boolean(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("excel_row", sa.Integer(), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_contributions_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("version_id", "contribution_id", name=op.f("pk_contributions")),
    )
    op.create_table(
        "partners",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.String(length=40), nullable=False),
        sa.Column("partner_name", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("sector", sa.Text(), nullable=True),
        sa.Column("partnership_type", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("due_diligence", sa.String(length=40), nullable=False),
        sa.Column("due_diligence_date", sa.Date(), nullable=True),
        sa.Column("focal_point", sa.Text(), nullable=True),
        sa.Column("has_kpis", sa.Boolean(), nullable=True),
        sa.Column("last_review", sa.Date(), nullable=True),
        sa.Column("evaluated", sa.Boolean(), nullable=True),
        sa.Column("strategic_objectives", sa.Text(), nullable=True),
        sa.Column("excel_row", sa.Integer(), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_partners_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("version_id", "partner_id", name=op.f("pk_partners")),
    )


def downgrade() -> None:
    op.drop_table("partners")
    op.drop_table("contributions")
    op.drop_table("versions")
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_uploads_region"))

    op.drop_table("uploads")
    op.drop_table("files")
