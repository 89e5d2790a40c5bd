"""The review state of versions, as stored: each review appended, the latest one in force.

A version without a review is submitted. Who may review, and the comment's rules, are checked
by analytics.services.review before `add` is called; this module only writes and reads.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa

from analytics.store.records import Version, version_of
from analytics.store.tables import as_utc, reviews, versions

SUBMITTED, APPROVED, RETURNED = "submitted", "approved", "returned"
DECISIONS = (APPROVED, RETURNED)
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Review:
    """One review of a version."""

    id: int
    version_id: int
    decision: str  # approved or returned
    comment: str
    reviewer: str
    at: datetime


def _review_of(row) -> Review:
    return Review(
        id=row.id,
        version_id=row.version_id,
        decision=row.decision,
        comment=row.comment or "",
        reviewer=row.reviewer,
        at=as_utc(row.at),
    )


def add(
    conn: sa.Connection,
    version_id: int,
    decision: str,
    reviewer: str,
    comment: str = "",
    at: datetime | None = None,
) -> Review:
    """Append a review of a version (inside `conn`'s transaction)."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    values = {
        "version_id": version_id,
        "decision": decision,
        "comment": comment or None,
        "reviewer": reviewer,
        "at": (at or datetime.now(UTC)).astimezone(UTC),
    }
    new_id = conn.execute(sa.insert(reviews).values(**values)).inserted_primary_key[0]
    return Review(id=new_id, **{**values, "comment": comment or ""})


def latest_reviews(engine: sa.Engine, version_ids: list[int] | None = None) -> dict[int, Review]:
    """version id -> its latest review, for the versions that have one."""
    top = sa.select(sa.func.max(reviews.c.id)).group_by(reviews.c.version_id)
    query = sa.select(reviews).where(reviews.c.id.in_(top))
    if version_ids is not None:
        query = query.where(reviews.c.version_id.in_(version_ids))
    with engine.connect() as conn:
        return {row.version_id: _review_of(row) for row in conn.execute(query)}


def state_of(review: Review | None) -> str:
    """submitted, approved or returned."""
    return review.decision if review is not None else SUBMITTED


def last_review_id(engine: sa.Engine) -> int:
    """The newest review's id (0 when none): it changes exactly when a state does."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.max(reviews.c.id))).scalar() or 0


def approved_versions(engine: sa.Engine) -> dict[str, Version]:
    """region -> its latest approved version, for every region that has one."""
    top = sa.select(sa.func.max(reviews.c.id)).group_by(reviews.c.version_id)
    approved = sa.select(reviews.c.version_id).where(
        reviews.c.id.in_(top), reviews.c.decision == APPROVED
    )
    best = (
        sa.select(versions.c.region, sa.func.max(versions.c.number).label("number"))
        .where(versions.c.id.in_(approved))
        .group_by(versions.c.region)
        .subquery()
    )
    query = sa.select(versions).join(
        best, sa.and_(versions.c.region == best.c.region, versions.c.number == best.c.number)
    )
    with engine.connect() as conn:
        return {
            row.region: version_of(row) for row in conn.execute(query.order_by(versions.c.region))
        }


def load_approved(store) -> "tuple[pd.DataFrame, pd.DataFrame]":
    """Partners and contributions (with `region`) of each region's latest approved version:
    what `--approved` and the "approved data only" switch count."""
    return store.load_versions([v.id for v in approved_versions(store.engine).values()])


def load_approved_follow_up(store) -> "tuple[pd.DataFrame, pd.DataFrame]":
    """Agreements and reports (with `region`) of each region's latest approved version."""
    return store.load_follow_up([v.id for v in approved_versions(store.engine).values()])
