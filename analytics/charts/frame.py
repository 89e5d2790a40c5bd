"""What every chart shares: the type sizes, the layout in the user's language, the empty chart,
Plotly's configuration for the app, and reading back what a click selected.

Maps need no internet: Plotly's geo base map (a topojson file) is served by the app itself
(`static/world_110m.json`, with `server.enableStaticServing`), and `PLOTLY_CONFIG` points
Plotly at it; pass it as `st.plotly_chart(fig, config=PLOTLY_CONFIG)`.
"""

import json
from functools import lru_cache

import plotly.graph_objects as go
from babel import numbers

from analytics.text import label as text_label

TOPOJSON_URL = "app/static/"  # relative to the page: also right behind a server.baseUrlPath
PLOTLY_CONFIG = {
    "displaylogo": False,
    "topojsonURL": TOPOJSON_URL,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

FONT_SIZE = 16  # readable from the back of a meeting room
# The app's own font first ("Source Sans" is the face Streamlit serves), quoted: a bare
# `Source Sans 3` is no valid CSS, the browser then drops the whole family and draws the text in
# its default font, wider than Plotly measured it, and legends end cut ("Resource mobilisati").
FONT = dict(
    family='"Source Sans", "Source Sans Pro", "Source Sans 3", Arial, sans-serif',
    size=FONT_SIZE,
    color="#1f1f1f",
)


def separators(lang: str) -> str:
    """Plotly's decimal and group separators in the language (a narrow space is drawn as one)."""
    return numbers.get_decimal_symbol(lang) + numbers.get_group_symbol(lang).replace("\u202f", " ")


@lru_cache(maxsize=256)
def _base_layout(title: str, lang: str, height: int) -> str:
    # The house layout, built and checked by Plotly once per title, language and height (a
    # figure's own traces and updates are still checked): filling in the plotly_white template
    # costs far more than the figure's data (a quarter of a second on a busy machine).
    fig = go.Figure()
    fig.update_layout(
        template="plotly_white",
        font=FONT,
        title=dict(text=title, font=dict(size=FONT_SIZE + 4), x=0, xanchor="left"),
        height=height,
        margin=dict(l=10, r=10, t=60 if title else 20, b=10),
        legend=dict(
            orientation="h",
            yanchor="bottom",
            y=1.0,
            xanchor="left",
            x=0,
            font=dict(size=FONT_SIZE - 1),
        ),
        hoverlabel=dict(font=dict(size=FONT_SIZE - 1)),
        separators=separators(lang),
        clickmode="event+select",
        dragmode=False,
    )
    return json.dumps(fig.to_dict()["layout"])


def base(title: str | None, lang: str, height: int = 460) -> go.Figure:
    """An empty figure with the house layout: title on the left, legend above the plot."""
    fig = go.Figure(layout=json.loads(_base_layout(title or "", lang, height)), _validate=False)
    fig._validate = True  # what the caller adds is checked as in any figure
    return fig


def empty_figure(message: str, title: str | None = None, lang: str = "en") -> go.Figure:
    """A figure that says there is nothing to draw (exports never get a blank chart)."""
    fig = base(title, lang, height=260)
    fig.add_annotation(
        text=message,
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font=dict(size=FONT_SIZE + 2),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def selected(event, index: int = 0) -> list:
    """The customdata[index] of the points a click selected on a chart (`st.plotly_chart` event)."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return []
    out = []
    for point in points or []:
        data = point.get("customdata")
        if isinstance(data, (list, tuple)) and len(data) > index and data[index] not in out:
            out.append(data[index])
    return out


def hover_lines(text: str | None) -> str:
    """A multi-line text (a USD figure's provenance) as the tail of a hover: "" when none."""
    if not text:
        return ""
    return "".join("<br>" + text_label(line) for line in text.splitlines())
