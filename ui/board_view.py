"""The board page's pieces: a slide drawn in large type, the presentation-mode CSS, the deck cache.

Text, numbers and charts all come from the `Deck` (analytics/board/slides.py) that the exports write;
this module only lays them out. Every text is HTML-escaped before it is placed in markup.
"""

from datetime import date
from html import escape

import streamlit as st

from analytics import config
from analytics import indicators as ind
from analytics.board import evidence, exports, slides
from analytics.board.slide_figure import figure
from analytics.i18n import t
from analytics.store.removals import removals
from ui import dashboard as d
from ui.data import store

SLIDE_CSS = """
<style>
.st-key-board_clicker {position: absolute; left: -10000px; top: 0; width: 1px; height: 1px; overflow: hidden;}
.bd-title {font-size: 2.9rem; font-weight: 700; line-height: 1.15; margin: 0 0 .4rem 0; color: #1f1f1f;}
.bd-subtitle {font-size: 1.6rem; color: #595959; margin: 0 0 1.2rem 0;}
.bd-cover {display: flex; flex-direction: column; justify-content: center; box-sizing: border-box; padding: 2rem 0;}
.bd-cover-block {display: flex; flex-direction: column; padding: .4rem 0 .4rem 2.2rem; border-left: .7rem solid #0072B2;}
.bd-cover .bd-org {font-size: 1.7rem; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: #0072B2; margin: 0 0 1rem 0;}
.bd-cover .bd-title {font-size: clamp(3rem, 4.6vw, 5.6rem); line-height: 1.08; margin: 0 0 2rem 0;}
.bd-cover p {font-size: clamp(1.4rem, 1.9vw, 2.1rem); color: #444; margin: .35rem 0;}
.bd-cover p.bd-sample {display: inline-block; align-self: flex-start; margin-top: 1.2rem; padding: .3rem .9rem;
  border-radius: .4rem; background: #fff4ce; color: #5c4400; font-weight: 600;}
.bd-cover p.bd-date {font-size: clamp(1.1rem, 1.4vw, 1.5rem); color: #6b6b6b; margin-top: 1.6rem;}
.bd-facts {display: flex; flex-direction: column; gap: 1.6rem; padding-top: 1rem;}
.bd-fact {border-left: .45rem solid #b42318; padding: .2rem 0 .2rem 1.2rem;}
.bd-fact + .bd-fact {border-left-color: #E69F00;}
.bd-fact .bd-value {font-size: 4rem;}
.bd-fact .bd-detail {font-size: 1.45rem; color: #444;}
.bd-sentence {font-size: 1.9rem; line-height: 1.4; color: #1f1f1f; max-width: 60rem; padding: 6vh 0 0 0;}
.bd-cards {display: grid; grid-template-columns: repeat(4, 1fr); gap: 1.4rem;}
.bd-card {border: 1px solid #d0d0d0; border-radius: .8rem; padding: 1.2rem 1.4rem; background: #fafafa;}
.bd-label {font-size: 1.5rem; color: #444;}
.bd-value {font-size: 3.4rem; font-weight: 700; line-height: 1.2; color: #1f1f1f;}
.bd-change {font-size: 1.4rem; color: #595959;}
.bd-good {color: #1a7f37;} .bd-bad {color: #b42318;}
.bd-prev {font-size: 1.15rem; color: #6b6b6b;}
.bd-note {font-size: 1.3rem; color: #595959; margin-top: .4rem;}
.bd-story {font-size: 1.7rem; line-height: 1.35; color: #1f1f1f;} .bd-story li {margin: 0 0 .8rem 0;}
.bd-defs {width: 100%; border-collapse: collapse; font-size: 1.35rem;}
.bd-defs th, .bd-defs td {text-align: left; vertical-align: top; padding: .55rem .8rem; border-bottom: 1px solid #ddd;}
.bd-defs th {background: #f0f0f0;}
.bd-defs td:first-child {width: 24%; font-weight: 600;}
</style>
"""

# Presentation mode: nothing but the slide (no sidebar, header, toolbar), a fixed footer.
PRESENT_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="collapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebarNav"] {display: none !important;}
[data-testid="stMainBlockContainer"], .block-container {padding: 1.6rem 4rem 8rem 4rem !important; max-width: 100% !important;}
/* Streamlit gives a horizontal block width: 100%, which would win over left and right and push
   the row's last button (leave the presentation) past the right edge: the width comes from both. */
.st-key-board_nav {position: fixed; left: 4rem; right: 4rem; bottom: 2.9rem; z-index: 999991; background: #fff; padding-top: .35rem;
  width: auto !important; max-width: none !important; box-sizing: border-box;}
.bd-footer {position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990; display: flex; justify-content: space-between;
  gap: 2rem; padding: .55rem 4rem; font-size: 1.15rem; color: #555; background: #fff; border-top: 1px solid #ddd;}
</style>
"""


@st.cache_data(show_spinner=False, max_entries=32)
def _deck(
    state: tuple, period: tuple[int, int], filters: ind.Filters, lang: str, today: date
) -> slides.Deck:
    # The versions the prepared register was read from: the latest, or the approved ones.
    opened = store()
    vintage = evidence.vintages(opened, approved=state[-1])
    # The story slide tells what the overview tells: removals with their reasons, overdue reports.
    deck = slides.build_deck(d.prepared(), period, filters, lang, today, vintage, removals(opened))
    return exports.with_counted(deck, state[-1], lang)  # the title slide says which data it counts


def deck(period: tuple[int, int], filters: ind.Filters, lang: str) -> slides.Deck:
    """The deck of the view, cached per store and reference state, view, language and day."""
    return _deck(d.state(), period, filters, lang, config.today())


def _cards_html(slide: slides.Slide, lang: str) -> str:
    cards = []
    for c in slide.cards:
        tone = {True: " bd-good", False: " bd-bad"}.get(c.good, "")
        cards.append(
            f'<div class="bd-card"><div class="bd-label">{escape(c.label)}</div>'
            f'<div class="bd-value">{escape(c.text)}</div>'
            f'<div class="bd-change{tone}">{escape(c.change)}</div>'
            f'<div class="bd-prev">{escape(c.previous_line)}</div>'
            + (f'<div class="bd-prev">{escape(c.target)}</div>' if c.target else "")
            + "</div>"
        )
    return f'<div class="bd-cards">{"".join(cards)}</div>'


def _definitions_html(slide: slides.Slide, lang: str) -> str:
    head = f"<tr><th>{escape(t('board.definition_name', lang))}</th><th>{escape(t('board.definition_text', lang))}</th></tr>"
    rows = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td></tr>" for a, b in slide.rows)
    return f'<table class="bd-defs">{head}{rows}</table>'


def _cover_html(slide: slides.Slide, lang: str, height: str) -> str:
    """The title slide, filling the slide's height: organisation, title, the view, which data
    it counts, the sample-data label, the date (the last line)."""
    sample = t("board.sample_note", lang)
    body = "".join(
        f'<p class="{"bd-sample" if x == sample else "bd-date" if n == len(slide.items) - 1 else ""}">'
        f"{escape(x)}</p>"
        for n, x in enumerate(slide.items)
    )
    return (
        f'<div class="bd-cover" style="min-height: {height}"><div class="bd-cover-block">'
        f'<div class="bd-org">{escape(slide.subtitle)}</div>'
        f'<div class="bd-title">{escape(slide.title)}</div>{body}</div></div>'
    )


def _facts_html(slide: slides.Slide) -> str:
    facts = "".join(
        f'<div class="bd-fact"><div class="bd-label">{escape(f.label)}</div>'
        f'<div class="bd-value">{escape(f.text)}</div>'
        f'<div class="bd-detail">{escape(f.detail)}</div></div>'
        for f in slide.facts
    )
    return f'<div class="bd-facts">{facts}</div>'


def _chart(slide: slides.Slide, lang: str, height: int) -> None:
    st.plotly_chart(
        figure(slide.chart, lang, height),
        config={"displayModeBar": False, "displaylogo": False},
        theme=None,
        key=f"board_chart_{slide.key}",
    )


def _follow_up(slide: slides.Slide, lang: str, chart_height: int) -> None:
    """On-time rate by region beside the overdue reports and the agreements ending soon."""
    if not slide.facts:  # no agreement in the view: said in a sentence
        st.html(f'<div class="bd-sentence">{escape(" ".join(slide.items))}</div>')
        return
    st.html(f'<div class="bd-subtitle">{escape(slide.subtitle)}</div>')
    left, right = st.columns([3, 2], gap="large")
    with left:
        if slide.chart is not None:
            _chart(slide, lang, chart_height - 160)  # beside the facts, under a subtitle
        st.html(f'<div class="bd-note">{escape(slide.note)}</div>')
    with right:
        st.html(_facts_html(slide))


def show_slide(
    deck: slides.Deck, index: int, chart_height: int = 720, presenting: bool = False
) -> None:
    """One slide, in large type: a cover, key indicator cards, a chart or definitions. The
    cover fills the screen when `presenting`, else the height of a chart slide."""
    slide, lang = deck.slides[index], deck.lang
    st.html(SLIDE_CSS)
    if slide.kind == "title":
        height = "calc(100vh - 12rem)" if presenting else f"{chart_height + 110}px"
        st.html(_cover_html(slide, lang, height))
        return
    st.html(f'<div class="bd-title">{escape(slide.title)}</div>')
    if slide.kind == "story":
        items = "".join(f"<li>{escape(x)}</li>" for x in slide.items)
        st.html(f'<ul class="bd-story">{items}</ul>')
    elif slide.kind == "cards":
        st.html(
            f'<div class="bd-subtitle">{escape(slide.subtitle)}</div>{_cards_html(slide, lang)}'
        )
    elif slide.kind == "chart":
        _chart(slide, lang, chart_height)
        st.html(f'<div class="bd-note">{escape(slide.note)}</div>')
    elif slide.kind == "follow_up":
        _follow_up(slide, lang, chart_height)
    else:
        st.html(_definitions_html(slide, lang))


def footer(deck: slides.Deck, index: int) -> None:
    """The view on show (period and filters) and the slide number, fixed at the bottom."""
    where = t("board.slide_of", deck.lang, n=index + 1, total=len(deck.slides))
    st.html(
        PRESENT_CSS
        + f'<div class="bd-footer"><span>{escape(deck.footer)}</span><span>{escape(where)}</span></div>'
    )


def export_buttons(deck: slides.Deck, key: str) -> None:
    """PowerPoint and PDF of the deck on show; the files are written only when clicked."""
    row = st.container(horizontal=True)  # buttons as wide as their labels: never cut
    for fmt, label in (("pptx", "board.download_pptx"), ("pdf", "board.download_pdf")):
        row.download_button(
            t(label, deck.lang),
            lambda fmt=fmt: exports.export(deck, fmt),
            file_name=exports.file_name(deck, fmt),
            mime=exports.FORMATS[fmt],
            key=f"{key}_{fmt}",
            on_click="ignore",
            icon=":material/download:",
            width="content",
        )
