"""Stored text shown as text: partner names, sectors, focal points, descriptions, links' values.

Streamlit renders Markdown (with LaTeX, `:red[...]` colours, images and links) in st.markdown,
captions, titles, alerts, tabs, labels and help; Plotly renders a subset of HTML (`<b>`, `<br>`,
`<a href>`) in labels and hovers. What people typed goes through `plain` (Markdown) or `label`
(Plotly) before it is placed in either, so it shows exactly as typed. Both also remove the bidi
controls that would reverse what is shown next to the text, and isolate right-to-left text.
"""

import html
import math
import re
import unicodedata

# Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
FSI, PDI = "\u2068", "\u2069"  # first strong isolate … pop directional isolate
_RIGHT_TO_LEFT = {"R", "AL"}
# Every ASCII punctuation character may be backslash-escaped in CommonMark: escaping them all
# leaves no syntax (emphasis, links, images, `$` maths, `:colour[` directives, HTML).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GFM turns addresses in plain text into links after parsing, escapes or not ("http://…",
# "www.…", "name@host"): an invisible word joiner keeps them from being recognised.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www|xmpp)(?=[:.])|(@)")


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def bidi_safe(value) -> str:
    """The text without bidi controls; right-to-left text wrapped in an isolate (FSI … PDI), so
    that it cannot reorder what stands beside it."""
    text = BIDI_CONTROLS.sub("", _text(value))
    if any(unicodedata.bidirectional(ch) in _RIGHT_TO_LEFT for ch in text):
        return FSI + text + PDI
    return text


def plain(value) -> str:
    """Text for Streamlit's Markdown that shows as typed, on one line ("" for None or NaN)."""
    text = re.sub(r"[\r\n]+", " ", bidi_safe(value))
    text = _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, text)
    return _PUNCTUATION.sub(r"\\\1", text)


def label(value) -> str:
    """Text for a Plotly label, hover or legend that shows as typed: `<b>` stays `<b>`."""
    return html.escape(re.sub(r"[\r\n]+", " ", bidi_safe(value)), quote=False)
