"""The audit trail: who did what, when, on which region, from which version to which.

Append-only: this module only inserts and reads, and triggers in the database (migration 0002)
refuse any UPDATE or DELETE of the `audit` table. Entries written inside a commit's transaction
(`conn=`) stand or fall with the commit.
"""

from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa

from analytics.access.roles import VIEW_AUDIT, User, require
from analytics.store.tables import audit as audit_table

SIGN_IN, SIGN_IN_FAILED, SIGN_IN_THROTTLED, SIGN_OUT = (
    "sign_in",
    "sign_in_failed",
    "sign_in_throttled",
    "sign_out",
)
UPLOAD, COMMIT, RESTORE, REFUSED = "upload", "commit", "restore", "refused"
REFERENCE_CHANGE, USER_CHANGE = "reference_change", "user_change"
REVIEW = "review"  # a version approved or returned (analytics.services.review)
ACTIONS = (
    SIGN_IN,
    SIGN_IN_FAILED,
    SIGN_IN_THROTTLED,
    SIGN_OUT,
    UPLOAD,
    COMMIT,
    RESTORE,
    REFUSED,
    REFERENCE_CHANGE,
    USER_CHANGE,
    REVIEW,
)
COLUMNS = [
    "id",
    "at",
    "actor",
    "action",
    "region",
    "subject",
    "from_version",
    "to_version",
    "detail",
]


def _engine(store) -> sa.Engine:
    return store.engine if hasattr(store, "engine") else store


def record(
    store,
    actor: "str | User",
    action: str,
    *,
    region: str | None = None,
    subject: str | None = None,
    from_version: int | None = None,
    to_version: int | None = None,
    detail: str | None = None,
    at: datetime | None = None,
    conn: sa.Connection | None = None,
) -> None:
    """Append one entry (inside `conn`'s transaction when given, else in its own)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    values = {
        "at": (at or datetime.now(UTC)).astimezone(UTC),
        "actor": actor.name if isinstance(actor, User) else str(actor or ""),
        "action": action,
        "region": region,
        "subject": subject[:200] if subject else subject,
        "from_version": from_version,
        "to_version": to_version,
        "detail": detail,
    }
    if conn is not None:
        conn.execute(sa.insert(audit_table).values(**values))
    else:
        with _engine(store).begin() as c:
            c.execute(sa.insert(audit_table).values(**values))


def given(detail: str, given_as: str | None) -> str:
    """A detail with the name a command was given (`--user`): recorded as said, never acted as."""
    return f"{detail}, given as {given_as}" if given_as else detail


def entries(
    store,
    user: User,
    *,
    actor: str | None = None,
    actions: list[str] | None = None,
    region: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = 5000,
) -> pd.DataFrame:
    """The trail, newest first, filtered; only for users who may view it (admins)."""
    require(user, VIEW_AUDIT)
    query = sa.select(audit_table).order_by(audit_table.c.id.desc())
    if actor:
        query = query.where(audit_table.c.actor == actor)
    if actions:
        query = query.where(audit_table.c.action.in_(actions))
    if region:
        query = query.where(audit_table.c.region == region)
    if since is not None:
        query = query.where(audit_table.c.at >= since)
    if until is not None:
        query = query.where(audit_table.c.at < until)
    if limit:
        query = query.limit(limit)
    with _engine(store).connect() as conn:
        rows = conn.execute(query).fetchall()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    for column in ("from_version", "to_version"):
        frame[column] = frame[column].astype("Int64")
    return frame


# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """The trail as UTF-8 CSV (with BOM, for Excel), formulas neutralised."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out.to_csv(index=False).encode("utf-8-sig")
