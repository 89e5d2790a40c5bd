"""Targets beyond the cards (#11): each region's progress against its targets (the by-region
page), the deck's KPI slide with the target and the share reached, the sample targets labelled.

The fixture is tests/test_indicators.py's, worked by hand there: in 2024 RBD's contributions are
4,300 USD (c1 1,000 + c3 2,200 + c5 1,100) and RBN's 5,000 (c6); RBD's active partners are A, B,
D, E (4) and RBN's G (1)."""

import io
import shutil

import pandas as pd
import pytest
from pptx import Presentation

from analytics import indicators as ind
from analytics.board import pptx_deck, slides
from analytics.config import SHIPPED_REFERENCE_DIR
from analytics.indicators import views
from analytics.reference.load import load_reference
from tests.test_indicators import TODAY, frames, write_reference

TARGETS = (
    "indicator,region,year,target,source\n"
    "contributions_usd,RBD,,8600,test\n"  # 4,300 of 8,600: 50 % reached
    "contributions_usd,RBN,2024,4000,test\n"  # 5,000 of 4,000: 125 %
    "contributions_usd,RBN,2023,1,test\n"  # another year's row: not 2024's target
    "active_partners,,,5,test\n"  # every region: RBD 4/5 = 80 %, RBN 1/5 = 20 %
)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = write_reference(tmp_path_factory.mktemp("ref") / "reference")
    (folder / "targets.csv").write_text(TARGETS, encoding="utf-8")
    return ind.prepare(*frames(), load_reference(str(folder)))


def test_each_region_against_each_of_its_targets(prepared):
    progress = views.target_progress(prepared, (2024, 2024), today=TODAY)
    got = progress.set_index(["region", "indicator"])
    assert got.loc[("RBD", "contributions_usd"), ["value", "target", "reached"]].tolist() == (
        pytest.approx([4300.0, 8600.0, 0.5])
    )
    assert got.loc[("RBN", "contributions_usd"), ["value", "target", "reached"]].tolist() == (
        pytest.approx([5000.0, 4000.0, 1.25])
    )
    assert got.loc[("RBD", "active_partners"), "reached"] == pytest.approx(0.8)
    assert got.loc[("RBN", "active_partners"), "reached"] == pytest.approx(0.2)
    # The regions with no contribution target have only the all-regions active_partners row
    # (0 active of 5: 0 % reached).
    assert got.loc[("RBB", "active_partners"), "reached"] == 0.0
    assert ("RBB", "contributions_usd") not in got.index
    # One region only, as its tab filters it.
    only = views.target_progress(prepared, (2024, 2024), ind.Filters(regions=("RBN",)), TODAY)
    assert set(only["region"]) == {"RBN"}


def test_the_table_reads_in_the_reader_s_language(prepared):
    progress = views.target_progress(prepared, (2024, 2024), today=TODAY)
    table = views.target_progress_table(progress, prepared.reference, "fr")
    assert list(table.columns) == ["Région", "Indicateur", "Valeur", "Cible", "Atteint"]
    money = table["Indicateur"] == ind.short("contributions_usd", "fr")
    rbn = table[table["Région"].str.startswith("RBN") & money]
    assert rbn["Valeur"].tolist() == [ind.format_value("contributions_usd", 5000.0, "fr")]
    assert rbn["Cible"].tolist() == [ind.format_value("contributions_usd", 4000.0, "fr")]
    assert rbn["Atteint"].tolist() == [1.25]


def test_the_deck_s_kpi_slide_shows_the_target_and_how_much_is_reached(prepared):
    deck = slides.build_deck(prepared, 2024, ind.Filters(regions=("RBD",)), "en", today=TODAY)
    (kpis,) = [s for s in deck.slides if s.key == "kpis"]
    cards = {c.indicator: c for c in kpis.cards}
    assert cards["active_partners"].target == "Target: 5 · 80.0% reached"
    assert cards["contributions_usd"].target == "Target: $8,600 · 50.0% reached"
    # An indicator with no target row says nothing.
    assert cards["new_partnerships"].target == ""
    shown = Presentation(io.BytesIO(pptx_deck.write_pptx(deck)))
    table_texts = [
        [cell.text for cell in row.cells]
        for slide in shown.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
    ]
    assert ["Indicator", "Value", "Previous period", "Change", "Target"] in table_texts
    assert any(r[-1] == "Target: 5 · 80.0% reached" for r in table_texts)


def test_the_by_region_page_shows_progress_bars(monkeypatch, tmp_path):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    folder = tmp_path / "reference"
    shutil.copytree(SHIPPED_REFERENCE_DIR, folder)
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(folder))
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/dashboards/by_region.py").run()
    assert not at.exception
    assert "Progress against targets" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "Reached" in d.value.columns)
    # The shipped sample targets: each region's contributions and share of budget, and the
    # organisation-wide due-diligence coverage, for each of the six regions.
    assert len(table) == 6 * 3
    assert set(table["Indicator"]) == {
        ind.short(i, "en")
        for i in ("contributions_usd", "private_share_of_budget", "due_diligence_coverage")
    }
    assert pd.api.types.is_float_dtype(table["Reached"])


def test_the_shipped_targets_are_labelled_sample_values():
    targets = pd.read_csv(SHIPPED_REFERENCE_DIR / "targets.csv", dtype=str)
    assert targets["source"].str.startswith("SAMPLE VALUE").all()
