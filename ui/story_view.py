"""The board's story on the overview: what changed since the previous period, each sentence
with a way to the filtered view that shows it.

The sentences come from `analytics.board.story.summary` (cached per store state and view). A
sentence's button replaces the view (as a click on a chart does) and opens the page that shows
it with the view's query parameters, so the address bar then holds the link to that view. A
plain `st.page_link` would not do: in the same session the view kept in the session state wins
over the URL (ui/filters.py), so its filters would be lost.
"""

from datetime import date

import streamlit as st

from analytics import config
from analytics.board import story
from analytics.i18n import t
from analytics.indicators import views
from analytics.indicators.scope import Filters
from analytics.store.removals import removals
from analytics.text import plain
from ui import dashboard as d
from ui import filters as f
from ui.data import store


@st.cache_data(show_spinner=False, max_entries=64)
def _items(
    state: tuple, period: tuple[int, int], filters: Filters, lang: str, today: date
) -> list[story.Item]:
    opened = store()
    return story.summary(
        d.prepared(),
        period,
        filters,
        lang,
        today,
        removals=removals(opened),
    )


def linked_view(item: story.Item, view: views.View, period) -> views.View:
    """The view that shows an item: the same period, narrowed to the regions it names."""
    linked = views.View(period, view.filters)
    return views.with_filter(linked, regions=item.regions) if item.regions else linked


def link(item: story.Item, view: views.View, period, lang: str) -> tuple[str, dict[str, str]]:
    """The page (path) and the query parameters of the view that shows an item."""
    page = f"app_pages/{story.item_page(item)}.py"
    return page, views.to_params(linked_view(item, view, period)) | {"lang": lang}


def render(page: d.Page) -> None:
    """The story's sentences, largest movement first, or the sentence saying nothing changed."""
    lang = page.lang
    today = config.today()  # in the cache key: the like-for-like window moves with it
    st.subheader(story.title(page.period, lang, today))
    items = _items(d.state(), page.period, page.filters, lang, today)
    if not items:
        st.caption(story.nothing_changed(page.period, lang, today))
        return
    for n, item in enumerate(items):
        text, button = st.columns([8, 1], vertical_alignment="center")
        text.markdown(plain(item.text))
        if button.button(t("story.link", lang), key=f"story_{n}", icon=":material/arrow_forward:"):
            target, params = link(item, page.view, page.period, lang)
            f.set_view(linked_view(item, page.view, page.period))
            st.switch_page(target, query_params=params)
