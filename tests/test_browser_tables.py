"""Streamlit's own "Download as CSV" of a table is off (issue #18, point 6): it exports cells as
typed, formulas included; our buttons under each table write neutralised CSV and XLSX files."""

import tomllib

import pytest

from analytics.i18n import t
from tests.conftest import ROOT


def test_the_app_config_turns_the_tables_export_off():
    with (ROOT / ".streamlit" / "config.toml").open("rb") as f:
        assert tomllib.load(f)["client"]["disableDataExport"] is True


@pytest.mark.browser
def test_a_table_has_no_builtin_download_but_our_neutralised_buttons(
    run_sample_app, browser, tmp_path
):
    with run_sample_app(PARTNERSHIPS_USERS_FILE=str(tmp_path / "users.toml")) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.goto(f"{url}/partners?lang=en")
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for(timeout=60_000)
        box = table.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        toolbar = page.locator('[data-testid="stElementToolbar"]').first
        toolbar.wait_for(state="attached", timeout=10_000)
        page.wait_for_timeout(500)
        buttons = page.locator('[data-testid="stElementToolbarButton"] button')
        labels = [buttons.nth(i).get_attribute("aria-label") or "" for i in range(buttons.count())]
        assert "Search" in labels, labels  # the toolbar is drawn
        assert not [x for x in labels if "download" in x.lower()], labels
        assert page.get_by_role("button", name=t("downloads.csv", "en")).first.is_visible()
        assert page.get_by_role("button", name=t("downloads.xlsx", "en")).first.is_visible()
