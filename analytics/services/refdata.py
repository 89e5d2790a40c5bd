"""Admins' changes to the reference files: checked, kept as numbered versions in the store, audited.

The files in PARTNERSHIPS_REFERENCE_DIR stay what the app and the CLI read (analytics.reference.load);
the store keeps every saved version, so each app process brings its folder up to date with the
latest one (`sync_folder`) and earlier versions can be downloaded or saved again.
"""

import hashlib
import io
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from analytics.access.roles import EDIT_REFERENCE, User, require
from analytics.i18n import fmt_date, t
from analytics.reference.load import load_reference, refcheck, reference_folder
from analytics.reference.refcheck import EDITABLE, Spec
from analytics.store import audit
from analytics.store.tables import reference_versions

# The files admins edit, and their rules (declared once, in analytics.reference.refcheck).
FILES: dict[str, Spec] = {name: refcheck.FILES[name] for name in EDITABLE}


def folder() -> Path:
    return reference_folder()


def read_csv(data: bytes | str) -> pd.DataFrame:
    """A reference CSV as text cells (empty cells empty strings), as the reference loader reads it."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.apply(lambda s: s.str.strip())


def to_csv(frame: pd.DataFrame) -> str:
    return frame.fillna("").astype(str).to_csv(index=False, lineterminator="\n")


def region_codes(where: Path | None = None) -> set[str]:
    """The codes of regions.csv as it stands, read alone: another file being damaged does not
    keep an admin from saving a corrected one (empty when regions.csv cannot be read)."""
    try:
        return set(current("regions", where)["code"])
    except Exception:  # noqa: BLE001 - a damaged regions.csv: every region is then unknown
        return set()


def problems(
    name: str, frame: pd.DataFrame, lang: str = "en", regions: set[str] | None = None
) -> list[str]:
    """Every problem of a reference file, as sentences in the user's language (empty: valid)."""
    return refcheck.problems(name, frame, region_codes() if regions is None else regions, lang)


def _path(name: str, where: Path | None) -> Path:
    return (where or folder()) / f"{name}.csv"


def current(name: str, where: Path | None = None) -> pd.DataFrame:
    """The file in force."""
    return read_csv(_path(name, where).read_bytes())


def history(store, name: str) -> pd.DataFrame:
    """Every version saved from the app, newest first: number, created_at, author, sha256."""
    query = (
        sa.select(
            reference_versions.c.number,
            reference_versions.c.created_at,
            reference_versions.c.author,
        )
        .where(reference_versions.c.file == name)
        .order_by(reference_versions.c.number.desc())
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).fetchall()
    return pd.DataFrame([tuple(r) for r in rows], columns=["number", "created_at", "author"])


def version_in_force(store, name: str, lang: str) -> str:
    """Which version of a reference file the numbers use, in words ("3 of 1 Dec 2026, by
    admin"), or "" (provenance.SHIPPED) when admins never saved one: the shipped file. The folder
    follows the newest saved version (`sync_folder`), so the newest is the one in force."""
    saved = history(store, name)
    if saved.empty:
        return ""
    newest = saved.iloc[0]
    return t(
        "provenance.version",
        lang,
        number=int(newest["number"]),
        date=fmt_date(pd.Timestamp(newest["created_at"]), lang),
        author=newest["author"],
    )


def version_text(store, name: str, number: int) -> str:
    query = sa.select(reference_versions.c.content).where(
        reference_versions.c.file == name, reference_versions.c.number == number
    )
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def _write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)  # the loader sees the old file or the new one, never half of one


def save(
    store, user: User, name: str, frame: pd.DataFrame, where: Path | None = None
) -> int | None:
    """Check and save a new version of a reference file; its number, or None when nothing changed.

    Raises Refused for a user who may not, ValueError(problems) for an invalid file.
    """
    require(user, EDIT_REFERENCE)
    found = problems(name, frame)
    if found:
        raise ValueError(found)
    spec = FILES[name]
    columns = [c for c in spec.columns if c in frame.columns] + [
        c for c in frame.columns if c not in spec.columns
    ]
    text = to_csv(frame[columns])
    path = _path(name, where)
    try:
        before = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    except UnicodeDecodeError:  # a damaged file in force: replaced, not kept as a version
        before = ""
    if text == before:
        return None
    digest = hashlib.sha256(text.encode()).hexdigest()
    with store.engine.begin() as conn:
        top = conn.execute(
            sa.select(sa.func.max(reference_versions.c.number)).where(
                reference_versions.c.file == name
            )
        ).scalar()
        if top is None and before:  # the shipped file becomes version 1, so it can be restored
            conn.execute(
                sa.insert(reference_versions).values(
                    file=name,
                    number=1,
                    created_at=datetime.now(UTC),
                    author="shipped file",
                    sha256=hashlib.sha256(before.encode()).hexdigest(),
                    content=before,
                )
            )
            top = 1
        number = (top or 0) + 1
        conn.execute(
            sa.insert(reference_versions).values(
                file=name,
                number=number,
                created_at=datetime.now(UTC),
                author=user.name,
                sha256=digest,
                content=text,
            )
        )
        audit.record(
            store,
            user,
            audit.REFERENCE_CHANGE,
            subject=f"{name}.csv",
            from_version=top,
            to_version=number,
            detail=audit.detail("reference_rows", rows=len(frame)),
            conn=conn,
        )
        _write(path, text)  # inside the transaction: a failed write leaves no version behind
    load_reference.cache_clear()
    return number


def latest_id(store) -> int:
    """The id of the newest reference version saved by any process (0: none): part of the key of
    every cache whose numbers depend on the reference data."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.max(reference_versions.c.id))).scalar() or 0


_synced: dict[str, int] = {}


def sync_folder(store, where: Path | None = None) -> bool:
    """Bring the folder's files up to the latest versions saved by any app process; True if changed."""
    where = where or folder()
    latest = sa.select(
        reference_versions.c.file, sa.func.max(reference_versions.c.id).label("id")
    ).group_by(reference_versions.c.file)
    with store.engine.connect() as conn:
        ids = {row.file: row.id for row in conn.execute(latest)}
        changed = False
        for name, version_id in ids.items():
            key = f"{where}:{name}"
            if _synced.get(key) == version_id or name not in FILES:
                continue
            text = conn.execute(
                sa.select(reference_versions.c.content).where(reference_versions.c.id == version_id)
            ).scalar_one()
            path = _path(name, where)
            if not path.exists() or path.read_text(encoding="utf-8-sig") != text:
                _write(path, text)
                changed = True
            _synced[key] = version_id
    if changed:
        load_reference.cache_clear()
    return changed
