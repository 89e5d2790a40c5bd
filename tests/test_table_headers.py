"""Every table of the data-quality, audit, review, agreements and partners pages names its columns
in the user's language (issue #17: the version tables showed the raw `excel_row`)."""

import json
import re
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics.i18n import t
from analytics.store.versions import open_store
from tests.conftest import ROOT

PAGES = [
    "app_pages/data/data_quality.py",
    "app_pages/admin/audit.py",
    "app_pages/data/review.py",
    "app_pages/dashboards/agreements.py",
    "app_pages/dashboards/partners.py",
]
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")  # a column's name in code: "excel_row"


def headers(element) -> list[str]:
    """The headers a table shows: each column's label in its settings, else its name."""
    settings = json.loads(element.proto.columns or "{}")
    return [settings.get(str(c), {}).get("label") or str(c) for c in element.value.columns]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("seeded") / "store.db"
    store = open_store(f"sqlite:///{path}")
    assert store.seed_samples_if_empty(ROOT / "data" / "sample")
    store.close()
    return path


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_table_header_is_a_column_name_in_code(seeded, tmp_path, monkeypatch, lang):
    shutil.copy(seeded, tmp_path / "store.db")
    (tmp_path / "no-samples").mkdir()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "no-samples"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    seen = {}
    for path in PAGES:
        at.switch_page(path).run()
        assert not at.exception, path
        seen[path] = [h for d in at.dataframe for h in headers(d)]
        assert seen[path], path  # the page shows tables
        assert not [h for h in seen[path] if SNAKE.match(h)], (path, seen[path])
    # The version tables' row number is named as the column declaration's label says.
    assert t("pages.columns.excel_row", lang) in seen["app_pages/data/data_quality.py"]
