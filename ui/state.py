"""Per-session state that lives in the URL so a link opens the same view: the language."""

import streamlit as st

from analytics.i18n import DEFAULT_LANG, languages, t


def lang() -> str:
    """The session's language: URL `?lang=fr`, else the session's choice, else English."""
    chosen = st.query_params.get("lang") or st.session_state.get("lang") or DEFAULT_LANG
    return chosen if chosen in languages() else DEFAULT_LANG


def language_switch() -> str:
    """Sidebar radio to switch the whole app's language in one click; kept in the URL."""
    from analytics.i18n import language_name

    current = lang()
    choice = st.sidebar.radio(
        t("ui.language", current),
        languages(),
        index=languages().index(current),
        format_func=language_name,
        horizontal=True,
        key="lang_switch",
    )
    st.session_state["lang"] = choice
    st.query_params["lang"] = choice
    return choice
