"""Every uploaded file and upload attempt: kept before anything else is done with it.

The file's bytes once per content (SHA-256), the attempt (who, when, which region, what became
of it), and both read back for the data-quality page. A part of Store (analytics.store.versions).
"""

from datetime import UTC, datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from analytics.access.roles import READ_FILES, UPLOAD, User, require
from analytics.store.records import sha256
from analytics.store.tables import files, uploads, versions

RECEIVED, INTERRUPTED = "received", "interrupted"
# An upload is read, checked and compared within seconds; one still "received" after this was
# cut off (the process was killed or the server restarted) and will never finish.
INTERRUPTED_AFTER = timedelta(minutes=15)


class Uploads:
    """The uploads half of Store: `self.engine`, and `self._writable()` before any write."""

    def uploads(self, region: str | None = None, *, user: User) -> pd.DataFrame:
        """Every upload attempt (of one region), newest first, with the version it became.

        Refused (access.Refused) unless the acting `user` may see the region's files (READ_FILES).
        """
        require(user, READ_FILES, region)
        query = (
            sa.select(
                # Not the stored report: it is read one upload at a time (store.reports).
                *(c for c in uploads.c if c.name != "report"),
                files.c.size,
                versions.c.number.label("version"),
            )
            .join(files, files.c.sha256 == uploads.c.sha256)
            .outerjoin(
                versions,
                sa.and_(versions.c.upload_id == uploads.c.id, versions.c.status != "restore"),
            )
            .order_by(uploads.c.id.desc())
        )
        if region is not None:
            query = query.where(uploads.c.region == region)
        with self.engine.connect() as conn:
            result = conn.execute(query)
            frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        frame["uploaded_at"] = pd.to_datetime(frame["uploaded_at"], utc=True)
        frame["version"] = frame["version"].astype("Int64")
        stuck = (frame["status"] == RECEIVED) & (
            frame["uploaded_at"] < pd.Timestamp(datetime.now(UTC) - INTERRUPTED_AFTER)
        )
        frame.loc[stuck, "status"] = INTERRUPTED
        return frame

    def upload_file(self, upload_id: int, *, user: User) -> tuple[str, bytes]:
        """The file name and original bytes of an upload, committed or not (if `user` may see them)."""
        query = (
            sa.select(uploads.c.file_name, files.c.data, uploads.c.region)
            .join(files, files.c.sha256 == uploads.c.sha256)
            .where(uploads.c.id == upload_id)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise KeyError(upload_id)
        require(user, READ_FILES, row.region)
        return row.file_name, bytes(row.data)

    def record_upload(
        self,
        region: str,
        file_name: str,
        data: bytes,
        uploader: str,
        status: str = RECEIVED,
        n_errors: int | None = None,
        n_warnings: int | None = None,
        *,
        user: User,
    ) -> int:
        """Keep an uploaded file and the attempt, before anything else is done with it.

        Refused (access.Refused) unless the acting `user` may upload the region's register.
        """
        require(user, UPLOAD, region)
        self._writable()
        digest = sha256(data)
        with self.engine.begin() as conn:
            known = conn.execute(sa.select(files.c.sha256).where(files.c.sha256 == digest)).first()
            if known is None:
                conn.execute(sa.insert(files).values(sha256=digest, size=len(data), data=data))
            # Attempts of this region left "received" by a process that died mid-way say so now.
            conn.execute(
                sa.update(uploads)
                .where(
                    uploads.c.region == region,
                    uploads.c.status == RECEIVED,
                    uploads.c.uploaded_at < datetime.now(UTC) - INTERRUPTED_AFTER,
                )
                .values(status=INTERRUPTED)
            )
            result = conn.execute(
                sa.insert(uploads).values(
                    region=region,
                    uploaded_at=datetime.now(UTC),
                    uploader=uploader,
                    file_name=file_name,
                    sha256=digest,
                    status=status,
                    n_errors=n_errors,
                    n_warnings=n_warnings,
                )
            )
            return result.inserted_primary_key[0]

    def set_upload_status(
        self,
        upload_id: int,
        status: str,
        n_errors: int | None = None,
        n_warnings: int | None = None,
    ) -> None:
        self._writable()
        values = {"status": status}
        if n_errors is not None:
            values |= {"n_errors": n_errors, "n_warnings": n_warnings}
        with self.engine.begin() as conn:
            conn.execute(sa.update(uploads).where(uploads.c.id == upload_id).values(**values))
