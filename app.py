"""Entry point: `streamlit run app.py`. Declares the pages and the frame shared by all of them."""

import logging
from pathlib import Path

import streamlit as st

from analytics.i18n import t
from ui.state import language_switch

# The icon is a file of ours: a :material/...: icon would be fetched from Google's font server.
st.set_page_config(page_title="Partnerships", page_icon=str(Path(__file__).parent / "static" / "favicon.png"), layout="wide")

lang = language_switch()

# Pages are plain scripts in pages/; each reads its filters, calls analytics and renders.
PAGES = {
    t("nav.section_dashboards", lang): [
        st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/dashboard:", default=True),
        st.Page("pages/by_type.py", title=t("nav.by_type", lang), icon=":material/category:"),
        st.Page("pages/by_region.py", title=t("nav.by_region", lang), icon=":material/public:"),
        st.Page("pages/partners.py", title=t("nav.partners", lang), icon=":material/groups:"),
        st.Page("pages/gaps.py", title=t("nav.gaps", lang), icon=":material/grid_on:"),
        st.Page("pages/catalogue.py", title=t("indicator_catalogue.title", lang), icon=":material/menu_book:"),
        st.Page("pages/board.py", title=t("board.nav", lang), icon=":material/slideshow:"),
    ],
    t("nav.section_data", lang): [
        st.Page("pages/upload.py", title=t("nav.upload", lang), icon=":material/upload_file:"),
        st.Page("pages/data_quality.py", title=t("quality.nav", lang), icon=":material/fact_check:"),
    ],
}

try:
    st.navigation(PAGES).run()
except Exception:  # the last guard: a sentence for the user, the traceback for the server log
    logging.getLogger("partnerships").exception("page failed")
    st.error(t("ui.unexpected_error", lang))
