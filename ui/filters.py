"""The filters every dashboard page shares, kept in the session and in the URL.

The session keeps a `View`: the widgets take it as their default, the view follows what they
return, and every run writes it to the query parameters. A click on a chart or the clear button
replaces the view and drops the widgets' state so that they are redrawn from it. So the view
survives moving between pages (Streamlit drops a page's widgets when it leaves it) and a link
opens the same view (a new session starts from the URL). Codes live in the URL, labels on screen
(in the user's language), so a link works whatever the reader's language. `lang` is left alone.
"""

from dataclasses import replace

import streamlit as st

from analytics import indicators as ind
from analytics.charts import selected
from analytics.i18n import t
from analytics.indicators import views
from analytics.indicators.format import describe_filters, period_label
from analytics.indicators.views import View
from analytics.reference.load import Reference

STATE = "_view"  # the session's View
HANDLED = "_handled_clicks"  # chart key -> the selection already applied
GENERATION = "_filters_generation"  # bumped when the view is replaced, see _key
PERIOD_KEY = "flt_year"
# "Approved data only" (issue #11): which versions are counted, not a filter of the rows, so it
# lives beside the View rather than in it: the register is read before the filters are drawn.
APPROVED_PARAM, APPROVED_STATE, APPROVED_KEY = "approved", "_approved", "flt_approved"
# Filters field -> (widget key, reference code list)
WIDGETS = {
    name: (f"flt_{param}", codelist) for name, (param, codelist) in views.FILTER_PARAMS.items()
}


def current(reference: Reference) -> View:
    """This session's view: the URL's when the session starts, then the widgets'."""
    if STATE not in st.session_state:
        st.session_state[STATE] = views.from_params(
            st.query_params.to_dict(), views.known_codes(reference)
        )
    return st.session_state[STATE]


def _key(base: str) -> str:
    # A widget keeps what its browser side shows even when its default changes; so when the view
    # is replaced (a click, the clear button) the widgets get new keys and are drawn afresh from
    # it, rather than being written through the Session State API.
    return f"{base}_{st.session_state.get(GENERATION, 0)}"


def set_view(view: View) -> None:
    """Replace the view (a click, the clear button); the widgets are redrawn from it."""
    st.session_state[STATE] = view
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def clear() -> None:
    """Back to every region, type and category, the latest year and the latest versions."""
    st.session_state[APPROVED_STATE] = False
    set_view(View())


def approved_only() -> bool:
    """Whether this session counts each region's latest approved version (`approved=1` in the
    URL when the session starts, then the switch). Read before the switch is drawn: on the run a
    click starts, the switch's state already holds the new value."""
    if APPROVED_STATE not in st.session_state:
        wanted = str(st.query_params.get(APPROVED_PARAM, "")).strip().lower()
        st.session_state[APPROVED_STATE] = wanted in ("1", "true", "yes")
    switch = st.session_state.get(_key(APPROVED_KEY))
    if switch is not None:
        st.session_state[APPROVED_STATE] = bool(switch)
    return st.session_state[APPROVED_STATE]


def _label(reference: Reference, codelist: str, lang: str):
    return lambda code: reference.label(codelist, code, lang)


def sidebar(prepared: ind.Prepared, lang: str) -> tuple[View, tuple[int, int]]:
    """Draw the filters in the sidebar; the view and its period (the latest year by default)."""
    reference = prepared.reference
    view = current(reference)
    years = ind.years_with_data(prepared)
    default = views.resolve_period(View(), years)
    period = views.resolve_period(view, years) or (default or (0, 0))
    chosen = {}
    with st.sidebar:
        st.header(t("filters.title", lang))
        if len(years) > 1:
            value = st.select_slider(
                t("filters.period", lang),
                options=list(range(years[0], years[-1] + 1)),
                value=period,
                key=_key(PERIOD_KEY),
                help=t("filters.period_help", lang),
            )
            period = (
                tuple(int(y) for y in value)
                if isinstance(value, (list, tuple))
                else (int(value),) * 2
            )
        elif years:
            st.caption(t("filters.only_year", lang, year=years[0]))
        for name, (key, codelist) in WIDGETS.items():
            options = reference.codes(codelist)
            chosen[name] = st.multiselect(
                t(f"filters.{name}", lang),
                options,
                default=[c for c in getattr(view.filters, name) if c in options],
                format_func=_label(reference, codelist, lang),
                key=_key(key),
                placeholder=t("filters.all", lang),
            )
        approved_switch(lang)
    # The widgets hold the user's latest choice; the view follows them.
    view = View(None if period == default else period, ind.Filters(**chosen))
    st.session_state[STATE] = view
    with st.sidebar:
        st.button(
            t("filters.clear", lang),
            on_click=clear,
            # Never disabled: a button that turns from disabled to enabled misses its next click.
            icon=":material/filter_alt_off:",
            key="flt_clear",
            width="stretch",
        )
    write_url(view)
    return view, period


def approved_switch(lang: str) -> bool:
    """The "approved data only" switch (drawn where it is called: in the sidebar)."""
    approved = st.toggle(
        t("review.approved_only", lang),
        value=approved_only(),
        key=_key(APPROVED_KEY),
        help=t("review.approved_only_help", lang),
    )
    st.session_state[APPROVED_STATE] = approved
    return approved


def write_url(view: View) -> None:
    """The view's parameters in the address bar (others, such as `lang`, are kept)."""
    wanted = views.to_params(view)
    if st.session_state.get(APPROVED_STATE):
        wanted[APPROVED_PARAM] = "1"
    for param in (*views.PARAMS, APPROVED_PARAM):
        if param in wanted:
            if st.query_params.get(param) != wanted[param]:
                st.query_params[param] = wanted[param]
        elif param in st.query_params:
            del st.query_params[param]


def clear_button(view: View, lang: str, key: str) -> None:
    """An obvious way back after a click on a chart: the same as the sidebar's button."""
    if views.to_params(view) or st.session_state.get(APPROVED_STATE):
        st.button(
            t("filters.clear", lang), on_click=clear, icon=":material/filter_alt_off:", key=key
        )


def apply_click(event, key: str, view: View, field: str, index: int = 0, convert=None) -> None:
    """Filter on what a click selected on a chart (customdata[index]), then rerun the page.

    A selection is applied once: the same selection coming back (the chart redrawn as it was
    after the user cleared the filters) does not filter again.
    """
    values = selected(event, index)
    handled = st.session_state.setdefault(HANDLED, {})
    if not values or handled.get(key) == values:
        return
    handled[key] = values
    if convert is not None:
        values = [v for v in (convert(v) for v in values) if v is not None]
        if not values:
            return
    if field == "period":
        years = sorted(int(v) for v in values)
        new = replace(view, period=(years[0], years[-1]))
    else:
        new = views.with_filter(view, **{field: tuple(values)})
    if new != view:
        set_view(new)
        st.rerun()


def describe(view: View, period: tuple[int, int], reference: Reference, lang: str) -> str:
    """One line saying what is shown: the period and the filters in force."""
    showing = t("filters.showing", lang, period=period_label(period))
    # A caption is Markdown: the labels are escaped.
    return (
        f"{showing} · {describe_filters(view.filters, reference, lang, 'filters', markdown=True)}"
    )


def narrow(filters: ind.Filters, **codes) -> ind.Filters:
    """The filters with one dimension narrowed to some codes (a type's or a region's section)."""
    return replace(filters, **codes)
