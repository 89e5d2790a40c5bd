"""The versioned store on real SQLite files: round trip, identical and stale uploads, restore, failures."""

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from analytics.access.roles import ADMIN, User
from analytics.config import ROOT
from analytics.register.reading import load_workbook
from analytics.services import ingest
from analytics.store.records import StaleRegister
from analytics.store.tables import metadata
from analytics.store.versions import open_store
from tests.workbooks import contribution, partner, valid_register

# Uploads here that remove rows give a reason, as the upload page and `ingest` ask for one.
REMOVED = "rows removed on purpose"

SAMPLES = ROOT / "data" / "sample"
HQ = User("hq", ADMIN)  # the acting user of these tests (the uploader names are given apart)


@pytest.fixture
def store(tmp_path):
    opened = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


def upload(store, path: Path, region="RBD", uploader="Awa"):
    """Prepare an upload the way the page and the CLI do."""
    return ingest.prepare(store, path.read_bytes(), path.name, region, uploader, user=HQ)


def test_migrations_create_exactly_the_declared_tables(store):
    """The Alembic migrations and analytics/store/tables.py agree (a new column needs a migration)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as conn:
        diffs = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diffs == []


def test_round_trip_gives_back_the_register_as_read(store):
    """A sample register committed and read back has the same rows, values and dtypes."""
    data = (SAMPLES / "RBD.xlsx").read_bytes()
    register = load_workbook(data, region="RBD").register
    upload_id = store.record_upload("RBD", "RBD.xlsx", data, "Awa", user=HQ)
    version = store.commit(
        "RBD", register, upload_id=upload_id, uploader="Awa", expected_number=0, user=HQ
    )
    assert (version.number, version.n_partners, version.n_contributions) == (1, 60, 700)
    back = store.load_version(version.id)
    pd.testing.assert_frame_equal(back.partners, register.partners)
    pd.testing.assert_frame_equal(back.contributions, register.contributions)
    partners, contributions = store.load_current()
    assert len(partners) == 60 and set(contributions["region"]) == {"RBD"}
    assert store.upload_file(upload_id, user=HQ) == ("RBD.xlsx", data)


def test_identical_reupload_stores_nothing_but_keeps_the_attempt(store, tmp_path):
    """The same file twice: one version, two uploads, the second marked identical."""
    path = valid_register(tmp_path / "rbd.xlsx")
    first = upload(store, path)
    assert first.status == "validated" and first.current is None
    assert ingest.commit(store, first, "Awa", user=HQ, reason=REMOVED).number == 1
    second = upload(store, path, uploader="Binta")
    assert second.identical and second.status == "identical"
    assert ingest.commit(store, second, "Binta", user=HQ, reason=REMOVED).identical
    assert len(store.versions("RBD")) == 1
    assert store.uploads("RBD", user=HQ)["status"].tolist() == ["identical", "committed"]


def test_same_content_in_a_resaved_file_is_identical(store, tmp_path):
    """Another file with the same register (rows in another order) is identical too."""
    ingest.commit(
        store, upload(store, valid_register(tmp_path / "a.xlsx")), "Awa", user=HQ, reason=REMOVED
    )
    rows = [contribution("C2", "P2", amount=250.5), contribution("C1", "P1")]
    again = upload(store, valid_register(tmp_path / "b.xlsx", contributions=rows))
    assert again.identical and again.change.identical
    assert len(store.versions("RBD")) == 1


def test_stale_upload_is_refused_and_the_other_commit_stays(store, tmp_path):
    """Two focal points compare against version 1; the second to commit is told, nothing overwritten."""
    ingest.commit(
        store, upload(store, valid_register(tmp_path / "v1.xlsx")), "Awa", user=HQ, reason=REMOVED
    )
    mine = upload(
        store,
        valid_register(
            tmp_path / "mine.xlsx", partners=[partner("P1"), partner("P2", stage="closed")]
        ),
    )
    theirs = upload(
        store,
        valid_register(
            tmp_path / "theirs.xlsx", partners=[partner("P1"), partner("P2", sector="retail")]
        ),
    )
    assert mine.expected_number == theirs.expected_number == 1
    assert ingest.commit(store, theirs, "Binta", user=HQ, reason=REMOVED).number == 2
    with pytest.raises(StaleRegister) as caught:
        ingest.commit(store, mine, "Awa", user=HQ, reason=REMOVED)
    assert caught.value.current.number == 2 and caught.value.current.uploader == "Binta"
    current = store.load_version(store.current_version("RBD").id)
    assert current.partners["sector"].tolist() == ["banking", "retail"]
    assert store.uploads("RBD", user=HQ).set_index("id").loc[mine.upload_id, "status"] == "stale"
    # Compared again with version 2, the same upload commits as version 3.
    again = ingest.compare(store, mine)
    assert again.change.partners.changed["field"].tolist() == ["sector", "stage"]
    assert ingest.commit(store, again, "Awa", user=HQ, reason=REMOVED).number == 3


def test_restore_is_a_new_version_with_the_old_content(store, tmp_path):
    """Restoring version 1 after version 2 makes version 3, equal to version 1."""
    v1 = ingest.commit(
        store, upload(store, valid_register(tmp_path / "v1.xlsx")), "Awa", user=HQ, reason=REMOVED
    )
    two = valid_register(tmp_path / "v2.xlsx", contributions=[contribution("C1", "P1", amount=9)])
    ingest.commit(store, upload(store, two), "Awa", user=HQ, reason=REMOVED)
    v3 = ingest.restore(store, "RBD", 1, uploader="HQ admin", expected_number=2, user=HQ)
    assert (v3.number, v3.status, v3.restored_from, v3.uploader) == (3, "restore", 1, "HQ admin")
    pd.testing.assert_frame_equal(
        store.load_version(v3.id).contributions, store.load_version(v1.id).contributions
    )
    assert store.versions("RBD")["number"].tolist() == [3, 2, 1]
    # Restoring what is already current stores nothing; a restore from an old view is stale.
    assert ingest.restore(store, "RBD", 1, uploader="HQ", expected_number=3, user=HQ).identical
    with pytest.raises(StaleRegister):
        ingest.restore(store, "RBD", 2, uploader="HQ", expected_number=2, user=HQ)


def test_failure_half_way_leaves_the_previous_version_current_and_intact(store, tmp_path):
    """The database refuses the last contribution row: no trace of the new version, the old one whole."""
    v1 = ingest.commit(
        store, upload(store, valid_register(tmp_path / "v1.xlsx")), "Awa", user=HQ, reason=REMOVED
    )
    before = store.load_version(v1.id)
    rows = [contribution(f"C{i}", "P1") for i in range(1, 30)] + [contribution("LAST", "P2")]
    path = valid_register(
        tmp_path / "v2.xlsx",
        partners=[partner("P1"), partner("P2"), partner("P9")],
        contributions=rows,
    )
    with store.engine.begin() as conn:  # a real failure inside the database, after 32 rows went in
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse_last BEFORE INSERT ON contributions WHEN NEW.contribution_id = 'LAST' "
            "BEGIN SELECT RAISE(ABORT, 'simulated failure: disk full'); END"
        )
    prepared = upload(store, path)
    with pytest.raises(sa.exc.IntegrityError, match="disk full"):
        ingest.commit(store, prepared, "Awa", user=HQ, reason=REMOVED)

    assert store.current_version("RBD").number == 1
    assert store.versions("RBD")["number"].tolist() == [1]
    after = store.load_version(v1.id)
    pd.testing.assert_frame_equal(after.partners, before.partners)
    pd.testing.assert_frame_equal(after.contributions, before.contributions)
    with store.engine.connect() as conn:  # no orphan rows of the aborted version
        assert conn.exec_driver_sql("SELECT count(*) FROM partners").scalar() == 2
        assert conn.exec_driver_sql("SELECT count(*) FROM contributions").scalar() == 2
    assert store.upload_file(prepared.upload_id, user=HQ) == ("v2.xlsx", path.read_bytes())
    assert (
        store.uploads("RBD", user=HQ).set_index("id").loc[prepared.upload_id, "status"] == "failed"
    )
    # Once the database accepts it again, the same upload commits as version 2.
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER refuse_last")
    assert ingest.commit(store, prepared, "Awa", user=HQ, reason=REMOVED).n_contributions == 30


def test_rejected_and_unreadable_uploads_are_kept(store, tmp_path):
    """A file with errors and a file that is not a workbook are both kept, and nothing is committed."""
    bad = valid_register(tmp_path / "bad.xlsx", contributions=[contribution("C1", "P404")])
    rejected = upload(store, bad)
    junk = tmp_path / "notes.xlsx"
    junk.write_bytes(b"not a workbook")
    unreadable = upload(store, junk)
    assert (rejected.status, unreadable.status) == ("rejected", "unreadable")
    assert rejected.change is None and store.current_version("RBD") is None
    uploads = store.uploads("RBD", user=HQ)
    assert uploads["status"].tolist() == ["unreadable", "rejected"]
    assert uploads["n_errors"].tolist()[1] >= 1
    assert store.upload_file(unreadable.upload_id, user=HQ)[1] == b"not a workbook"
    assert store.upload_file(rejected.upload_id, user=HQ)[1] == bad.read_bytes()


def test_seeding_loads_each_sample_once_as_sample_data(store):
    """An empty store gets the six samples as version 1, labelled; a second call does nothing."""
    loaded = store.seed_samples_if_empty(SAMPLES)
    assert sorted(v.region for v in loaded) == ["RBB", "RBC", "RBD", "RBJ", "RBN", "RBP"]
    assert all(v.is_sample and v.status == "sample" and v.number == 1 for v in loaded)
    assert store.seed_samples_if_empty(SAMPLES) == []
    assert len(store.versions()) == 6


def test_completeness_counts_uploads_of_the_year_only(store, tmp_path):
    """Samples are not submissions; an upload this year is; regions never seen are listed too."""
    store.seed_samples_if_empty(SAMPLES)
    ingest.commit(
        store, upload(store, valid_register(tmp_path / "rbd.xlsx")), "Awa", user=HQ, reason=REMOVED
    )
    year = datetime.now(UTC).year
    table = store.completeness(year).set_index("region")
    assert table.loc["RBD", "submitted"] and table.loc["RBD", "last_submitted_by"] == "Awa"
    assert table.loc["RBD", ["version", "n_partners", "is_sample"]].tolist() == [2, 2, False]
    assert not table.loc["RBB", "submitted"] and table.loc["RBB", "is_sample"]
    assert not store.completeness(year - 1).set_index("region").loc["RBD", "submitted"]


def test_empty_store_reads_as_empty(store):
    """A new store answers every question without error."""
    assert store.is_empty() and store.current_versions() == {}
    assert store.versions().empty and store.uploads(user=HQ).empty
    partners, contributions = store.load_current()
    assert partners.empty and contributions.empty
    assert not store.completeness(2025)["submitted"].any()
