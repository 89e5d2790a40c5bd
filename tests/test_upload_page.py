"""The upload and data-quality pages through Streamlit's AppTest, the file given to the real file input."""

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access.roles import ADMIN, FOCAL_POINT, User
from analytics.config import ROOT
from analytics.i18n import fmt_money, t
from analytics.services import ingest
from analytics.store.versions import open_store
from tests.workbooks import contribution, partner, valid_register

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def db(tmp_path, monkeypatch):
    """An empty store for the app (no samples are loaded into it)."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    (tmp_path / "no-samples").mkdir()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "no-samples"))
    return url


def app(page: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.switch_page(page)
    return at.run()


def send(at: AppTest, path, name="Awa") -> AppTest:
    """Pick RBD, type a name, drop the file in the file input."""
    at.selectbox(key="upload_region").set_value("RBD")
    at.text_input(key="uploader_name").set_value(name)
    at.file_uploader[0].set_value((path.name, path.read_bytes(), XLSX))
    return at.run()


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def versions(url) -> list[tuple]:
    store = open_store(url)
    try:
        v = store.versions("RBD")
        return list(zip(v["number"], v["status"], v["uploader"], strict=True))
    finally:
        store.close()


def test_pages_on_an_empty_store(db):
    """Both pages open on an empty store without error and say what to do."""
    at = app("app_pages/data/upload.py")
    assert not at.exception
    assert texts(at.info) == [
        "Drop your workbook above. Nothing is stored until it is valid and you confirm."
    ]
    at = app("app_pages/data/data_quality.py")
    assert not at.exception
    assert any("has no version yet" in m for m in texts(at.info))
    assert texts(at.warning)[0].startswith("Not submitted in")


def test_upload_preview_commit_and_the_register_follows(db, tmp_path):
    """A first upload: report, preview (everything added), commit, the pages' register shows it."""
    from ui.data import current_register

    assert len(current_register()[0]) == 0
    at = send(app("app_pages/data/upload.py"), valid_register(tmp_path / "rbd.xlsx"))
    assert not at.exception
    assert texts(at.success)[0] == "The workbook is valid: 2 partners and 2 contributions."
    counts, added_partners = (
        at.dataframe[0].value,
        at.dataframe[1].value,
    )  # no issues table: none found
    assert counts.values.tolist() == [["Partners", 2, 0, 0], ["Contributions", 2, 0, 0]]
    assert added_partners["Partner ID"].tolist() == ["P1", "P2"]
    # USD before and after: 0, then 1000 + 250.5 (both in USD)
    assert [m.value for m in at.metric][-2:] == [fmt_money(0.0, "en"), fmt_money(1250.5, "en")]
    button = at.button(key="commit")
    assert button.label == "Commit as version 1 of RBD" and not button.disabled
    at = button.click().run()
    assert not at.exception
    assert texts(at.success) == [
        "Stored as version 1 of RBD Dakar – Western Africa. The dashboards now show it."
    ]
    assert versions(db) == [(1, "upload", "Awa")]
    assert len(current_register()[0]) == 2  # the cached register follows the commit
    assert len(at.file_uploader) == 1 and texts(at.info)[0].startswith(
        "Drop your workbook"
    )  # input emptied

    again = send(app("app_pages/data/upload.py"), valid_register(tmp_path / "rbd.xlsx"))
    assert any(
        m.startswith("This workbook is identical to version 1 of RBD") for m in texts(again.info)
    )
    assert "commit" not in [b.key for b in again.button]
    assert versions(db) == [(1, "upload", "Awa")]


def _reason_input(at):
    return next(w for w in at.text_input if w.key.startswith("removal_reason_"))


def test_removals_must_be_confirmed(db, tmp_path):
    """An upload that drops a partner and its contribution: the commit waits for the checkbox."""
    at = send(app("app_pages/data/upload.py"), valid_register(tmp_path / "v1.xlsx"))
    at.button(key="commit").click().run()
    smaller = valid_register(
        tmp_path / "v2.xlsx", partners=[partner("P1")], contributions=[contribution("C1", "P1")]
    )
    at = send(app("app_pages/data/upload.py"), smaller, name="Binta")
    assert not at.exception
    box = at.checkbox[0]
    assert (
        box.label
        == "I confirm that 1 partner and 1 contribution are to be removed from the register."
    )
    assert at.button(key="commit").disabled
    # The reason the removal needs (issue #12), typed first: the checkbox still holds the commit.
    at = _reason_input(at).input("duplicates merged").run()
    assert at.button(key="commit").disabled
    at = at.checkbox[0].check().run()
    assert not at.button(key="commit").disabled
    at.button(key="commit").click().run()
    assert not at.exception
    assert versions(db) == [(2, "upload", "Binta"), (1, "upload", "Awa")]


def test_errors_block_the_commit_and_the_file_is_kept(db, tmp_path):
    """A contribution of an unknown partner: the report, no commit button, the file kept as rejected."""
    at = send(
        app("app_pages/data/upload.py"),
        valid_register(tmp_path / "bad.xlsx", contributions=[contribution("C1", "P404")]),
    )
    assert not at.exception
    assert texts(at.error)[0].startswith("1 error and 0 warnings")  # plural forms (#14)
    assert "commit" not in [b.key for b in at.button]
    store = open_store(db)
    assert store.uploads("RBD", user=User("hq", ADMIN))["status"].tolist() == ["rejected"]
    store.close()


def test_register_changed_since_you_looked(db, tmp_path):
    """Someone commits while the preview is open: the commit says so, shows the new comparison."""
    at = send(
        app("app_pages/data/upload.py"),
        valid_register(
            tmp_path / "mine.xlsx", partners=[partner("P1"), partner("P2", stage="closed")]
        ),
    )
    assert at.button(key="commit").label == "Commit as version 1 of RBD"
    store = open_store(db)  # meanwhile, from the command line
    other = valid_register(tmp_path / "theirs.xlsx")
    binta = User("binta", FOCAL_POINT, ("RBD",))
    ingest.commit(
        store,
        ingest.prepare(store, other.read_bytes(), other.name, "RBD", "Binta", user=binta),
        "Binta",
        user=binta,
    )
    store.close()
    at = at.button(key="commit").click().run()
    assert not at.exception
    assert any(
        "changed since you looked (it is now version 1" in m and "by Binta" in m
        for m in texts(at.warning)
    )
    assert versions(db) == [(1, "upload", "Binta")]
    assert at.button(key="commit").label == "Commit as version 2 of RBD"
    at.button(key="commit").click().run()
    assert versions(db) == [(2, "upload", "Awa"), (1, "upload", "Binta")]


def test_data_quality_lists_versions_restores_and_offers_every_file(db, tmp_path):
    """Versions newest first, an earlier one restored as a new version, rejected files downloadable."""
    page = app("app_pages/data/upload.py")
    send(page, valid_register(tmp_path / "v1.xlsx")).button(key="commit").click().run()
    send(
        app("app_pages/data/upload.py"),
        valid_register(
            tmp_path / "v2.xlsx",
            contributions=[contribution("C1", "P1", amount=7), contribution("C2", "P2")],
        ),
    ).button(key="commit").click().run()
    send(
        app("app_pages/data/upload.py"),
        valid_register(tmp_path / "bad.xlsx", contributions=[contribution("C1", "P404")]),
    )

    at = app("app_pages/data/data_quality.py")
    at.selectbox(key="quality_region").set_value("RBD").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Version" in d.value.columns)
    assert table["Version"].tolist() == [2, 1] and table["Current"].tolist() == [True, False]
    assert table["File"].tolist() == ["v2.xlsx", "v1.xlsx"]
    at.selectbox(key="quality_version_RBD").set_value(1).run()
    at.text_input(key="restorer_name").set_value("HQ").run()
    at.checkbox(key="restore_ok_RBD_1").check().run()
    at.button(key="restore").click().run()
    assert not at.exception
    assert texts(at.success)[-1] == "Version 1 restored as version 3 of RBD Dakar – Western Africa."
    assert versions(db)[0] == (3, "restore", "HQ")
    uploads = next(d.value for d in at.dataframe if "Outcome" in d.value.columns)
    assert uploads["Outcome"].tolist() == ["errors found", "committed", "committed"]
    assert len(at.get("download_button")) >= 1


def test_data_quality_in_french_with_the_samples(tmp_path, monkeypatch):
    """On a store seeded with the samples: six regions, all sample data, none submitted this year."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'seeded.db'}")
    monkeypatch.delenv("PARTNERSHIPS_SAMPLE_DIR", raising=False)
    at = app("app_pages/data/data_quality.py", lang="fr")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 6 and table["Données d'exemple"].all()
    assert texts(at.warning)[0].startswith("Pas d'envoi en")


def test_data_quality_shows_a_stored_report_in_the_viewers_language(db, tmp_path, monkeypatch):
    """A rejected upload's report, kept with it, reads in English and in French without re-validating."""
    send(
        app("app_pages/data/upload.py"),
        valid_register(tmp_path / "bad.xlsx", contributions=[contribution("C1", "P404")]),
    )
    import analytics.register.reading as reading

    def no_reading(*args, **kwargs):
        raise AssertionError("the data-quality page validated a file again")

    monkeypatch.setattr(reading, "load_workbook", no_reading)
    shown = {}
    for lang in ("en", "fr"):
        at = app("app_pages/data/data_quality.py", lang=lang)
        at.selectbox(key="quality_region").set_value("RBD").run()
        assert not at.exception
        message = t("report.message", lang)
        shown[lang] = next(d.value for d in at.dataframe if message in d.value.columns)
    en, fr = shown["en"], shown["fr"]
    assert en["Code"].tolist() == fr["Code"].tolist() == ["unknown_partner"]
    assert en["Row"].tolist() == [2] and en["Value"].tolist() == ["P404"]
    assert "is not in the Partners sheet" in en["Message"].iloc[0]
    assert fr["Message"].iloc[0] != en["Message"].iloc[0]
    assert "P404" in fr["Message"].iloc[0] and "Partenaires" in fr["Message"].iloc[0]
    assert fr["Gravité"].tolist() == ["Erreur"]


def test_data_quality_an_upload_older_than_kept_reports(db, tmp_path):
    """An upload stored without a report (before migration 0004) is listed as before, and says so."""
    import sqlalchemy as sa

    from analytics.store.tables import uploads

    send(
        app("app_pages/data/upload.py"),
        valid_register(tmp_path / "bad.xlsx", contributions=[contribution("C1", "P404")]),
    )
    store = open_store(db)
    try:
        with store.engine.begin() as conn:
            conn.execute(sa.update(uploads).values(report=None))
    finally:
        store.close()
    at = app("app_pages/data/data_quality.py")
    at.selectbox(key="quality_region").set_value("RBD").run()
    assert not at.exception
    assert any("stored before reports were kept" in c.value for c in at.caption)
    assert not [d for d in at.dataframe if "Message" in d.value.columns]
