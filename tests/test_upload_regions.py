"""The region an upload starts on (issue #13): the rule (analytics.register.regions) and the
upload page that applies it, through AppTest with a real workbook in the real file input."""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.config import ROOT
from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.register import regions
from tests.workbooks import contribution, partner, valid_register

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL = ["RBB", "RBC", "RBD", "RBJ", "RBN", "RBP"]


def frame(*names) -> pd.DataFrame:
    return pd.DataFrame({"region": list(names)})


# --- the rule ----------------------------------------------------------------------------------


def test_every_row_naming_one_writable_region_preselects_it():
    assert regions.preselect(frame("RBN", "RBN"), frame("RBN"), ALL) == regions.Preselection(
        "RBN", regions.ALL_ROWS
    )


def test_a_user_who_may_write_one_region_gets_it_whatever_the_rows_say():
    for rows in (frame("RBN"), frame("RBB", "RBN"), None):
        assert regions.preselect(rows, None, ["RBD"]) == regions.Preselection(
            "RBD", regions.ONLY_WRITABLE
        )


@pytest.mark.parametrize(
    "partners, contributions, writable",
    [
        (frame("RBN", "RBD"), frame("RBN"), ALL),  # several regions: validation explains
        (frame("RBN"), frame("RBD"), ALL),  # one per sheet is still two
        (frame("RBN"), frame("RBN"), ["RBB", "RBD"]),  # one the user may not write
        (frame(None, " ", 12), frame(), ALL),  # blanks and numbers name no region
        (None, None, ALL),  # the file could not be read
        (pd.DataFrame({"x": [1]}), None, ALL),  # no region column
    ],
)
def test_otherwise_nothing_is_preselected(partners, contributions, writable):
    assert regions.preselect(partners, contributions, writable) == regions.NONE


def test_names_are_trimmed():
    assert regions.named_regions([frame(" RBN ", "RBN"), None]) == {"RBN"}


# --- the upload page ----------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path, monkeypatch):
    (tmp_path / "no-samples").mkdir()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "no-samples"))


def upload_page(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.switch_page("app_pages/data/upload.py")
    return at.run()


def drop(at: AppTest, path) -> AppTest:
    """The file dropped first, the region picker left as it is (the demo visitor writes all)."""
    at.text_input(key="uploader_name").set_value("Awa")
    at.file_uploader[0].set_value((path.name, path.read_bytes(), XLSX))
    return at.run()


def rbn_register(path):
    return valid_register(
        path,
        partners=[partner("P1", region="RBN"), partner("P2", region="RBN")],
        contributions=[contribution("C1", "P1"), contribution("C2", "P2")],
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_page_starts_on_the_region_every_row_names_and_says_so(db, tmp_path, lang):
    at = upload_page(lang)
    assert at.selectbox(key="upload_region").value == "RBB"  # no file yet: the first region
    at = drop(at, rbn_register(tmp_path / "rbn.xlsx"))
    assert not at.exception
    assert at.selectbox(key="upload_region").value == "RBN"
    name = load_reference().region_name("RBN", lang)
    said = t("upload_region.all_rows", lang, region=name)
    assert said in [c.value for c in at.caption]
    assert not at.error  # no "this row concerns RBN, but the workbook is for RBB" per row
    assert at.button(key="commit")  # valid for RBN: it can be committed


def test_a_region_picked_by_hand_is_kept(db, tmp_path):
    at = upload_page("en")
    at.selectbox(key="upload_region").set_value("RBD").run()
    at = drop(at, rbn_register(tmp_path / "rbn.xlsx"))
    assert at.selectbox(key="upload_region").value == "RBD"
    assert not any(c.value.startswith("Region preselected") for c in at.caption)
    assert at.error  # the mismatch, reported by validation as before


def test_rows_of_several_regions_move_nothing(db, tmp_path):
    at = upload_page("en")
    mixed = valid_register(
        tmp_path / "mixed.xlsx",
        partners=[partner("P1", region="RBN"), partner("P2")],
        contributions=[contribution("C1", "P1"), contribution("C2", "P2")],
    )
    at = drop(at, mixed)
    assert at.selectbox(key="upload_region").value == "RBB"
    assert not any(c.value.startswith("Region preselected") for c in at.caption)
