"""Reports hold codes, not text: written in the reader's language when shown, kept with the upload."""

import inspect
import json

import pytest
import sqlalchemy as sa

from analytics.access.roles import ADMIN, User
from analytics.register import parsing
from analytics.register.checking import check_upload
from analytics.register.headers import header_problems
from analytics.register.messages import as_json, format_text, message, report_frame
from analytics.register.reading import load_workbook
from analytics.register.report import ERROR, Issue, Report
from analytics.register.validation import validate_register
from analytics.services import ingest
from analytics.store.reports import stored_report
from analytics.store.versions import MIGRATIONS_DIR, open_store
from tests.workbooks import contribution, partner, valid_register

HQ = User("hq", ADMIN)


def _bad_register(tmp_path):
    """A workbook with an error of each layer: a cell not understood, a rule, a warning."""
    return valid_register(
        tmp_path / "bad.xlsx",
        partners=[partner("P1"), partner("P2", stage="active", start_date=None)],
        contributions=[
            contribution("C1", "P1", amount="12abc"),
            contribution("C2", "P404", status="promised"),
            contribution("C3", "P1", amount="1,500"),
        ],
    )


@pytest.mark.parametrize(
    "function",
    [
        load_workbook,
        check_upload,
        validate_register,
        header_problems,
        parsing.parse_number,
        parsing.parse_amount_text,
        parsing.parse_code,
        ingest.prepare,
    ],
)
def test_the_language_no_longer_enters_reading_parsing_or_validation(function):
    assert "lang" not in inspect.signature(function).parameters


def test_an_issue_holds_no_text_and_refuses_an_undeclared_code():
    issue = Issue(ERROR, "Partners", 2, "amount", "12abc", "bad_number")
    assert not hasattr(issue, "message")
    with pytest.raises(ValueError, match="undeclared"):
        Issue(ERROR, "Partners", 2, "amount", "12abc", "no_such_code")


def test_one_report_reads_in_either_language(tmp_path):
    """Read once; each issue's message in English and in French, the codes and places unchanged."""
    report = load_workbook(_bad_register(tmp_path), region="RBD").report
    codes = [i.code for i in report.issues]
    assert {"bad_number", "unknown_code", "unknown_partner", "start_date_required"} <= set(codes)
    en = [message(i, "en") for i in report.issues]
    fr = [message(i, "fr") for i in report.issues]
    assert all(e != f for e, f in zip(en, fr, strict=True))
    assert not any(m.startswith(("errors.", "warnings.")) for m in en + fr)
    unknown = next(i for i in report.errors if i.code == "unknown_code")
    # The accepted values are labelled in the reader's language, not the uploader's.
    assert "(Pledged)" in message(unknown, "en") and "(Promis)" in message(unknown, "fr")
    assert report_frame(report, "fr").columns[0] == "Gravité"
    assert format_text(report, "fr", "bad.xlsx").startswith("Fichier\u00a0: bad.xlsx")
    shown = as_json(report, "fr")
    assert [e["message"] for e in shown["errors"]] == fr[: len(report.errors)]


def test_a_stored_report_is_language_neutral_and_reads_back_the_same(tmp_path):
    report = load_workbook(_bad_register(tmp_path), region="RBD").report
    text = report.to_stored()
    assert "is not a number" not in text and "n'est pas un nombre" not in text
    back = Report.from_stored(text)
    assert back.issues == report.issues and back.unreadable == report.unreadable
    assert [message(i, "fr") for i in back.issues] == [message(i, "fr") for i in report.issues]
    json.loads(text)  # plain JSON: dates as ISO text, numbers as numbers


def test_dates_in_messages_are_written_when_read(tmp_path):
    """A review date is kept as an ISO date and written as each language writes dates."""
    path = valid_register(
        tmp_path / "r.xlsx",
        partners=[partner("P1", last_review="2020-03-14")],
        contributions=[contribution("C1", "P1")],
    )
    (warning,) = [
        w for w in load_workbook(path, region="RBD").report.warnings if w.code == "review_overdue"
    ]
    assert warning.params == {"reviewed": "2020-03-14"}
    assert "Mar 14, 2020" in message(warning, "en") and "14 mars 2020" in message(warning, "fr")


def test_region_mismatch_is_one_error_per_region_named(tmp_path):
    """#13.3: a workbook for RBN sent as RBD is one error for RBN, with its row count and first row."""
    path = valid_register(
        tmp_path / "m.xlsx",
        partners=[partner(f"P{i}", region="RBN") for i in range(1, 5)]
        + [partner("P5", region="RBJ"), partner("P6")],
        contributions=[contribution("C1", "P1")],
    )
    report = load_workbook(path, region="RBD").report
    mismatch = [i for i in report.errors if i.code == "region_mismatch"]
    assert [(i.value, i.row, i.params["count"]) for i in mismatch] == [("RBN", 2, 4), ("RBJ", 6, 1)]
    assert message(mismatch[0], "en") == (
        "4 rows are for region 'RBN' (the first is row 2), but the workbook is submitted for 'RBD'."
    )
    assert message(mismatch[1], "en") == (
        "Row 6 is for region 'RBJ', but the workbook is submitted for 'RBD'."
    )
    assert "4 lignes concernent la région « RBN »" in message(mismatch[0], "fr")


def test_the_ingest_service_keeps_the_report_with_the_upload(db_url, tmp_path):
    """On SQLite and PostgreSQL: every upload's report is kept, and reads back in any language."""
    store = open_store(db_url)
    try:
        bad = _bad_register(tmp_path).read_bytes()
        rejected = ingest.prepare(store, bad, "bad.xlsx", "RBD", "Awa", user=HQ)
        assert rejected.status == ingest.REJECTED
        kept = stored_report(store, rejected.upload_id, user=HQ)
        assert kept.issues == rejected.report.issues
        good = valid_register(tmp_path / "good.xlsx").read_bytes()
        validated = ingest.prepare(store, good, "good.xlsx", "RBD", "Awa", user=HQ)
        assert validated.status == ingest.VALIDATED
        assert stored_report(store, validated.upload_id, user=HQ).issues == []
        unreadable = ingest.prepare(store, b"%PDF-1.4", "x.xlsx", "RBD", "Awa", user=HQ)
        back = stored_report(store, unreadable.upload_id, user=HQ)
        assert back.unreadable and "not an Excel workbook" in message(back.errors[0], "en")
    finally:
        store.close()


def _alembic(engine, action: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def test_migration_0004_keeps_earlier_versions_and_uploads_readable(db_url, tmp_path):
    """A store from before 0004 (its uploads without reports) is upgraded: all of it reads back."""
    store = open_store(db_url)
    try:
        data = valid_register(tmp_path / "v1.xlsx").read_bytes()
        prepared = ingest.prepare(store, data, "v1.xlsx", "RBD", "Awa", user=HQ)
        version = ingest.commit(store, prepared, "Awa", user=HQ)
        before = store.load_version(version.id)
        _alembic(store.engine, "downgrade", "0003")
        columns = {c["name"] for c in sa.inspect(store.engine).get_columns("uploads")}
        assert "report" not in columns
        _alembic(store.engine, "upgrade", "head")
    finally:
        store.close()
    store = open_store(db_url)
    try:
        after = store.load_version(version.id)
        assert after.partners.equals(before.partners)
        assert after.contributions.equals(before.contributions)
        uploads = store.uploads("RBD", user=HQ)
        assert uploads["status"].tolist() == ["committed"]
        assert stored_report(store, prepared.upload_id, user=HQ) is None  # older: none kept
    finally:
        store.close()
