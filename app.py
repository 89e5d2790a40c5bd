"""Entry point: `streamlit run app.py`. Declares the pages and the frame shared by all of them."""

import logging
from pathlib import Path

import streamlit as st

from analytics.access.roles import EDIT_REFERENCE, REVIEW
from analytics.i18n import t
from analytics.reference.refcheck import ReferenceDataError
from analytics.text import plain
from ui.auth import gate as sign_in_gate
from ui.data import new_run
from ui.state import language_switch

# The icon is a file of ours: a :material/...: icon would be fetched from Google's font server.
st.set_page_config(
    page_title="Partnerships",
    page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
    layout="wide",
)

new_run()  # the store's state is read once in this run, when a page first needs it
lang = language_switch()


def pages(user) -> dict[str, list]:
    """The pages of the navigation, by section, for `user` (None: every page, which the sign-in
    form declares, hidden, so that a link to a page still opens it once the form is passed)."""
    # Pages are plain scripts in app_pages/<section>/; each reads its filters, calls analytics
    # and renders. The folder must never be called `pages/`: Streamlit takes a `pages/` folder
    # beside the main script for its old multipage mode, which serves such files by their own URL
    # without this script (so without the sign-in gate) and, until st.navigation has run once in
    # the process, answers the first deep link of a fresh server (`/upload?lang=fr`) with a
    # "Page not found" dialog.
    sections = {
        t("nav.section_dashboards", lang): [
            st.Page(
                "app_pages/dashboards/overview.py",
                title=t("nav.overview", lang),
                icon=":material/dashboard:",
                default=True,
            ),
            st.Page(
                "app_pages/dashboards/by_type.py",
                title=t("nav.by_type", lang),
                icon=":material/category:",
            ),
            st.Page(
                "app_pages/dashboards/by_region.py",
                title=t("nav.by_region", lang),
                icon=":material/public:",
            ),
            st.Page(
                "app_pages/dashboards/partners.py",
                title=t("nav.partners", lang),
                icon=":material/groups:",
            ),
            st.Page(
                "app_pages/dashboards/gaps.py", title=t("nav.gaps", lang), icon=":material/grid_on:"
            ),
            st.Page(
                "app_pages/dashboards/agreements.py",
                title=t("nav.agreements", lang),
                icon=":material/handshake:",
            ),
            st.Page(
                "app_pages/dashboards/catalogue.py",
                title=t("indicator_catalogue.title", lang),
                icon=":material/menu_book:",
            ),
            st.Page(
                "app_pages/dashboards/board.py",
                title=t("board.nav", lang),
                icon=":material/slideshow:",
            ),
        ],
        t("nav.section_data", lang): [
            st.Page(
                "app_pages/data/upload.py",
                title=t("nav.upload", lang),
                icon=":material/upload_file:",
            ),
            st.Page(
                "app_pages/data/data_quality.py",
                title=t("quality.nav", lang),
                icon=":material/fact_check:",
            ),
        ],
    }
    # Directors and admins; the service checks each region again.
    if user is None or user.may_ever(REVIEW):
        sections[t("nav.section_data", lang)].append(
            st.Page(
                "app_pages/data/review.py", title=t("review.nav", lang), icon=":material/task_alt:"
            )
        )
    if user is None or user.can(EDIT_REFERENCE):
        sections[t("admin_nav.section", lang)] = [
            st.Page(
                "app_pages/admin/reference_admin.py",
                title=t("refadmin.nav", lang),
                icon=":material/tune:",
            ),
            st.Page(
                "app_pages/admin/audit.py",
                title=t("audit_page.nav", lang),
                icon=":material/history:",
            ),
        ]
    return sections


def keep_the_page() -> None:
    """Declares every page, hidden, while the sign-in form is shown: Streamlit then keeps the
    page the link asked for (`/by_region?lang=fr`), where a run that stops before any navigation
    falls back to the default page once signed in."""
    st.navigation(pages(None), position="hidden")


# The acting user (the demo visitor in demo mode); stops at the sign-in form.
user = sign_in_gate(lang, keep_the_page)

try:
    st.navigation(pages(user), expanded=True).run()  # every page listed: no English "View 3 more"
except ReferenceDataError as exc:  # a damaged reference file: which one and why, never a traceback
    st.error(plain(exc.message(lang)))
except Exception:  # the last guard: a sentence for the user, the traceback for the server log
    logging.getLogger("partnerships").exception("page failed")
    st.error(t("ui.unexpected_error", lang))
