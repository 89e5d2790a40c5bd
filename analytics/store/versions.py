"""The versioned register store: every uploaded file kept, one version of a region per commit.

SQLAlchemy Core over any URL (`--db`, `DATABASE_URL`), an SQLite file by default. The schema is
created and upgraded by the Alembic migrations in analytics/store/migrations when the store is opened.
"""

import hashlib
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from analytics.access.roles import READ_FILES, RESTORE, SYSTEM, UPLOAD, User, require
from analytics.config import setting
from analytics.register.reading import Register
from analytics.store import audit
from analytics.store.tables import KINDS, ROW_TABLES, as_utc, files, metadata, uploads, versions

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SAMPLE_UPLOADER = SYSTEM.name
RECEIVED, INTERRUPTED = "received", "interrupted"
# An upload is read, checked and compared within seconds; one still "received" after this was
# cut off (the process was killed or the server restarted) and will never finish.
INTERRUPTED_AFTER = timedelta(minutes=15)
# Rows per executemany batch: bounds memory for 100k-row registers without slowing SQLite down.
CHUNK = 20_000


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
    # True when the call that returned it stored nothing because the data was already current.
    identical: bool = False


_VERSION_FIELDS = [f.name for f in fields(Version) if f.name != "identical"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def database_url(db_url: str | None = None) -> str:
    """The store's URL: the argument, else DATABASE_URL, else the embedded SQLite file."""
    if db_url:
        return db_url
    if setting("DATABASE_URL"):
        return setting("DATABASE_URL")
    path = Path(setting("PARTNERSHIPS_DB_PATH")).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url)

    # pysqlite's own transaction handling commits DDL and delays BEGIN; SQLAlchemy's recipe
    # makes every engine.begin() one real transaction (migrations included).
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            # Readers (the app) are not blocked while a commit (the CLI) is being written.
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection):
        # A new version takes the write lock first (BEGIN IMMEDIATE): a second commit for the
        # region waits, then sees the new version and is told the register changed.
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def open_store(db_url: str | None = None) -> "Store":
    """Open (and create or upgrade) the store at a URL, DATABASE_URL or the embedded file."""
    url = database_url(db_url)
    engine = (
        _sqlite_engine(url)
        if url.startswith("sqlite")
        else sa.create_engine(url, pool_pre_ping=True)
    )
    upgrade(engine)
    return Store(engine)


def upgrade(engine: sa.Engine) -> None:
    """Run the Alembic migrations up to head, without any alembic.ini."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def load_current(db_url: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Partners and contributions (with `region`) of the current version of every region."""
    store = open_store(db_url)
    try:
        return store.load_current()
    finally:
        store.close()


def _to_db(frame: pd.DataFrame, sheet: str, version_id: int) -> list[dict]:
    """Rows ready for executemany: NaN/NaT/NA become None, dates become `date` objects."""
    columns: dict[str, list] = {}
    for name, kind in KINDS[sheet].items():
        s = frame[name]
        if kind == "date":
            s = pd.to_datetime(s)
            values = np.where(s.isna(), None, s.dt.date)
        else:
            values = s.astype(object).where(s.notna(), None).to_numpy()
        columns[name] = values.tolist()
    columns["excel_row"] = [None if pd.isna(x) else int(x) for x in frame["excel_row"]]
    columns["extra"] = frame["extra"].astype(object).where(frame["extra"].notna(), None).tolist()
    names = list(columns)
    return [
        {"version_id": version_id, **dict(zip(names, row, strict=True))}
        for row in zip(*columns.values(), strict=True)
    ]


def _from_db(rows: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Stored rows with the dtypes `load_workbook` gives: str, datetime64, boolean, float64."""
    out = pd.DataFrame(index=rows.index)
    for name, kind in KINDS[sheet].items():
        s = rows[name]
        if kind == "date":
            # The unit load_workbook gives, so that stored and uploaded registers compare equal.
            out[name] = pd.to_datetime(s).astype("datetime64[us]")
        elif kind == "bool":
            out[name] = s.astype("boolean")
        elif kind == "number":
            out[name] = s.astype("float64")
        else:
            out[name] = s.astype("str")
    excel_row = rows["excel_row"].astype("Int64")
    # int64 as load_workbook gives it; nullable only if some row has no Excel row number.
    out["excel_row"] = excel_row if excel_row.isna().any() else excel_row.astype("int64")
    out["extra"] = rows["extra"].astype(object).where(rows["extra"].notna(), None)
    return out.reset_index(drop=True)


def _version(row) -> Version:
    data = {name: getattr(row, name) for name in _VERSION_FIELDS}
    data["created_at"] = as_utc(data["created_at"])
    data["is_sample"] = bool(data["is_sample"])
    return Version(**data)


def _actor(user: User, uploader: str) -> "User | str":
    """Who the audit trail names: the acting user, or for the demo visitor the name they typed."""
    return uploader if user.demo else user


def _latest() -> sa.Select:
    """The current (highest-numbered) version row of every region."""
    top = (
        sa.select(versions.c.region, sa.func.max(versions.c.number).label("number"))
        .group_by(versions.c.region)
        .subquery()
    )
    return sa.select(versions).join(
        top, sa.and_(versions.c.region == top.c.region, versions.c.number == top.c.number)
    )


class Store:
    """Versions of each region's register and every uploaded file, in one database."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def _writing(self):
        """A transaction that writes a version (on SQLite, holding the write lock from its start)."""
        return self.engine.execution_options(sqlite_immediate=True).begin()

    # --- reading ---------------------------------------------------------------------------

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(versions)).scalar_one() == 0

    def current_version(self, region: str, conn: sa.Connection | None = None) -> Version | None:
        """The region's current version, or None before its first commit."""
        query = _latest().where(versions.c.region == region)
        if conn is not None:
            row = conn.execute(query).first()
        else:
            with self.engine.connect() as c:
                row = c.execute(query).first()
        return _version(row) if row else None

    def latest_version_id(self) -> int:
        """The id of the newest version of any region (0 when empty): every commit or restore
        adds a version with a higher id, so this changes exactly when the current register does."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.max(versions.c.id))).scalar() or 0

    def current_versions(self) -> dict[str, Version]:
        """region -> current version, for every region that has one."""
        with self.engine.connect() as conn:
            return {
                row.region: _version(row)
                for row in conn.execute(_latest().order_by(versions.c.region))
            }

    def version(self, version_id: int) -> Version:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(versions).where(versions.c.id == version_id)).first()
        if row is None:
            raise KeyError(version_id)
        return _version(row)

    def version_by_number(self, region: str, number: int) -> Version:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(versions).where(versions.c.region == region, versions.c.number == number)
            ).first()
        if row is None:
            raise KeyError((region, number))
        return _version(row)

    def versions(self, region: str | None = None) -> pd.DataFrame:
        """Every version (of one region), newest first, with `current` marking the current ones."""
        query = sa.select(versions).order_by(versions.c.region, versions.c.number.desc())
        if region is not None:
            query = query.where(versions.c.region == region)
        with self.engine.connect() as conn:
            rows = [_version(r) for r in conn.execute(query)]
        frame = pd.DataFrame(
            [{k: getattr(v, k) for k in _VERSION_FIELDS} for v in rows], columns=_VERSION_FIELDS
        )
        frame["current"] = frame["number"] == frame.groupby("region")["number"].transform("max")
        return frame

    def _rows(self, conn: sa.Connection, sheet: str, version_ids: list[int]) -> pd.DataFrame:
        table = ROW_TABLES[sheet]
        query = (
            sa.select(table, versions.c.region.label("_region"))
            .join(versions, versions.c.id == table.c.version_id)
            .where(table.c.version_id.in_(version_ids))
            .order_by(versions.c.region, table.c.excel_row)
        )
        result = conn.execute(query)
        names = list(result.keys())
        # Column by column from plain tuples: pandas probing SQLAlchemy Row objects is slow.
        columns = list(zip(*result.fetchall(), strict=True)) or [()] * len(names)
        rows = pd.DataFrame(
            {n: pd.Series(c, dtype=object) for n, c in zip(names, columns, strict=True)}
        )
        frame = _from_db(rows, sheet)
        frame.insert(0, "_region", rows["_region"].astype("str").to_numpy() if len(rows) else [])
        return frame

    def load_version(self, version_id: int) -> Register:
        """The register of one version, as `load_workbook` would give it."""
        version = self.version(version_id)
        with self.engine.connect() as conn:
            partners = self._rows(conn, "partners", [version_id]).drop(columns="_region")
            contributions = self._rows(conn, "contributions", [version_id]).drop(columns="_region")
        return Register(region=version.region, partners=partners, contributions=contributions)

    def load_current(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Partners and contributions (with a leading `region` column) of every current version."""
        with self.engine.connect() as conn:
            ids = [row.id for row in conn.execute(_latest())]
            partners = self._rows(conn, "partners", ids).drop(columns="_region")
            contributions = self._rows(conn, "contributions", ids).rename(
                columns={"_region": "region"}
            )
        return partners, contributions

    def uploads(self, region: str | None = None, *, user: User) -> pd.DataFrame:
        """Every upload attempt (of one region), newest first, with the version it became.

        Refused (access.Refused) unless the acting `user` may see the region's files (READ_FILES).
        """
        require(user, READ_FILES, region)
        query = (
            sa.select(
                uploads,
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

    # --- writing ---------------------------------------------------------------------------

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
        values = {"status": status}
        if n_errors is not None:
            values |= {"n_errors": n_errors, "n_warnings": n_warnings}
        with self.engine.begin() as conn:
            conn.execute(sa.update(uploads).where(uploads.c.id == upload_id).values(**values))

    def _new_version(self, conn: sa.Connection, current: Version | None, **values) -> Version:
        number = (current.number if current else 0) + 1
        values |= {"number": number, "created_at": datetime.now(UTC)}
        try:
            # A savepoint so that losing the race for `number` does not poison the transaction.
            with conn.begin_nested():
                new_id = conn.execute(sa.insert(versions).values(**values)).inserted_primary_key[0]
        except IntegrityError as exc:
            raise StaleRegister(
                values["region"], number - 1, self.current_version(values["region"], conn)
            ) from exc
        return Version(id=new_id, **{k: values.get(k) for k in _VERSION_FIELDS if k != "id"})

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
            current = self.current_version(region, conn)
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
            )
            for sheet, frame in (
                ("partners", register.partners),
                ("contributions", register.contributions),
            ):
                rows = _to_db(frame, sheet, version.id)
                for start in range(0, len(rows), CHUNK):
                    conn.execute(sa.insert(ROW_TABLES[sheet]), rows[start : start + CHUNK])
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
                detail=audit.given(status, given_as),
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
            current = self.current_version(region, conn)
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
            source = _version(row)
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
                detail=f"restored version {source.number}",
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


__all__ = ["Store", "StaleRegister", "Version", "load_current", "metadata", "open_store"]
