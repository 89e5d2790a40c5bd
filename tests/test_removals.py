"""Removals explained (issue #12): an upload that removes rows is committed with a one-line reason,
kept with the version (migration 0007), shown in the version history, the audit trail and the
board's story; the upload page and `ingest` ask for it."""

import pandas as pd
import sqlalchemy as sa
from pptx import Presentation

from analytics import cli
from analytics.access.roles import ADMIN, User
from analytics.board import story
from analytics.indicators import prepare
from analytics.reference.load import load_reference
from analytics.services import ingest
from analytics.store import audit
from analytics.store.history import versions_frame
from analytics.store.removals import removals, removed_text
from analytics.store.versions import open_store
from tests.test_ingest_cli import db as cli_db  # noqa: F401 - the CLI tests' store fixture
from tests.test_ingest_cli import ingest as run_ingest
from tests.test_reports import _alembic
from tests.test_upload_page import app, db, send, texts  # noqa: F401 - db: the app's store
from tests.workbooks import contribution, partner, valid_register

HQ = User("hq", ADMIN)
REASON = "duplicates merged"


def _prepare(store, path):
    return ingest.prepare(store, path.read_bytes(), path.name, "RBD", "Awa", user=HQ)


def _smaller(tmp_path):
    """valid_register without P2 and its contribution C2: 1 partner and 1 contribution removed."""
    return valid_register(
        tmp_path / "v2.xlsx", partners=[partner("P1")], contributions=[contribution("C1", "P1")]
    )


def test_the_reason_is_kept_with_the_version_and_said_everywhere(store, tmp_path):
    ingest.commit(store, _prepare(store, valid_register(tmp_path / "v1.xlsx")), "Awa", user=HQ)
    prepared = _prepare(store, _smaller(tmp_path))
    assert prepared.removes_rows
    assert prepared.removed == {"partners": 1, "contributions": 1}
    # Asked for (the page and the command line), a reason is needed, and at most 200 characters.
    for reason, code in ((None, "missing"), ("  \n ", "missing"), ("x" * 201, "too_long")):
        try:
            ingest.commit(store, prepared, "Awa", user=HQ, reason=reason, require_reason=True)
        except ingest.ReasonNeeded as needed:
            assert needed.code == f"removals.reason_{code}"
        else:
            raise AssertionError(f"committed with the reason {reason!r}")
    # Called directly, with no one asked: still refused (only a restore or a seed may opt out).
    try:
        ingest.commit(store, prepared, "Awa", user=HQ)
    except ingest.ReasonNeeded as needed:
        assert needed.code == "removals.reason_missing"
    else:
        raise AssertionError("committed a removal with no reason")
    assert store.current_version("RBD").number == 1
    version = ingest.commit(
        store, prepared, "Awa", user=HQ, reason=f"  {REASON}\n", require_reason=True
    )
    assert version.removal_reason == REASON  # on one line, trimmed
    assert store.version(version.id).removal_reason == REASON
    history = versions_frame(store.versions("RBD"), "fr")
    assert history["Pourquoi des lignes ont été retirées"].tolist() == [REASON, ""]
    assert versions_frame(store.versions("RBD"), "en")["Why rows were removed"].tolist() == [
        REASON,
        "",
    ]
    commits = audit.entries(store, HQ, actions=[audit.COMMIT], lang="en")
    assert commits["detail"].iloc[0] == (
        "upload, removing 1 partner and 1 contribution: 'duplicates merged'"
    )
    fr = audit.entries(store, HQ, actions=[audit.COMMIT], lang="fr")["detail"].iloc[0]
    assert fr.endswith("retrait de 1 partenaire et 1 contribution\u00a0: « duplicates merged »")
    assert commits["detail"].iloc[1] == "upload"
    [removal] = removals(store)
    assert (removal.region, removal.number, removal.reason) == ("RBD", 2, REASON)
    assert removal.removed == {"partners": 1, "contributions": 1, "agreements": 0, "reports": 0}


def test_the_summary_says_who_removed_what_and_why(store, db_url, tmp_path):
    ingest.commit(store, _prepare(store, valid_register(tmp_path / "v1.xlsx")), "Awa", user=HQ)
    version = ingest.commit(
        store, _prepare(store, _smaller(tmp_path)), "Awa", user=HQ, reason=REASON
    )
    partners, contributions = store.load_current()
    prepared = prepare(partners, contributions, load_reference())
    year = version.created_at.year
    found = removals(store)
    en = story.summary(prepared, year, lang="en", removals=found)
    fr = story.summary(prepared, year, lang="fr", removals=found)
    assert en[-1].text == "RBD removed 1 partner and 1 contribution: 'duplicates merged'."
    assert (
        fr[-1].text == "RBD a retiré 1 partenaire et 1 contribution\u00a0: « duplicates merged »."
    )
    assert en[-1].as_dict() == {
        "indicator": "removed_rows",
        "value": 2,
        "previous": None,
        "groups": ["RBD"],
        "text": en[-1].text,
    }
    assert story.item_page(en[-1]) == "data/data_quality"
    # Another year, or a view of other regions: not this view's removal.
    assert story.removal_items(prepared, year - 1, story.Filters(), found, "en") == []
    others = story.Filters(regions=("RBN",))
    assert story.removal_items(prepared, year, others, found, "en") == []
    # The deck's story slide says it too (`export` reads the removals from the store).
    out = tmp_path / "deck.pptx"
    assert cli.main(["export", str(out), "--db", db_url, "--year", str(year)]) == 0
    story_slide = Presentation(str(out)).slides[1]
    said = [
        p.text
        for shape in story_slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
    ]
    assert f"• {en[-1].text}" in said  # a bullet of the slide


def test_removed_text_names_only_the_sheets_that_lose_rows():
    assert removed_text({"partners": 4, "contributions": 0}, "en") == "4 partners"
    assert removed_text({"partners": 0, "contributions": 0, "reports": 2}, "fr") == "2 rapports"
    three = {"partners": 1, "contributions": 3, "agreements": 1}
    assert removed_text(three, "en") == "1 partner, 3 contributions and 1 agreement"


def test_migration_0007_keeps_versions_written_by_the_previous_schema(db_url, tmp_path):
    """A store at 0006 (no removal_reason) upgrades readably; its versions have no reason."""
    store = open_store(db_url)
    try:
        v1 = ingest.commit(
            store, _prepare(store, valid_register(tmp_path / "v1.xlsx")), "Awa", user=HQ
        )
        before = store.load_version(v1.id)
        _alembic(store.engine, "downgrade", "0006")
        columns = {c["name"] for c in sa.inspect(store.engine).get_columns("versions")}
        assert "removal_reason" not in columns and "n_contributions" in columns
        _alembic(store.engine, "upgrade", "head")
    finally:
        store.close()
    store = open_store(db_url)
    try:
        assert store.version(v1.id).removal_reason is None
        assert store.load_version(v1.id).partners.equals(before.partners)
        assert removals(store) == []
        v2 = ingest.commit(
            store, _prepare(store, _smaller(tmp_path)), "Awa", user=HQ, reason=REASON
        )
        assert store.version(v2.id).removal_reason == REASON
    finally:
        store.close()


def test_ingest_needs_a_reason_to_remove_rows(tmp_path, cli_db):  # noqa: F811
    assert (
        run_ingest(
            valid_register(tmp_path / "v1.xlsx"), "--region", "RBD", "--yes", db=cli_db
        ).returncode
        == 0
    )
    smaller = _smaller(tmp_path)
    run = run_ingest(smaller, "--region", "RBD", "--yes", db=cli_db)
    assert run.returncode == 2
    assert (
        "Refused: this upload would remove 1 partner and 1 contribution. Say why with --reason TEXT"
        in run.stderr
    )
    too_long = run_ingest(smaller, "--region", "RBD", "--yes", "--reason", "x" * 201, db=cli_db)
    assert too_long.returncode == 2 and "longer than 200 characters" in too_long.stderr
    store = open_store(cli_db)
    try:
        assert store.current_version("RBD").number == 1  # nothing stored
    finally:
        store.close()
    run = run_ingest(smaller, "--region", "RBD", "--yes", "--reason", REASON, db=cli_db)
    assert run.returncode == 0, run.stderr
    store = open_store(cli_db)
    try:
        assert store.current_version("RBD").removal_reason == REASON
    finally:
        store.close()


def test_the_upload_page_asks_why_and_the_history_shows_it(db, tmp_path):  # noqa: F811
    send(app("app_pages/data/upload.py"), valid_register(tmp_path / "v1.xlsx")).button(
        key="commit"
    ).click().run()
    at = send(app("app_pages/data/upload.py"), _smaller(tmp_path), name="Binta")
    assert not at.exception
    [reason] = [w for w in at.text_input if w.key.startswith("removal_reason_")]
    assert (
        reason.label
        == "Why does this upload remove 1 partner and 1 contribution? (required, one line)"
    )
    assert reason.max_chars == 200
    at = at.checkbox[0].check().run()
    assert at.button(key="commit").disabled  # ticked, but no reason yet
    assert "Say why these rows are removed to commit." in texts(at.caption)
    at = at.text_input(key=reason.key).input("   ").run()
    assert at.button(key="commit").disabled  # spaces are no reason
    at = at.text_input(key=reason.key).input(REASON).run()
    assert not at.button(key="commit").disabled
    at.button(key="commit").click().run()
    assert not at.exception
    store = open_store(db)
    try:
        assert store.current_version("RBD").removal_reason == REASON
    finally:
        store.close()
    quality = app("app_pages/data/data_quality.py")
    quality.selectbox(key="quality_region").set_value("RBD").run()
    assert not quality.exception
    table = next(d.value for d in quality.dataframe if "Version" in d.value.columns)
    # The first version removed nothing: no reason (blank, which the table helper shows as a dash).
    why = table["Why rows were removed"].tolist()
    assert why[0] == REASON and (why[1] == "" or pd.isna(why[1])) and len(why) == 2
