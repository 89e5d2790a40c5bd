"""Audit trail (admins): every sign-in, upload, commit, restore and change, filterable, as CSV."""

from datetime import UTC, date, datetime, time, timedelta

import streamlit as st

from analytics.access.roles import Refused
from analytics.store import audit
from ui import page as ui_page
from ui import tables
from ui.data import store

a = ui_page.start("audit_page")  # a("title") is audit_page.title in the page's language

left, middle, right = st.columns(3)
actor = left.text_input(a("actor"), key="audit_actor").strip()
actions = middle.multiselect(
    a("actions"),
    list(audit.ACTIONS),
    format_func=lambda x: a(f"action.{x}"),
    key="audit_actions",
    placeholder=a("all"),  # Streamlit's own "Choose options" is English
)
regions = a.reference().region_codes
region = right.selectbox(
    a("region"), ["", *regions], format_func=lambda r: r or a("all"), key="audit_region"
)
since_col, until_col = st.columns(2)
day_format = a("date_format")  # how the language writes a day (the widget's own is YYYY/MM/DD)
since = since_col.date_input(a("since"), value=None, key="audit_since", format=day_format)
until = until_col.date_input(a("until"), value=None, key="audit_until", format=day_format)


def _start(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=UTC) if day else None


try:
    trail = audit.entries(
        store(),
        a.user,
        actor=actor or None,
        actions=actions or None,
        region=region or None,
        since=_start(since),
        until=_start(until + timedelta(days=1)) if until else None,
        lang=a.lang,
    )
except Refused as refused:
    a.refused(refused)

if trail.empty:
    st.info(a("empty"))
    st.stop()
st.caption(a("count", count=len(trail)))
shown = trail.drop(columns="id").assign(action=trail["action"].map(lambda x: a(f"action.{x}")))
tables.dataframe(shown, a.lang, column_config={c: a(f"columns.{c}") for c in shown.columns})
st.download_button(
    a("download"), audit.to_csv(trail), file_name=a("file"), mime="text/csv", key="audit_download"
)
