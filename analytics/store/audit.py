"""The audit trail: who did what, when, on which region, from which version to which.

Append-only: this module only inserts and reads, and triggers in the database (migration 0002)
refuse any UPDATE or DELETE of the `audit` table. Entries written inside a commit's transaction
(`conn=`) stand or fall with the commit.
"""

import json
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa

from analytics.access.roles import VIEW_AUDIT, User, require
from analytics.i18n import has, t
from analytics.store.history import stored_uploader, uploader_name
from analytics.store.removals import removed_text
from analytics.store.tables import ROW_TABLES
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
REMINDER = "reminder"  # an e-mail sent to a late region's focal point (analytics.services.remind)
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
    REMINDER,
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


def detail(code: str, **values) -> str:
    """A detail kept language-neutral, as the reports are: its code (`audit_details.<code>` in the
    locales) and values, written in the reader's language when shown (detail_text)."""
    return json.dumps({"code": code, **values}, ensure_ascii=False, sort_keys=True)


def given(detail_json: str, given_as: str | None) -> str:
    """A detail with the name a command was given (`--user`): recorded as said, never acted as."""
    if not given_as:
        return detail_json
    values = _detail_values(detail_json)
    if values is None:  # free text (no code): said in words, as before details were codes
        return f"{detail_json}, given as {given_as}"
    return json.dumps({**values, "given_as": given_as}, ensure_ascii=False, sort_keys=True)


# Values that are codes, and the locale table naming them.
LABELLED = (
    ("status", "statuses"),
    ("action", "permissions"),
    ("reason", "reasons"),
    ("scope", "scopes"),
)


def detail_text(stored: str | None, lang: str = "en") -> str:
    """A stored detail in `lang`. Entries written before details were kept as codes, and free
    text (a reviewer's comment), are shown as they were written."""
    values = _detail_values(stored)
    if values is None:  # an entry without detail reads NULL: None, or NaN in a frame
        return stored if isinstance(stored, str) else ""
    code, given_as = values.pop("code"), values.pop("given_as", None)
    for name, table in LABELLED:
        if name in values and has(f"audit_details.{table}.{values[name]}", lang):
            values[name] = t(f"audit_details.{table}.{values[name]}", lang)
    for name in ("errors", "warnings", "rows"):
        if name in values:
            values[name] = t(f"audit_details.{name}", lang, count=int(values[name]))
    # Rows an upload removed ("removed_partners": 1, …): "1 partner and 1 contribution".
    removed = {
        sheet: int(values.pop(f"removed_{sheet}"))
        for sheet in ROW_TABLES  # the sheets' order, not the stored keys' (sorted) one
        if f"removed_{sheet}" in values
    }
    if removed:
        values["removed"] = removed_text(removed, lang)
    text = t(f"audit_details.{code}", lang, **values)
    return t("audit_details.given_as", lang, text=text, name=given_as) if given_as else text


def _detail_values(stored: str | None) -> dict | None:
    if not isinstance(stored, str) or not stored.startswith("{"):
        return None
    try:
        values = json.loads(stored)
    except ValueError:
        return None
    if not isinstance(values, dict) or not has(f"audit_details.{values.get('code')}", "en"):
        return None
    return values


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
    lang: str = "en",
) -> pd.DataFrame:
    """The trail, newest first, filtered, its details and the samples' maker in `lang`; only for
    users who may view it (admins). `actor` is matched as stored, or as shown ("données
    d'exemple" finds the entries of "sample data")."""
    require(user, VIEW_AUDIT)
    query = sa.select(audit_table).order_by(audit_table.c.id.desc())
    if actor:
        query = query.where(audit_table.c.actor.in_({actor, stored_uploader(actor, lang)}))
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
    frame["detail"] = [detail_text(d, lang) for d in frame["detail"]]
    frame["actor"] = [uploader_name(a, lang) for a in frame["actor"]]
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
