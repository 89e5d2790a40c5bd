"""What the store hands back about versions: the Version record, StaleRegister, and the query
of each region's current version."""

import hashlib
from dataclasses import dataclass, fields
from datetime import datetime

import sqlalchemy as sa

from analytics.store.tables import as_utc, versions


class StaleRegister(Exception):
    """The region's register changed since the upload was compared with it."""

    def __init__(self, region: str, expected: int, current: "Version | None"):
        self.region, self.expected, self.current = region, expected, current
        super().__init__(
            f"{region}: expected version {expected}, current is {current.number if current else 0}"
        )


@dataclass(frozen=True)
class Version:
    """One committed version of a region's register."""

    id: int
    region: str
    number: int
    status: str  # upload, restore or sample
    created_at: datetime
    uploader: str
    file_name: str
    sha256: str
    upload_id: int | None
    restored_from: int | None
    is_sample: bool
    n_partners: int
    n_contributions: int
    removal_reason: str | None = None  # why the upload removed rows (None: it removed none)
    # True when the call that returned it stored nothing because the data was already current.
    identical: bool = False


VERSION_FIELDS = [f.name for f in fields(Version) if f.name != "identical"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def version_of(row) -> Version:
    """A `versions` row as a Version."""
    data = {name: getattr(row, name) for name in VERSION_FIELDS}
    data["created_at"] = as_utc(data["created_at"])
    data["is_sample"] = bool(data["is_sample"])
    return Version(**data)


def latest() -> sa.Select:
    """The current (highest-numbered) version row of every region."""
    top = (
        sa.select(versions.c.region, sa.func.max(versions.c.number).label("number"))
        .group_by(versions.c.region)
        .subquery()
    )
    return sa.select(versions).join(
        top, sa.and_(versions.c.region == top.c.region, versions.c.number == top.c.number)
    )


def current_version(conn: sa.Connection, region: str) -> Version | None:
    """The region's current version, or None before its first commit."""
    row = conn.execute(latest().where(versions.c.region == region)).first()
    return version_of(row) if row else None
