"""The audit trail's details are kept as codes and values and read in the viewer's language."""

import json

import sqlalchemy as sa

from analytics.access.roles import ADMIN, User
from analytics.store import audit
from analytics.store.versions import open_store

HQ = User("hq", ADMIN)


def test_details_are_stored_as_codes_and_written_in_each_language(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        upload = audit.detail("upload", status="validated", errors=0, warnings=4)
        audit.record(store, "awa", audit.UPLOAD, region="RBD", detail=audit.given(upload, "hq"))
        audit.record(store, "awa", audit.RESTORE, detail=audit.detail("restored", number=3))
        audit.record(store, "awa", audit.SIGN_IN_FAILED, detail="bad credentials")  # an old entry
        with store.engine.connect() as conn:
            kept = conn.execute(sa.text("SELECT detail FROM audit ORDER BY id")).scalars().all()
        # Language-neutral in the store: nothing English in the first entry.
        assert json.loads(kept[0]) == {
            "code": "upload",
            "status": "validated",
            "errors": 0,
            "warnings": 4,
            "given_as": "hq",
        }
        english = audit.entries(store, HQ)["detail"].tolist()
        french = audit.entries(store, HQ, lang="fr")["detail"].tolist()
    finally:
        store.close()
    # Newest first. French: "0 erreur" (0 takes the singular in French), "4 avertissements".
    assert english == [
        "bad credentials",
        "restored version 3",
        "validated, 0 errors, 4 warnings, given as hq",
    ]
    assert french == [
        "bad credentials",  # written before details were codes: shown as it was written
        "version 3 restaurée",
        "validé, 0 erreur, 4 avertissements, indiqué comme hq",
    ]


def test_free_text_that_looks_like_a_detail_is_shown_as_written():
    assert audit.detail_text('{"not": "a detail"}', "fr") == '{"not": "a detail"}'
    assert audit.detail_text("{broken", "fr") == "{broken"
    assert audit.detail_text(None, "fr") == ""


def test_the_samples_maker_is_named_in_french_and_found_by_either_name(tmp_path, monkeypatch):
    """Issue #17: the trail's actor column read "sample data" in French."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from analytics.access.roles import SYSTEM
    from tests.conftest import ROOT

    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    try:
        store.seed_samples_if_empty(ROOT / "data" / "sample")  # by SYSTEM ("sample data")
        audit.record(store, "awa", audit.SIGN_IN)
        french = audit.entries(store, HQ, lang="fr")
        by_label = audit.entries(store, HQ, actor="données d'exemple", lang="fr")
        by_stored = audit.entries(store, HQ, actor=SYSTEM.name, lang="fr")
    finally:
        store.close()
    assert "données d'exemple" in set(french["actor"]) and "awa" in set(french["actor"])
    assert SYSTEM.name not in set(french["actor"])
    assert len(by_label) > 0 and by_label["id"].tolist() == by_stored["id"].tolist()
    assert set(by_label["actor"]) == {"données d'exemple"}

    # The page, in French: the filter typed as shown finds the samples' entries.
    (tmp_path / "no-samples").mkdir()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "no-samples"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "fr"
    at.run()
    at.switch_page("app_pages/admin/audit.py").run()
    at.text_input(key="audit_actor").input("données d'exemple").run()
    assert not at.exception
    (table,) = at.dataframe
    assert len(table.value) == len(by_label)
    assert set(table.value["actor"]) == {"données d'exemple"}
