"""Writing versions: a commit of an uploaded register, a restore of an earlier version, the
samples of a new store. Each in one transaction that holds the write lock from its start: killed
half-way, it leaves the previous version current. A part of Store (analytics.store.versions).
"""

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from analytics.access.roles import RESTORE, SYSTEM, UPLOAD, User, require
from analytics.config import setting
from analytics.register.reading import Register
from analytics.store import audit
from analytics.store.records import (
    VERSION_FIELDS,
    StaleRegister,
    Version,
    current_version,
    version_of,
)
from analytics.store.rows import write_rows
from analytics.store.tables import ROW_TABLES, uploads, versions

SAMPLE_UPLOADER = SYSTEM.name


def _actor(user: User, uploader: str) -> "User | str":
    """Who the audit trail names: the acting user, or for the demo visitor the name they typed."""
    return uploader if user.demo else user


def _commit_detail(status: str, reason: str | None, removed: dict[str, int] | None) -> str:
    if not reason:
        return audit.detail("commit", status=status)
    removed = removed or {}
    counts = {f"removed_{sheet}": int(removed.get(sheet, 0)) for sheet in ROW_TABLES}
    return audit.detail("commit_removal", status=status, removal_reason=reason, **counts)


class Committing:
    """The writing half of Store: `self.engine`, and `self._writable()` before any write."""

    def _writing(self):
        """A transaction that writes a version (on SQLite, holding the write lock from its start)."""
        self._writable()
        return self.engine.execution_options(sqlite_immediate=True).begin()

    def _new_version(self, conn: sa.Connection, current: Version | None, **values) -> Version:
        number = (current.number if current else 0) + 1
        values |= {"number": number, "created_at": datetime.now(UTC)}
        try:
            # A savepoint so that losing the race for `number` does not poison the transaction.
            with conn.begin_nested():
                new_id = conn.execute(sa.insert(versions).values(**values)).inserted_primary_key[0]
        except IntegrityError as exc:
            raise StaleRegister(
                values["region"], number - 1, current_version(conn, values["region"])
            ) from exc
        return Version(id=new_id, **{k: values.get(k) for k in VERSION_FIELDS if k != "id"})

    def commit(
        self,
        region: str,
        register: Register,
        *,
        upload_id: int,
        uploader: str,
        expected_number: int,
        status: str = "upload",
        is_sample: bool = False,
        user: User,
        given_as: str | None = None,
        removal_reason: str | None = None,
        removed: dict[str, int] | None = None,
    ) -> Version:
        """Store `register` as the region's new version, in one transaction.

        `expected_number` is the current version number the user saw (0: none); if another
        commit happened since, StaleRegister is raised and nothing is stored. A file identical
        to the current version's stores nothing and returns the current version, `identical`.
        Refused (access.Refused) unless the acting `user` may upload the region. `given_as`: a
        name the command line was given, recorded in the audit trail (never acted as).
        """
        require(user, UPLOAD, region)
        with self._writing() as conn:
            current = current_version(conn, region)
            if (current.number if current else 0) != expected_number:
                raise StaleRegister(region, expected_number, current)
            upload = conn.execute(sa.select(uploads).where(uploads.c.id == upload_id)).one()
            if current is not None and current.sha256 == upload.sha256:
                return replace(current, identical=True)
            version = self._new_version(
                conn,
                current,
                region=region,
                status=status,
                uploader=uploader,
                file_name=upload.file_name,
                sha256=upload.sha256,
                upload_id=upload_id,
                restored_from=None,
                is_sample=is_sample,
                n_partners=len(register.partners),
                n_contributions=len(register.contributions),
                removal_reason=removal_reason,
            )
            for sheet, frame in (
                ("partners", register.partners),
                ("contributions", register.contributions),
                ("agreements", register.agreements),
                ("reports", register.reports),
            ):
                if len(frame):
                    write_rows(conn, sheet, frame, version.id)
            conn.execute(
                sa.update(uploads).where(uploads.c.id == upload_id).values(status="committed")
            )
            # In the same transaction: the trail has the version if and only if it exists.
            audit.record(
                self,
                _actor(user, uploader),
                audit.COMMIT,
                region=region,
                subject=upload.file_name,
                from_version=current.number if current else None,
                to_version=version.number,
                detail=audit.given(_commit_detail(status, removal_reason, removed), given_as),
                conn=conn,
            )
        return version

    def restore(
        self,
        region: str,
        number: int,
        uploader: str,
        expected_number: int | None = None,
        *,
        user: User,
    ) -> Version:
        """Make an earlier version current again, as a new version (history is never rewritten).

        Refused (access.Refused) unless the acting `user` may restore the region's versions.
        """
        require(user, RESTORE, region)
        with self._writing() as conn:
            current = current_version(conn, region)
            if (
                expected_number is not None
                and (current.number if current else 0) != expected_number
            ):
                raise StaleRegister(region, expected_number, current)
            row = conn.execute(
                sa.select(versions).where(versions.c.region == region, versions.c.number == number)
            ).first()
            if row is None:
                raise KeyError((region, number))
            source = version_of(row)
            if current is not None and current.sha256 == source.sha256:
                return replace(current, identical=True)
            version = self._new_version(
                conn,
                current,
                region=region,
                status="restore",
                uploader=uploader,
                file_name=source.file_name,
                sha256=source.sha256,
                upload_id=source.upload_id,
                restored_from=source.number,
                is_sample=source.is_sample,
                n_partners=source.n_partners,
                n_contributions=source.n_contributions,
            )
            for table in ROW_TABLES.values():
                names = [c.name for c in table.columns if c.name != "version_id"]
                copy = sa.select(
                    sa.literal(version.id, sa.Integer), *[table.c[n] for n in names]
                ).where(table.c.version_id == source.id)
                conn.execute(sa.insert(table).from_select(["version_id", *names], copy))
            audit.record(
                self,
                _actor(user, uploader),
                audit.RESTORE,
                region=region,
                subject=source.file_name,
                from_version=current.number if current else None,
                to_version=version.number,
                detail=audit.detail("restored", number=source.number),
                conn=conn,
            )
        return version

    def seed_samples_if_empty(self, sample_dir: str | Path | None = None) -> list[Version]:
        """Load each sample workbook <REGION>.xlsx as version 1 of its region, if nothing is stored yet.

        The acting user is access.SYSTEM ("sample data"), named in the versions and the audit trail.
        """
        from analytics.register.reading import load_workbook

        if not self.is_empty():
            return []
        folder = Path(sample_dir or setting("PARTNERSHIPS_SAMPLE_DIR"))
        loaded = []
        for path in sorted(folder.glob("*.xlsx")):
            region = path.stem.upper()
            data = path.read_bytes()
            result = load_workbook(data, region=region)
            report = result.report
            upload_id = self.record_upload(
                region,
                path.name,
                data,
                SAMPLE_UPLOADER,
                status="validated" if report.ok else "rejected",
                n_errors=len(report.errors),
                n_warnings=len(report.warnings),
                user=SYSTEM,
            )
            if not report.ok or result.register is None:
                continue
            try:
                version = self.commit(
                    region,
                    result.register,
                    upload_id=upload_id,
                    uploader=SAMPLE_UPLOADER,
                    expected_number=0,
                    status="sample",
                    is_sample=True,
                    user=SYSTEM,
                )
            except StaleRegister:  # another process seeded this region first
                continue
            loaded.append(version)
        return loaded
