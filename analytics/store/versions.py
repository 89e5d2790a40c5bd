"""The versioned register store: every uploaded file kept, one version of a region per commit.

SQLAlchemy Core over any URL (`--db`, `DATABASE_URL`), an SQLite file by default. The schema is
created and upgraded by the Alembic migrations in analytics/store/migrations when the store is
opened (analytics.store.engine). Store reads versions back here; it writes them with
analytics.store.committing and keeps uploaded files with analytics.store.uploads.
"""

import pandas as pd
import sqlalchemy as sa

from analytics.register.reading import Register
from analytics.store.committing import SAMPLE_UPLOADER, Committing
from analytics.store.engine import (
    MIGRATIONS_DIR,
    ReadOnlyStore,
    database_url,
    open_engine,
    where,
)
from analytics.store.records import (
    VERSION_FIELDS,
    StaleRegister,
    Version,
    current_version,
    latest,
    sha256,
    version_of,
)
from analytics.store.rows import read_rows
from analytics.store.tables import metadata, versions
from analytics.store.uploads import INTERRUPTED, INTERRUPTED_AFTER, RECEIVED, Uploads


def open_store(db_url: str | None = None) -> "Store":
    """Open (and create or upgrade) the store at a URL, DATABASE_URL or the embedded file; a
    store this process may only read is opened read-only (analytics.store.engine)."""
    engine, read_only = open_engine(db_url)
    return Store(engine, read_only=read_only)


def load_current(db_url: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Partners and contributions (with `region`) of the current version of every region."""
    store = open_store(db_url)
    try:
        return store.load_current()
    finally:
        store.close()


class Store(Uploads, Committing):
    """Versions of each region's register and every uploaded file, in one database."""

    def __init__(self, engine: sa.Engine, *, read_only: bool = False):
        self.engine = engine
        self.read_only = read_only

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def _writable(self) -> None:
        """Refuse a write to a read-only store before anything is tried (ReadOnlyStore)."""
        if self.read_only:
            raise ReadOnlyStore(where(self.engine))

    # --- reading ---------------------------------------------------------------------------

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(versions)).scalar_one() == 0

    def current_version(self, region: str, conn: sa.Connection | None = None) -> Version | None:
        """The region's current version, or None before its first commit."""
        if conn is not None:
            return current_version(conn, region)
        with self.engine.connect() as c:
            return current_version(c, region)

    def latest_version_id(self) -> int:
        """The id of the newest version of any region (0 when empty): every commit or restore
        adds a version with a higher id, so this changes exactly when the current register does."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.max(versions.c.id))).scalar() or 0

    def current_versions(self) -> dict[str, Version]:
        """region -> current version, for every region that has one."""
        with self.engine.connect() as conn:
            return {
                row.region: version_of(row)
                for row in conn.execute(latest().order_by(versions.c.region))
            }

    def version(self, version_id: int) -> Version:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(versions).where(versions.c.id == version_id)).first()
        if row is None:
            raise KeyError(version_id)
        return version_of(row)

    def version_by_number(self, region: str, number: int) -> Version:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(versions).where(versions.c.region == region, versions.c.number == number)
            ).first()
        if row is None:
            raise KeyError((region, number))
        return version_of(row)

    def versions(self, region: str | None = None) -> pd.DataFrame:
        """Every version (of one region), newest first, with `current` marking the current ones."""
        query = sa.select(versions).order_by(versions.c.region, versions.c.number.desc())
        if region is not None:
            query = query.where(versions.c.region == region)
        with self.engine.connect() as conn:
            rows = [version_of(r) for r in conn.execute(query)]
        frame = pd.DataFrame(
            [{k: getattr(v, k) for k in VERSION_FIELDS} for v in rows], columns=VERSION_FIELDS
        )
        frame["current"] = frame["number"] == frame.groupby("region")["number"].transform("max")
        return frame

    def load_version(self, version_id: int) -> Register:
        """The register of one version, as `load_workbook` would give it."""
        version = self.version(version_id)
        with self.engine.connect() as conn:
            partners = read_rows(conn, "partners", [version_id]).drop(columns="_region")
            contributions = read_rows(conn, "contributions", [version_id]).drop(columns="_region")
            agreements = read_rows(conn, "agreements", [version_id]).drop(columns="_region")
            reports = read_rows(conn, "reports", [version_id]).drop(columns="_region")
        return Register(
            region=version.region,
            partners=partners,
            contributions=contributions,
            agreements=agreements,
            reports=reports,
        )

    def load_current(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Partners and contributions (with a leading `region` column) of every current version."""
        with self.engine.connect() as conn:
            ids = [row.id for row in conn.execute(latest())]
        return self.load_versions(ids)

    def load_versions(self, ids: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Partners and contributions (with a leading `region` column) of these versions (one
        per region: the current ones, or the approved ones of analytics.store.reviews)."""
        with self.engine.connect() as conn:
            partners = read_rows(conn, "partners", ids).drop(columns="_region")
            contributions = read_rows(conn, "contributions", ids).rename(
                columns={"_region": "region"}
            )
        return partners, contributions

    def load_follow_up(self, ids: list[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Agreements and reports (with a leading `region` column) of every current version, or
        of these versions (the approved ones of analytics.store.reviews)."""
        with self.engine.connect() as conn:
            if ids is None:
                ids = [row.id for row in conn.execute(latest())]
            agreements = read_rows(conn, "agreements", ids).rename(columns={"_region": "region"})
            reports = read_rows(conn, "reports", ids).rename(columns={"_region": "region"})
        return agreements, reports

    def completeness(self, year: int, regions: list[str] | None = None) -> pd.DataFrame:
        """Per region: submitted in `year`?, the last submission, and the current version."""
        if regions is None:
            from analytics.reference.load import load_reference

            regions = load_reference().region_codes
        all_versions = self.versions()
        regions = list(dict.fromkeys([*regions, *all_versions["region"]]))
        # A sample load or a restore by HQ is not a submission by the region.
        submitted = all_versions[all_versions["status"] == "upload"]
        rows = []
        for region in regions:
            mine = submitted[submitted["region"] == region]
            last = mine.iloc[0] if len(mine) else None
            current = all_versions[(all_versions["region"] == region) & all_versions["current"]]
            cur = current.iloc[0] if len(current) else None
            rows.append(
                {
                    "region": region,
                    "submitted": bool(last is not None and last["created_at"].year == year),
                    "last_submitted_at": last["created_at"] if last is not None else pd.NaT,
                    "last_submitted_by": last["uploader"] if last is not None else None,
                    "version": int(cur["number"]) if cur is not None else 0,
                    "version_at": cur["created_at"] if cur is not None else pd.NaT,
                    "version_by": cur["uploader"] if cur is not None else None,
                    "file_name": cur["file_name"] if cur is not None else None,
                    "is_sample": bool(cur["is_sample"]) if cur is not None else False,
                    "n_partners": int(cur["n_partners"]) if cur is not None else 0,
                    "n_contributions": int(cur["n_contributions"]) if cur is not None else 0,
                }
            )
        return pd.DataFrame(rows)


__all__ = [
    "INTERRUPTED",
    "INTERRUPTED_AFTER",
    "MIGRATIONS_DIR",
    "RECEIVED",
    "SAMPLE_UPLOADER",
    "ReadOnlyStore",
    "StaleRegister",
    "Store",
    "Version",
    "database_url",
    "load_current",
    "metadata",
    "open_store",
    "sha256",
]
