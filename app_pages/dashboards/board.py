"""Board: the deck of the current view, one slide at a time, a full-screen presentation mode, and
its PowerPoint and PDF. `?present=1&slide=N` in the URL opens the presentation on slide N."""

import logging

import streamlit as st

from analytics import indicators as ind
from analytics.board import slides
from analytics.i18n import t
from analytics.indicators import views
from analytics.reference.refcheck import ReferenceDataError
from analytics.text import plain
from ui import board_view as bv
from ui import dashboard as d
from ui import filters as ui_filters
from ui import page as ui_page

SLIDE, PRESENT = "board_slide", "board_present"
log = logging.getLogger(__name__)


def _state_from_url() -> None:
    """A link opens the same slide, in presentation mode or not."""
    if SLIDE not in st.session_state:
        try:
            st.session_state[SLIDE] = max(int(st.query_params.get("slide", 1)) - 1, 0)
        except ValueError:
            st.session_state[SLIDE] = 0
    if PRESENT not in st.session_state:
        st.session_state[PRESENT] = st.query_params.get("present") == "1"


def _go(step: int, total: int) -> None:
    st.session_state[SLIDE] = min(max(st.session_state[SLIDE] + step, 0), total - 1)


def _present(on: bool) -> None:
    st.session_state[PRESENT] = on


def _write_url(total: int) -> None:
    st.query_params["slide"] = str(st.session_state[SLIDE] + 1)
    if st.session_state[PRESENT]:
        st.query_params["present"] = "1"
    elif "present" in st.query_params:
        del st.query_params["present"]


def _navigation(total: int, lang: str, presenting: bool) -> None:
    """Previous and next, by click or key: the arrows, and Page Up/Down as presenters' clickers
    send them (two buttons kept out of sight carry those keys: a button takes one shortcut).
    One row of buttons as wide as their labels, so no label is ever cut; in presentation mode
    the row is fixed above the footer, so the buttons never move from slide to slide."""
    index = st.session_state[SLIDE]
    keys = t("board.keys_help", lang)
    with st.container(key="board_nav", horizontal=True, vertical_alignment="center"):
        st.button(
            t("board.previous", lang),
            on_click=_go,
            args=(-1, total),
            disabled=index == 0,
            icon=":material/arrow_back:",
            key="board_prev",
            width="content",
            shortcut="Left",
            help=keys,
        )
        st.button(
            t("board.next", lang),
            on_click=_go,
            args=(1, total),
            disabled=index >= total - 1,
            icon=":material/arrow_forward:",
            key="board_next",
            width="content",
            type="primary",
            shortcut="Right",
            help=keys,
        )
        st.markdown(t("board.slide_of", lang, n=index + 1, total=total), width="content")
        st.space("stretch")
        if presenting:
            st.button(
                t("board.leave", lang),
                on_click=_present,
                args=(False,),
                icon=":material/close_fullscreen:",
                key="board_leave",
                width="content",
                shortcut="Esc",
            )
        else:
            st.button(
                t("board.present", lang),
                on_click=_present,
                args=(True,),
                icon=":material/slideshow:",
                key="board_present_on",
                width="content",
                type="primary",
            )
    with st.container(key="board_clicker"):
        st.button("PageUp", on_click=_go, args=(-1, total), key="board_page_up", shortcut="PageUp")
        st.button(
            "PageDown", on_click=_go, args=(1, total), key="board_page_down", shortcut="PageDown"
        )


def main() -> None:
    # The title waits for the mode: presentation mode shows the slide alone.
    lang = ui_page.start("board", title=None, intro=None).lang
    _state_from_url()
    presenting = st.session_state[PRESENT]
    try:
        data = d.prepared()
        if data.is_empty:
            st.title(t("board.nav", lang))
            st.info(t("pages.empty_store", lang), icon=":material/inbox:")
            return
        if presenting:
            # The sidebar is hidden: the view is the one chosen before, as the filters keep it.
            view = ui_filters.current(data.reference)
            period = views.resolve_period(view, ind.years_with_data(data)) or slides.resolve_period(
                data
            )
        else:
            view, period = ui_filters.sidebar(data, lang)
        if presenting:
            deck = bv.deck(period, view.filters, lang)
            total = len(deck.slides)
            st.session_state[SLIDE] = min(st.session_state[SLIDE], total - 1)
            _write_url(total)
            with d.section(lang, "board slide"):
                bv.show_slide(deck, st.session_state[SLIDE], chart_height=700, presenting=True)
            _navigation(total, lang, presenting=True)
            bv.footer(deck, st.session_state[SLIDE])
            return
        st.title(t("board.nav", lang))
        st.caption(ui_filters.describe(view, period, data.reference, lang))
        st.markdown(t("board.intro", lang))
        with d.section(lang, "board deck"):  # the title and the filters stay if the deck fails
            deck = bv.deck(period, view.filters, lang)
            total = len(deck.slides)
            st.session_state[SLIDE] = min(st.session_state[SLIDE], total - 1)
            _write_url(total)
            bv.export_buttons(deck, key="board_export")
            _navigation(total, lang, presenting=False)
            with st.container(border=True), d.section(lang, "board slide"):
                bv.show_slide(deck, st.session_state[SLIDE], chart_height=560)
    except ReferenceDataError as exc:  # which file, which row, what: an admin can fix it
        log.warning("board page: %s", exc)
        st.error(plain(exc.message(lang)), icon=":material/table_edit:")
    except Exception:  # a user never sees a traceback; the log keeps it for the data manager
        log.exception("board page failed")
        st.error(t("ui.unexpected_error", lang))


main()
