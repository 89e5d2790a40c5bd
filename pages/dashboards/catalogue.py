"""Indicator definitions: the catalogue of analytics.indicators, generated, in the user's language."""

import streamlit as st

from analytics import indicators as ind
from analytics.i18n import t
from ui.downloads import table_downloads
from ui.state import lang as current_lang

lang = current_lang()
st.title(t("indicator_catalogue.title", lang))
st.markdown(t("indicator_catalogue.intro", lang))
st.markdown(
    "\n".join(
        f"- {t(f'indicator_catalogue.{rule}', lang)}"
        for rule in ("active_rule", "growth_rule", "target_rule", "group_rule")
    )
)

table = ind.catalogue_table(lang)
headers = {col: t(f"indicator_catalogue.{col}", lang) for col in table.columns}
st.table(table.rename(columns=headers).set_index(headers["id"]))
table_downloads(table.rename(columns=headers), "indicators", lang, key="dl_catalogue")
