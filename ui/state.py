"""Per-session state that lives in the URL so a link opens the same view: the language."""

import streamlit as st

from analytics.i18n import DEFAULT_LANG, languages, t

KEY = "lang_switch"  # the sidebar radio
CHOSEN = "lang"  # the session's language once it has started: a plain value Streamlit never clears


def _from_url() -> str:
    chosen = st.query_params.get("lang") or DEFAULT_LANG
    return chosen if chosen in languages() else DEFAULT_LANG


def lang() -> str:
    """The session's language: its choice in the sidebar, else the URL's `?lang=fr`, else English."""
    chosen = st.session_state.get(CHOSEN) or _from_url()
    return chosen if chosen in languages() else DEFAULT_LANG


def _chosen() -> None:
    st.session_state[CHOSEN] = st.session_state[KEY]


def language_switch() -> str:
    """Sidebar radio to switch the whole app's language in one click; kept in the URL.

    The session's choice is the truth once the session has started: the URL is written from it,
    never read back into it, so a rerun that still carries the old `?lang=` cannot undo a click.
    It lives apart from the radio because Streamlit may drop a widget's state when the page changes.
    """
    from analytics.i18n import language_name

    if CHOSEN not in st.session_state:
        st.session_state[CHOSEN] = _from_url()
    if st.session_state.get(KEY) != st.session_state[CHOSEN]:
        st.session_state[KEY] = st.session_state[CHOSEN]
    st.sidebar.caption(t("ui.language", lang()))
    # The radio's own label never changes with the language: a widget whose label changes is a
    # new widget to Streamlit, and the click that changed it would be lost.
    st.sidebar.radio(
        " / ".join(t("ui.language", code) for code in languages()),
        languages(),
        format_func=language_name,
        horizontal=True,
        key=KEY,
        label_visibility="collapsed",
        on_change=_chosen,
    )
    choice = lang()
    if st.query_params.get("lang") != choice:
        st.query_params["lang"] = choice
    return choice
