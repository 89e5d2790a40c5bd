"""The validation report of each upload, kept language-neutral so it can be read again in any language.

Written by the ingest service when it sets the upload's status (analytics.services.ingest);
uploads older than migration 0004 have none, and are shown as before (their status and counts).
"""

import sqlalchemy as sa

from analytics.access.roles import READ_FILES, User, require
from analytics.register.report import Report
from analytics.store.tables import uploads


def save_report(store, upload_id: int, report: Report) -> None:
    """Keep the report of an upload (codes, locations, values as typed, message values)."""
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(uploads).where(uploads.c.id == upload_id).values(report=report.to_stored())
        )


def stored_report(store, upload_id: int, *, user: User) -> Report | None:
    """The report kept with an upload, or None for an upload stored before reports were kept.

    Refused (access.Refused) unless `user` may see the region's files (READ_FILES)."""
    query = sa.select(uploads.c.region, uploads.c.report).where(uploads.c.id == upload_id)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise KeyError(upload_id)
    require(user, READ_FILES, row.region)
    return None if row.report is None else Report.from_stored(row.report)
