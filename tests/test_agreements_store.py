"""Agreements and reports as part of a region's version, on SQLite and PostgreSQL (migration 0005)."""

import datetime as dt

import sqlalchemy as sa

from analytics.access.roles import ADMIN, User
from analytics.services import ingest
from analytics.store.changes import change_lines, counts_frame
from analytics.store.versions import open_store
from tests.test_agreements_register import agreement, book, report_row
from tests.test_reports import _alembic
from tests.workbooks import valid_register

# Uploads here that remove rows give a reason, as the upload page and `ingest` ask for one.
REMOVED = "rows removed on purpose"

HQ = User("hq", ADMIN)


def _commit(store, path, name):
    prepared = ingest.prepare(store, path.read_bytes(), name, "RBD", "Awa", user=HQ)
    assert prepared.report.ok, prepared.report.errors
    if prepared.identical:
        return prepared, None
    return prepared, ingest.commit(store, prepared, "Awa", user=HQ, reason=REMOVED)


def test_agreements_and_reports_are_stored_diffed_and_restored(store, tmp_path):
    first = book(tmp_path, agreements=[agreement("A1"), agreement("A2")], name="v1.xlsx")
    _, v1 = _commit(store, first, "v1.xlsx")
    loaded = store.load_version(v1.id)
    assert loaded.agreements["agreement_id"].tolist() == ["A1", "A2"]
    assert loaded.reports["report_id"].tolist() == ["R1"]
    assert loaded.contributions["agreement_id"].tolist() == ["A1"]
    assert loaded.agreements["end_date"].iat[0] == dt.datetime(2025, 1, 31)

    # The same workbook again: nothing stored.
    again, none = _commit(
        store,
        book(tmp_path, name="v1b.xlsx", agreements=[agreement("A1"), agreement("A2")]),
        "v1b.xlsx",
    )
    assert again.identical and none is None

    # A2 removed, A1's officer changed, a report added: the preview says so.
    second = book(
        tmp_path,
        agreements=[agreement("A1", officer="Moussa Fall"), agreement("A3")],
        reports=[report_row("R1"), report_row("R2", kind="final", due_date=dt.date(2025, 2, 28))],
        name="v2.xlsx",
    )
    prepared = ingest.prepare(store, second.read_bytes(), "v2.xlsx", "RBD", "Awa", user=HQ)
    change = prepared.change
    assert change.agreements.counts() == {"added": 1, "changed": 1, "removed": 1}
    assert change.reports.counts() == {"added": 1, "changed": 0, "removed": 0}
    assert change.agreements.changed["field"].tolist() == ["officer"]
    counts = counts_frame(change, "fr")
    assert counts.iloc[:, 0].tolist() == ["Partenaires", "Contributions", "Accords", "Rapports"]
    lines = change_lines(prepared, "en")
    assert "Agreements: 1 added, 1 changed, 1 removed." in lines
    assert "  - A2  Agreement A2" in lines
    v2 = ingest.commit(store, prepared, "Awa", user=HQ, reason=REMOVED)
    assert store.load_version(v2.id).agreements["officer"].tolist() == ["Moussa Fall", "Awa Diop"]

    # Restoring version 1 brings its agreements and reports back.
    v3 = ingest.restore(store, "RBD", v1.number, "Awa", v2.number, user=HQ)
    restored = store.load_version(v3.id)
    assert restored.agreements.equals(loaded.agreements)
    assert restored.reports.equals(loaded.reports)
    assert restored.contributions.equals(loaded.contributions)


def test_a_register_without_the_sheets_shows_no_follow_up_in_the_preview(store, tmp_path):
    path = valid_register(tmp_path / "old.xlsx")
    prepared, version = _commit(store, path, "old.xlsx")
    assert prepared.change.agreements is None and prepared.change.sheets == (
        "partners",
        "contributions",
    )
    assert not [line for line in change_lines(prepared, "en") if "Agreements" in line]
    assert store.load_version(version.id).agreements.empty


def test_migration_0005_keeps_versions_written_by_the_previous_schema(db_url, tmp_path):
    """A store at 0004 (no agreement tables, no contributions.agreement_id) upgrades readably."""
    store = open_store(db_url)
    try:
        _, version = _commit(store, valid_register(tmp_path / "v1.xlsx"), "v1.xlsx")
        before = store.load_version(version.id)
        _alembic(store.engine, "downgrade", "0004")
        inspector = sa.inspect(store.engine)
        assert "agreements" not in inspector.get_table_names()
        columns = {c["name"] for c in inspector.get_columns("contributions")}
        assert "agreement_id" not in columns
        _alembic(store.engine, "upgrade", "head")
    finally:
        store.close()
    store = open_store(db_url)
    try:
        after = store.load_version(version.id)
        assert after.partners.equals(before.partners)
        assert after.contributions.equals(before.contributions)
        assert after.agreements.empty and after.reports.empty
        # The same file again is identical to the upgraded version: nothing stored.
        again, none = _commit(store, tmp_path / "v1.xlsx", "v1.xlsx")
        assert again.identical and none is None
    finally:
        store.close()
