"""The agreement follow-up indicators on the pages, through AppTest on the sample registers: the
overview's follow-up block shows the catalogue's numbers for the view, and follows its filters."""

import pytest

from analytics import indicators as ind
from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.store.versions import open_store
from tests.test_pages import open_page, sample_store, seeded  # noqa: F401 - fixtures

PAGE = "app_pages/dashboards/overview.py"


def _expected(url: str, year: int, filters: ind.Filters) -> dict[str, str]:
    store = open_store(url)
    try:
        prepared = ind.prepare(*store.load_current(), load_reference(), *store.load_follow_up())
    finally:
        store.close()
    ids = list(ind.OVERVIEW_FOLLOW_UP)
    row = ind.compute(prepared, year, (), filters, indicators=ids).iloc[0]
    return {i: ind.format_value(i, row[i], "en") for i in ids}


def _block(at) -> dict[str, str]:
    """The follow-up block's values by indicator, from its Markdown ("**short**  \\nvalue")."""
    shorts = {f"**{ind.short(i, 'en')}**": i for i in ind.OVERVIEW_FOLLOW_UP}
    out = {}
    for m in at.markdown:
        head, _, value = m.value.partition("  \n")
        if head in shorts:
            out[shorts[head]] = value
    return out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_overview_has_the_follow_up_block(sample_store, lang):  # noqa: F811
    at = open_page(PAGE, lang=lang, year="2025")
    assert t("pages.overview.follow_up", lang) in [s.value for s in at.subheader]
    assert [b.label for b in at.button if b.key == "overview_follow_up"] == [
        t("pages.overview.follow_up_open", lang)
    ]


def test_the_block_shows_the_catalogue_and_follows_the_filters(sample_store):  # noqa: F811
    at = open_page(PAGE, year="2025")
    everything = _expected(sample_store, 2025, ind.Filters())
    assert _block(at) == everything
    at = open_page(PAGE, year="2025", region="RBN")
    rbn = _expected(sample_store, 2025, ind.Filters(regions=("RBN",)))
    assert _block(at) == rbn
    # The sample regions differ in their follow-up: the region filter changed something.
    assert rbn != everything


def test_the_block_opens_the_agreements_page(sample_store):  # noqa: F811
    at = open_page(PAGE, year="2025", region="RBN")
    next(b for b in at.button if b.key == "overview_follow_up").click().run()
    assert not at.exception
    assert at.title[0].value == t("pages.agreements.title", "en")
