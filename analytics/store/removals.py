"""Removals explained: the rows an upload removed and the reason its uploader gave (migration 0007).

`removed_text` says "4 partners and 1 contribution" in the reader's language (the upload page,
`ingest`); `removals` reads back the versions that removed rows with a reason, and how many rows
of each sheet they removed against the version before them, for the board's story.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from analytics.i18n import t
from analytics.store.tables import KEYS, ROW_TABLES, as_utc, versions


def removed_text(removed: dict[str, int], lang: str) -> str:
    """'4 partners and 1 contribution': the sheets that lose rows, in the language's plurals."""
    parts = [t(f"removals.{sheet}", lang, count=n) for sheet, n in removed.items() if n]
    if len(parts) <= 1:
        return "".join(parts)
    return t("removals.and", lang, first=", ".join(parts[:-1]), last=parts[-1])


@dataclass(frozen=True)
class Removal:
    """A version that removed rows, with the reason given."""

    region: str
    number: int
    created_at: datetime
    uploader: str
    reason: str
    removed: dict[str, int]  # sheet -> rows removed against the version before it


def removals(store, since: datetime | None = None, until: datetime | None = None) -> list[Removal]:
    """The versions created in [since, until) that removed rows with a reason, oldest first."""
    query = sa.select(versions).where(versions.c.removal_reason.is_not(None))
    if since is not None:
        query = query.where(versions.c.created_at >= since)
    if until is not None:
        query = query.where(versions.c.created_at < until)
    out = []
    with store.engine.connect() as conn:
        for row in conn.execute(query.order_by(versions.c.created_at, versions.c.id)):
            before = conn.execute(
                sa.select(versions.c.id).where(
                    versions.c.region == row.region, versions.c.number == row.number - 1
                )
            ).scalar()
            removed = {sheet: _removed(conn, sheet, before, row.id) for sheet in ROW_TABLES}
            out.append(
                Removal(
                    row.region,
                    int(row.number),
                    as_utc(row.created_at),
                    str(row.uploader),
                    str(row.removal_reason),
                    removed,
                )
            )
    return out


def _removed(conn: sa.Connection, sheet: str, before: int | None, after: int) -> int:
    """Rows of the version `before` whose key is not in the version `after`."""
    if before is None:
        return 0
    table, key = ROW_TABLES[sheet], KEYS[sheet]
    kept = sa.select(table.c[key]).where(table.c.version_id == after)
    query = (
        sa.select(sa.func.count())
        .select_from(table)
        .where(table.c.version_id == before, table.c[key].not_in(kept))
    )
    return int(conn.execute(query).scalar_one())
