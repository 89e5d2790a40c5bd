"""Indicator definitions: the catalogue of analytics.indicators, generated, in the user's language."""

import streamlit as st

from analytics import indicators as ind
from ui import page as ui_page
from ui.downloads import table_downloads

c = ui_page.start("indicator_catalogue", intro=None)
lang = c.lang
st.markdown(c("intro"))
st.markdown(
    "\n".join(
        f"- {c(rule)}" for rule in ("active_rule", "growth_rule", "target_rule", "group_rule")
    )
)

table = ind.catalogue_table(lang)
headers = {col: c(col) for col in table.columns}
st.table(table.rename(columns=headers).set_index(headers["id"]))
table_downloads(table.rename(columns=headers), "indicators", lang, key="dl_catalogue")
