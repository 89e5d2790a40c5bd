"""Every dashboard page through AppTest: on the sample data, on an empty store, with filters in the URL."""

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import indicators as ind
from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.store.versions import open_store
from analytics.text import plain
from tests.conftest import ROOT

PAGES = [
    "app_pages/dashboards/overview.py",
    "app_pages/dashboards/by_type.py",
    "app_pages/dashboards/by_region.py",
    "app_pages/dashboards/partners.py",
    "app_pages/dashboards/gaps.py",
]
TITLES = {
    "app_pages/dashboards/overview.py": "pages.overview.title",
    "app_pages/dashboards/by_type.py": "pages.by_type.title",
    "app_pages/dashboards/by_region.py": "pages.by_region.title",
    "app_pages/dashboards/partners.py": "pages.partners.title",
    "app_pages/dashboards/gaps.py": "pages.gaps.title",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A store seeded once from data/sample; each test works on its own copy."""
    path = tmp_path_factory.mktemp("seeded") / "store.db"
    store = open_store(f"sqlite:///{path}")
    assert store.seed_samples_if_empty(ROOT / "data" / "sample")
    store.close()
    return path


def _use_store(monkeypatch, url: str, sample_dir: Path | None = None) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    if sample_dir is not None:
        monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(sample_dir))
    # The store and the prepared register are cached per process: start from a clean slate.
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def sample_store(seeded, tmp_path, monkeypatch) -> str:
    copy = tmp_path / "store.db"
    shutil.copy(seeded, copy)
    url = f"sqlite:///{copy}"
    _use_store(monkeypatch, url, tmp_path / "no-samples")  # already seeded: nothing more loads
    return url


@pytest.fixture
def empty_store(tmp_path, monkeypatch) -> str:
    (tmp_path / "empty").mkdir()
    url = f"sqlite:///{tmp_path / 'store.db'}"
    _use_store(monkeypatch, url, tmp_path / "empty")
    return url


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "app_pages/dashboards/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]  # the page's own guard said something failed
    return at


def widget(at: AppTest, name: str, lang: str = "en"):
    """A filter of the sidebar, found by its label (its key changes when the view is replaced)."""
    return next(m for m in at.sidebar.multiselect if m.label == t(f"filters.{name}", lang))


def charts(at: AppTest) -> list:
    return at.get("plotly_chart")


# --- on the sample data ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_the_sample_data(sample_store, page, lang):
    """No exception, the page's title in the user's language, the filters in the sidebar."""
    at = open_page(page, lang=lang)
    assert at.title[0].value == t(TITLES[page], lang)
    assert widget(at, "regions", lang)
    assert len(at.sidebar.multiselect) == 5  # region, type, category, kind, status


def test_overview_shows_cards_with_definitions_and_charts(sample_store):
    at = open_page("app_pages/dashboards/overview.py")
    assert [m.label for m in at.metric] == [ind.short(i, "en") for i in ind.OVERVIEW]
    # The page shows the latest year with data; each definition names it (not "in Y").
    year = ind.latest_year(ind.prepare(*open_store(sample_store).load_current(), load_reference()))
    for metric, indicator in zip(at.metric, ind.OVERVIEW, strict=True):
        assert metric.help.startswith(ind.definition(indicator, "en", (year, year)))
        assert " Y " not in metric.help and " Y." not in metric.help
    # by region, share vs target, trend, concentration, map
    assert len(charts(at)) == 5


def test_by_type_shows_the_iom_indicators_of_each_type(sample_store):
    at = open_page("app_pages/dashboards/by_type.py")
    labels = [m.label for m in at.metric]
    expected = [
        ind.short(i, "en")
        for code in load_reference().codes("partnership_type")
        for i in ind.BY_TYPE[code]
    ]
    assert labels == expected
    assert len(charts(at)) == 1


def test_by_region_has_a_panorama_per_region(sample_store):
    at = open_page("app_pages/dashboards/by_region.py")
    ref = load_reference()
    assert [tab.label for tab in at.tabs] == [
        plain(ref.region_name(r, "en")) for r in ref.region_codes
    ]
    assert len(at.metric) == 6 * 8
    assert len(charts(at)) == 6  # a map of beneficiary countries per region
    assert any(t("pages.by_region.pipeline", "en") in m.value for m in at.markdown)


def test_partners_page_searches_and_opens_a_profile(sample_store):
    at = open_page("app_pages/dashboards/partners.py", partner="RBB:RBB-P0001")
    assert len(at.dataframe) >= 1
    partners, _ = open_store(sample_store).load_current()
    name = partners.loc[partners["partner_id"] == "RBB-P0001", "partner_name"].iloc[0]
    assert at.subheader[0].value == name
    at.text_input(key="partner_search").input("no such partner zzz").run()
    assert t("pages.partners.no_match", "en", text="no such partner zzz") in [
        i.value for i in at.info
    ]


def test_gaps_page_counts_the_empty_cells(sample_store):
    at = open_page("app_pages/dashboards/gaps.py", year="2025")
    prepared = ind.prepare(*open_store(sample_store).load_current(), load_reference())
    matrix = ind.gap_matrix(prepared, 2025)
    gaps = int((matrix == 0).to_numpy().sum())
    summary = t("pages.gaps.summary", "en", gaps=gaps, cells=matrix.size)
    assert summary in [m.value for m in at.markdown]
    assert len(charts(at)) == 1


# --- numbers agree with the catalogue, filters live in the URL ---------------------------------------


def test_overview_numbers_equal_the_catalogue_for_the_same_filters(sample_store):
    """The link `?year=2025&region=RBD&kind=financial` opens that view; its cards are the catalogue's."""
    at = open_page("app_pages/dashboards/overview.py", year="2025", region="RBD", kind="financial")
    assert widget(at, "regions").value == ["RBD"]
    prepared = ind.prepare(*open_store(sample_store).load_current(), load_reference())
    filters = ind.Filters(regions=("RBD",), kinds=("financial",))
    expected = ind.compute(prepared, 2025, (), filters, indicators=list(ind.OVERVIEW)).iloc[0]
    shown = {m.label: m.value for m in at.metric}
    for i in ind.OVERVIEW:
        assert shown[ind.short(i, "en")] == ind.format_value(i, expected[i], "en")
    # and the filter changed the numbers: RBD's financial contributions are not everyone's
    everything = ind.compute(prepared, 2025, indicators=["contributions_usd"]).iloc[0][
        "contributions_usd"
    ]
    assert expected["contributions_usd"] < everything


def test_filters_go_to_the_url_and_survive_a_page_change(sample_store):
    at = open_page("app_pages/dashboards/overview.py")
    before = {m.label: m.value for m in at.metric}
    widget(at, "partnership_types").set_value(["advocacy"]).run()
    assert at.query_params["type"] == ["advocacy"] or at.query_params["type"] == "advocacy"
    after = {m.label: m.value for m in at.metric}
    assert after != before
    at.switch_page("app_pages/dashboards/by_type.py").run()
    assert widget(at, "partnership_types").value == ["advocacy"]
    assert [c.value for c in at.subheader] == [
        load_reference().label("partnership_type", "advocacy", "en")
    ]
    at.sidebar.button(key="flt_clear").click().run()
    assert "type" not in at.query_params
    assert len(at.subheader) == 4


def test_unknown_codes_in_a_link_are_ignored(sample_store):
    at = open_page(
        "app_pages/dashboards/overview.py", region="RBD,NOPE", type="nonsense", year="abc"
    )
    assert widget(at, "regions").value == ["RBD"]
    assert widget(at, "partnership_types").value == []


# --- empty states ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_so_when_the_store_is_empty(empty_store, page):
    at = open_page(page, lang="fr")
    assert [i.value for i in at.info] == [t("pages.empty_store", "fr")]
    assert not at.metric and not charts(at)


def test_a_filter_with_no_data_is_a_sentence(sample_store):
    """In 2018 partnerships started but nobody gave yet: charts say so, the map is a sentence."""
    at = open_page("app_pages/dashboards/overview.py", year="2018")
    assert t("pages.no_countries", "en") in [i.value for i in at.info]
    assert dict((m.label, m.value) for m in at.metric)[
        ind.short("contributions_usd", "en")
    ] == ind.format_value("contributions_usd", 0.0, "en")


def test_a_region_that_never_reported_is_a_sentence(tmp_path, monkeypatch):
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(ROOT / "data" / "sample" / "RBD.xlsx", samples / "RBD.xlsx")
    _use_store(monkeypatch, f"sqlite:///{tmp_path / 'store.db'}", samples)
    at = open_page("app_pages/dashboards/by_region.py")
    ref = load_reference()
    silent = [
        t("pages.by_region.never_reported", "en", region=plain(ref.region_name(r, "en")))
        for r in ref.region_codes
        if r != "RBD"
    ]
    assert [i.value for i in at.info if i.value in silent] == silent
    assert len(at.metric) == 8  # only RBD has a panorama
