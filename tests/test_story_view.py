"""The story on the overview through AppTest, on the sample data: the sentences are the
summary's, and each one's button opens the filtered view that shows it."""

import pytest
from streamlit.testing.v1 import AppTest

from analytics import indicators as ind
from analytics.board import slides, story
from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.store.versions import open_store
from analytics.text import plain
from tests.conftest import ROOT
from tests.test_pages import sample_store, seeded  # noqa: F401 - fixtures


def _open(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _expected(url: str, period, filters, lang: str) -> list[story.Item]:
    store = open_store(url)
    # With the agreements and reports, as the app prepares them: the story's overdue sentence
    # counts them (the sample's 2025 has overdue reports in RBC, RBD and RBN).
    prepared = ind.prepare(*store.load_current(), load_reference(), *store.load_follow_up())
    store.close()
    return story.summary(prepared, slides.resolve_period(prepared, period), filters, lang)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_overview_shows_the_summary(sample_store, lang):  # noqa: F811
    """The sentences of the summary for the view, in order, each with its button."""
    at = _open(lang=lang, year="2025", region="RBD,RBN")
    items = _expected(sample_store, 2025, ind.Filters(regions=("RBD", "RBN")), lang)
    assert items  # the sample data moves between 2024 and 2025
    title = t("story.title", lang, previous="2024")
    assert title in [s.value for s in at.subheader]
    shown = [m.value for m in at.markdown if m.value in {plain(i.text) for i in items}]
    assert shown == [plain(i.text) for i in items]
    assert [b.key for b in at.button if (b.key or "").startswith("story_")] == [
        f"story_{n}" for n in range(len(items))
    ]


def test_a_sentence_opens_the_view_that_shows_it(sample_store):  # noqa: F811
    """A sentence naming regions opens its rule's page, same period, narrowed to those regions;
    the address bar holds the view's parameters."""
    at = _open(year="2025")
    items = _expected(sample_store, 2025, ind.Filters(), "en")
    n, item = next((n, i) for n, i in enumerate(items) if i.regions)
    at.button(key=f"story_{n}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    page = story.item_page(item).rpartition("/")[2]  # a dashboard, or the agreements page
    assert at.title[0].value == t(f"pages.{page}.title", "en")
    assert at.query_params["year"] in ("2025", ["2025"])
    region = ",".join(item.regions)
    assert at.query_params.get("region") in (region, [region])
    regions = next(m for m in at.sidebar.multiselect if m.label == t("filters.regions", "en"))
    assert regions.value == list(item.regions)
