"""Overview: placeholder until the director's indicators land (issue 4)."""

import streamlit as st

from analytics.i18n import t
from ui.data import current_register
from ui.state import lang as current_lang

lang = current_lang()
st.title(t("nav.overview", lang))
partners, contributions = current_register()
st.write(t("upload.overview_placeholder", lang, partners=len(partners), contributions=len(contributions)))
