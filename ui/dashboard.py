"""What every dashboard page shares: the prepared register (cached per store and reference
state), cached calls to the catalogue, the page frame (title, filters, empty states, no
traceback), metric cards and page sections that fail alone.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from analytics import charts, config
from analytics import indicators as ind
from analytics.i18n import fmt_percent, t
from analytics.indicators import provenance as money_provenance
from analytics.indicators import views
from analytics.indicators.format import format_change, period_label
from analytics.reference.load import Reference, load_reference
from analytics.reference.refcheck import ReferenceDataError
from analytics.services import refdata
from analytics.text import plain
from ui import filters as ui_filters
from ui import page as ui_page
from ui import review_view
from ui.data import current_follow_up, current_register, data_state, review_states, store

log = logging.getLogger(__name__)
_MODULES = {"ind": ind, "views": views, "provenance": money_provenance}


@st.cache_resource(show_spinner=False, max_entries=4)
def _prepared(state: tuple) -> ind.Prepared:
    # cache_resource, not cache_data: the prepared register is read-only and shared; copying a
    # million rows out of a cache at every rerun would cost more than the indicators themselves.
    partners, contributions = current_register(approved=state[-1])
    agreements, reports = current_follow_up(approved=state[-1])
    return ind.prepare(partners, contributions, load_reference(), agreements, reports)


def state() -> tuple:
    """The key of the caches below: the store's registers and the reference data in force, and
    which versions are counted (the latest, or the approved ones: the filters' switch). The
    store is asked once per script run (ui.data.data_state)."""
    return (*data_state(), ui_filters.approved_only())


def prepared() -> ind.Prepared:
    """The prepared register of the store's current state, with the reference data in force."""
    return _prepared(state())


@st.cache_data(show_spinner=False, max_entries=256)
def _call(state: tuple, today: date, module: str, name: str, args: tuple, kwargs: tuple):
    return getattr(_MODULES[module], name)(_prepared(state), *args, **dict(kwargs))


def call(name: str, *args, **kwargs):
    """`indicators.<name>(prepared, *args)` (or `views.<name>` with "views."), cached per store
    and reference state."""
    module, _, fn = name.rpartition(".")
    return _call(state(), config.today(), module or "ind", fn, args, tuple(sorted(kwargs.items())))


@dataclass(frozen=True)
class Page:
    """What a page's body needs: language, register, the user's view and its resolved period."""

    lang: str
    prepared: ind.Prepared
    view: views.View
    period: tuple[int, int]

    @property
    def filters(self) -> ind.Filters:
        return self.view.filters

    @property
    def reference(self) -> Reference:
        return self.prepared.reference

    @property
    def previous(self) -> tuple[int, int]:
        return ind.previous_period(self.period)

    @property
    def comparison(self) -> ind.Comparison:
        """What the period's changes are measured against: like for like in today's year."""
        return ind.comparison(self.period, config.today())

    def period_label(self, period: tuple[int, int] | None = None) -> str:
        return period_label(period or self.period)


def run(title_key: str, body: Callable[[Page], None]) -> None:
    """Title, shared filters, then the body; an empty store is a sentence and an error a message."""
    messages, _, title = title_key.rpartition(".")
    lang = ui_page.start(messages, title=title, intro=None, show_flash=False).lang
    try:
        data = prepared()
        if data.is_empty and ui_filters.approved_only():
            # Nothing approved yet: say so, and keep the switch to go back to the latest data.
            with st.sidebar:
                ui_filters.approved_switch(lang)
            ui_filters.write_url(ui_filters.current(data.reference))
            st.info(t("review.nothing_approved", lang), icon=":material/inbox:")
            review_view.not_approved_badges(review_states(), True, lang)
            return
        if data.is_empty:
            st.info(t("pages.empty_store", lang), icon=":material/inbox:")
            return
        view, period = ui_filters.sidebar(data, lang)
        st.caption(ui_filters.describe(view, period, data.reference, lang))
        review_view.not_approved_badges(review_states(), ui_filters.approved_only(), lang)
        body(Page(lang, data, view, period))
    except ReferenceDataError as exc:  # which file, which row, what: an admin can fix it
        log.warning("page %s: %s", title_key, exc)
        st.error(plain(exc.message(lang)), icon=":material/table_edit:")
    except Exception:  # a user never sees a traceback; the log keeps it for the data manager
        log.exception("page %s failed", title_key)
        st.error(t("ui.unexpected_error", lang))


@contextmanager
def section(lang: str, name: str = "") -> Iterator[None]:
    """One block of a page (cards, a chart): if it fails, a sentence in its place, and the rest
    of the page is drawn (st.rerun and st.stop still go through: they are no Exception)."""
    try:
        yield
    except Exception:  # the log keeps the traceback for the data manager
        log.exception("section %s failed", name)
        st.warning(t("pages.section_failed", lang), icon=":material/warning:")


# --- metric cards ----------------------------------------------------------------------------------


def _delta(indicator_id: str, row: pd.Series, lang: str) -> str | None:
    text = format_change(indicator_id, row["change"], row["change_pct"], lang, unknown="")
    # No change known: no delta. ASCII minus, so that Streamlit draws the arrow down.
    return text.replace("−", "-") or None


def metric_cards(
    page: Page,
    ids: tuple[str, ...],
    filters: ind.Filters | None = None,
    per_row: int = 4,
    key: str = "",
) -> pd.DataFrame:
    """One st.metric per indicator: value, change against the previous period, definition on hover."""
    filters = page.filters if filters is None else filters
    table = call("views.cards", page.period, ids, filters)
    lang = page.lang
    rows = table.set_index("indicator")
    goals = call("targets", page.period, (), filters).iloc[0]  # the scope's target of each
    compared = page.comparison
    if compared.like_for_like:  # the current, unfinished year: say what the changes compare
        st.caption(
            ":material/date_range: " + plain(ind.comparison_text(compared, lang).capitalize())
        )
    for start in range(0, len(ids), per_row):
        for col, i in zip(st.columns(per_row), ids[start : start + per_row], strict=False):
            row = rows.loc[i]
            previous = ind.format_value(i, row["previous"], lang)
            help_text = ind.definition(i, lang, page.period) + "\n\n"
            if compared.like_for_like and ind.CATALOGUE[i].flow:
                help_text += ind.previous_value_text(
                    compared, previous, lang, "pages.previous_value"
                )
                help_text += "\n\n" + ind.comparison_note(compared, lang)
            else:
                help_text += t(
                    "pages.previous_value",
                    lang,
                    period=page.period_label(page.previous),
                    value=previous,
                )
            if i == "private_share_of_budget":
                target = call("targets", page.period, (), filters)["private_share_of_budget"].iloc[
                    0
                ]
                if pd.notna(target):
                    help_text += "\n\n" + t(
                        "pages.target_is", lang, value=fmt_percent(target, lang)
                    )
            if i in money_provenance.MONEY_SUMS:
                # How the USD figure was obtained: amounts, rates, what is left out (issue #12).
                origin = money_origin(page, i, (), filters)
                lines = money_provenance.provenance_text(origin, 0, lang).splitlines()
                help_text += "\n\n" + "  \n".join(plain(line) for line in lines)
            better = ind.CATALOGUE[i].better
            col.metric(
                ind.short(i, lang),
                ind.format_value(i, row["value"], lang),
                delta=_delta(i, row, lang),
                delta_color={"up": "normal", "down": "inverse"}.get(better, "off"),
                help=help_text,
                border=True,
            )
            if i in goals.index and pd.notna(goals[i]):
                col.caption(ind.target_text(i, row["value"], float(goals[i]), lang))
    if any(i in money_provenance.MONEY_SUMS for i in ids):
        # Never silently: contributions with no reference rate are out of every USD figure.
        all_money = money_origin(page, "contributions_usd", (), filters)
        note = money_provenance.left_out_text(all_money, lang)
        if note:
            st.caption(":material/warning: " + plain(note))
    return table


@st.cache_data(show_spinner=False, max_entries=16)
def _rates_version(state: tuple, lang: str) -> str:
    return refdata.version_in_force(store(), "exchange_rates", lang)


def _origin(state: tuple, lang: str, indicator: str, period, by, filters: ind.Filters):
    version = _rates_version(state, lang)
    args = (indicator, period, by, filters)
    return _call(
        state, config.today(), "provenance", "provenance", args, (("reference_version", version),)
    )


def money_origin(page: Page, indicator: str, by=(), filters: ind.Filters | None = None):
    """How a USD figure of the page was obtained (`provenance.provenance`), with the version of
    the rates in force; cached like the catalogue's calls."""
    filters = page.filters if filters is None else filters
    return _origin(state(), page.lang, indicator, page.period, by, filters)


def money_help(page: Page, filters: ind.Filters | None = None) -> str:
    """A USD column's tooltip: converted at the reference rates (which version), and what the
    view leaves out for want of a rate."""
    origin = money_origin(page, "contributions_usd", (), filters)
    lines = [
        t("provenance.column", page.lang),
        money_provenance.provenance_text(origin, 0, page.lang).splitlines()[-1],
    ]
    note = money_provenance.left_out_text(origin, page.lang)
    return "\n\n".join([*lines, *([note] if note else [])])


@st.cache_data(show_spinner=False, max_entries=64)
def _texts_by_group(
    state: tuple, today: date, lang: str, indicator: str, period, by, filters: ind.Filters
) -> dict:
    # Keyed like _call (the origin itself is one of its entries): writing every group's text is
    # the costly part, so it is done once per store state, view and language, not at each rerun.
    return money_provenance.texts_by_group(
        _origin(state, lang, indicator, period, by, filters), lang
    )


def origins(page: Page, indicator: str, by, filters: ind.Filters | None = None) -> dict | None:
    """Each group's provenance text for a chart's hover (None for an indicator not in USD)."""
    if indicator not in money_provenance.MONEY_SUMS:
        return None
    filters = page.filters if filters is None else filters
    return _texts_by_group(
        state(), config.today(), page.lang, indicator, page.period, tuple(by), filters
    )


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(key: tuple, _build: Callable):
    # cache_resource: the figure is shared as it is, never copied (st.plotly_chart only reads it).
    return _build()


def figure(page: Page, name: str, build: Callable, *key):
    """`build()` (a figure of analytics.charts), built once per store state, view, period,
    language, chart `name` and whatever else it depends on (`key`: the region of a panorama,
    the chosen indicator…), then taken from the cache at every rerun: building a Plotly figure
    costs far more than the numbers it draws, which are cached already."""
    return _figure((state(), config.today(), page.lang, page.view, page.period, name, *key), build)


def chart(figure, key: str, clickable: bool = True):
    """A figure as drawn by analytics.charts (its own fonts, not the theme's), base map served locally."""
    if not clickable:
        return st.plotly_chart(figure, config=charts.PLOTLY_CONFIG, theme=None, key=key)
    return st.plotly_chart(
        figure,
        config=charts.PLOTLY_CONFIG,
        theme=None,
        key=key,
        on_select="rerun",
        selection_mode="points",
    )
