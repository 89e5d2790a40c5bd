"""The store's tables (SQLAlchemy Core). Partner and contribution columns come from the models.

The Alembic migrations in analytics/store/migrations are frozen snapshots of these tables; a test
checks that running them yields exactly this metadata, so a new model column needs a migration.
"""

from datetime import UTC, datetime

import sqlalchemy as sa

from schemas import Agreements, Contributions, Partners, Reports, columns_of


def as_utc(value: datetime) -> datetime:
    """A datetime read back from a table, in UTC: SQLite gives back naive datetimes, and
    everything is written in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Explicit constraint names keep migrations portable (PostgreSQL and SQLite alike).
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# How each kind of workbook column is stored.
SQL_TYPES = {
    "id": lambda: sa.String(40),
    "code": lambda: sa.String(40),
    "country": lambda: sa.String(3),
    "currency": lambda: sa.String(3),
    "codes": sa.Text,
    "text": sa.Text,
    "date": sa.Date,
    "bool": sa.Boolean,
    "number": sa.Double,
}

# Every distinct file ever uploaded, once per content (SHA-256), committed or not.
files = sa.Table(
    "files",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

# Every upload attempt: who sent which file for which region, and what became of it.
uploads = sa.Table(
    "uploads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("region", sa.String(40), nullable=False, index=True),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("uploader", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("files.sha256"), nullable=False),
    # received, unreadable, rejected (errors), validated, committed, stale
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("n_errors", sa.Integer),
    sa.Column("n_warnings", sa.Integer),
    # The validation report as language-neutral JSON (analytics.store.reports; migration 0004):
    # shown again in any language. None for uploads older than the migration.
    sa.Column("report", sa.Text),
)

# One row per version of a region's register; the highest number is the current one.
versions = sa.Table(
    "versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("region", sa.String(40), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    # upload, restore or sample
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("uploader", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("files.sha256"), nullable=False),
    sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id")),
    sa.Column("restored_from", sa.Integer),
    sa.Column("is_sample", sa.Boolean, nullable=False),
    sa.Column("n_partners", sa.Integer, nullable=False),
    sa.Column("n_contributions", sa.Integer, nullable=False),
    # Why an upload removed partners or contributions (or agreements, reports), as the uploader
    # wrote it (at most 200 characters; migration 0007). None when it removed nothing.
    sa.Column("removal_reason", sa.Text),
    # Two concurrent commits for one region cannot both become number n.
    sa.UniqueConstraint("region", "number"),
)


def _rows_table(name: str, model, key: str) -> sa.Table:
    model_columns = [
        sa.Column(c.name, SQL_TYPES[c.kind](), nullable=not c.required) for c in columns_of(model)
    ]
    return sa.Table(
        name,
        metadata,
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False),
        *model_columns,
        sa.Column("excel_row", sa.Integer),
        sa.Column("extra", sa.Text),  # JSON object of the workbook's extra columns
        sa.PrimaryKeyConstraint("version_id", key),
    )


partners = _rows_table("partners", Partners, "partner_id")
contributions = _rows_table("contributions", Contributions, "contribution_id")
# The follow-up of agreements (migration 0005): a version without the sheets has no rows here.
agreements = _rows_table("agreements", Agreements, "agreement_id")
reports = _rows_table("reports", Reports, "report_id")

ROW_TABLES = {
    "partners": partners,
    "contributions": contributions,
    "agreements": agreements,
    "reports": reports,
}
MODELS = {
    "partners": Partners,
    "contributions": Contributions,
    "agreements": Agreements,
    "reports": Reports,
}
KEYS = {
    "partners": "partner_id",
    "contributions": "contribution_id",
    "agreements": "agreement_id",
    "reports": "report_id",
}
# sheet -> {column: kind}, in template order
KINDS = {sheet: {c.name: c.kind for c in columns_of(model)} for sheet, model in MODELS.items()}

# --- access (analytics/store/audit.py, analytics/services/refdata.py; migration 0002) ------------------------

# Append-only trail of who did what (triggers refuse UPDATE and DELETE): sign-ins, commits…
audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("actor", sa.Text, nullable=False),  # the acting user's name ("" when unknown)
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("region", sa.String(40)),
    sa.Column("subject", sa.String(200), index=True),  # user name, file name, reference file…
    sa.Column("from_version", sa.Integer),
    sa.Column("to_version", sa.Integer),
    sa.Column("detail", sa.Text),
)

# Every sign-in attempt that was heard (not the throttled ones), counted before its password is
# checked, so that parallel guesses count too (analytics/accounts/sign_in.py; migration 0003).
sign_in_attempts = sa.Table(
    "sign_in_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("name", sa.String(64), nullable=False, index=True),
    sa.Column("address", sa.String(64), index=True),  # the client's address, when known
    sa.Column("outcome", sa.String(10), nullable=False),  # pending, ok, failed or busy
)

# --- the review cycle (analytics/store/reviews.py, analytics/services/review.py; migration 0006) ---

# Every review of a version: approved or returned (with a comment). A version without one is
# submitted; its latest review is its state (a decision may be changed by a later review).
reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False, index=True),
    sa.Column("decision", sa.String(20), nullable=False),  # approved or returned
    sa.Column("comment", sa.Text),  # required on a return, at most 2000 characters
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

# Every version of each reference file (regions.csv, exchange_rates.csv…), the latest in force.
reference_versions = sa.Table(
    "reference_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file", sa.String(80), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.UniqueConstraint("file", "number"),
)
