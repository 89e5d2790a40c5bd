"""The samples' versions are "by sample data" in the reader's language, people by their name."""

from analytics.store.history import uploader_name, versions_frame
from analytics.store.versions import open_store


def test_sample_versions_are_named_in_the_language(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        store.seed_samples_if_empty()
        versions = store.versions("RBD")
    finally:
        store.close()
    french = versions_frame(versions, "fr")
    english = versions_frame(versions, "en")
    assert french.iloc[:, 4].tolist() == ["données d'exemple"]  # column "Par"
    assert english.iloc[:, 4].tolist() == ["sample data"]
    assert uploader_name("awa", "fr") == "awa"
