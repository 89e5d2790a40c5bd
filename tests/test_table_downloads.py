"""Every table on the dashboards and the data-quality page offers its CSV and Excel downloads."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.mark.parametrize(
    "page, table_keys",
    [
        ("app_pages/dashboards/partners.py", ["partners_table"]),
        ("app_pages/dashboards/by_region.py", ["top_RBB", "pipeline_RBB"]),
        (
            "app_pages/data/data_quality.py",
            ["completeness", "versions", "version_partners", "version_contributions", "uploads"],
        ),
        ("app_pages/dashboards/catalogue.py", ["catalogue"]),
    ],
)
def test_tables_have_csv_and_xlsx_downloads(page, table_keys, tmp_path, monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}"
    )  # seeded with the samples
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page(page)
    at.run()
    assert not at.exception
    ids = [e.proto.id for e in at.get("download_button")]  # a widget's id ends with its key
    for key in table_keys:
        for kind in ("csv", "xlsx"):
            assert any(i.endswith(f"dl_{key}_{kind}") for i in ids), (key, kind, ids)
