"""Agreements: overdue reports first, reports due soon, agreements ending soon, committed vs received."""

import pandas as pd
import streamlit as st

from analytics import config
from analytics.i18n import t
from analytics.indicators import follow_up_lists as lists
from analytics.store.changes import field_label
from ui import dashboard as d
from ui.data import store, store_state

ALL = ""


@st.cache_data(show_spinner=False, max_entries=4)
def _frames(state: int) -> tuple[pd.DataFrame, ...]:
    """Partners, contributions, agreements and reports of the current versions (per store state)."""
    partners, contributions = store().load_current()
    agreements, reports = store().load_follow_up()
    return partners, contributions, agreements, reports


def _shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Headers in the user's language; dates as dates."""
    out = frame.copy()
    for name in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[name]):
            out[name] = out[name].dt.date
    key = "pages.agreements."
    names = {
        c: t(key + c, lang) if c in ("days_late", *MONEY) else field_label(c, lang)
        for c in out.columns
    }
    return out.rename(columns=names)


MONEY = ("committed_usd", "received_usd", "received_share")


def _table(frame: pd.DataFrame, title: str, empty: str, lang: str) -> None:
    st.subheader(t(f"pages.agreements.{title}", lang))
    if frame.empty:
        st.caption(t(f"pages.agreements.{empty}", lang))
    else:
        st.dataframe(_shown(frame, lang), hide_index=True)


def body(page: d.Page) -> None:
    lang, today = page.lang, config.today()
    partners, contributions, agreements, reports = _frames(store_state())
    if agreements.empty:
        st.info(t("pages.agreements.none", lang))
        return
    regions = sorted(agreements["region"].unique())
    choice = st.selectbox(
        t("pages.agreements.region", lang),
        [ALL, *regions],
        format_func=lambda r: t("pages.agreements.all_regions", lang) if r == ALL else r,
        key="agreements_region",
    )
    region = choice or None
    overdue = lists.overdue_reports(partners, agreements, reports, today, region)
    if len(overdue):
        st.markdown(t("pages.agreements.overdue_count", lang, count=len(overdue)))
    _table(overdue, "overdue", "overdue_none", lang)
    due = lists.reports_due_soon(partners, agreements, reports, today, region)
    _table(due, "due_soon", "due_soon_none", lang)
    ending = lists.agreements_ending_soon(partners, agreements, today, region)
    _table(ending, "ending", "ending_none", lang)
    money = lists.committed_vs_received(agreements, contributions, page.reference, today, region)
    _table(money, "money", "money_none", lang)


d.run("pages.agreements.title", body)
