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
