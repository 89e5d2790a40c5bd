"""A board slide's chart as a Plotly figure, for the presentation mode (the exports draw the same series)."""

import plotly.graph_objects as go

from analytics.board.slides import Chart
from analytics.charts.axes import nice_ticks
from analytics.charts.frame import FONT, separators
from analytics.indicators.format import format_unit_value

PROJECTOR_FONT = 24  # readable from the back of a board room at 1920×1080


def figure(chart: Chart, lang: str, height: int = 720) -> go.Figure:
    """Bars of every series, stacked or side by side, values labelled in the language."""
    horizontal = chart.kind == "bar"
    fig = go.Figure()
    for series in chart.series:
        values = [None if v != v else v for v in series.values]
        text = [format_unit_value(chart.unit, v, lang) if v is not None else "" for v in values]
        fig.add_trace(
            go.Bar(
                x=values if horizontal else list(chart.categories),
                y=list(chart.categories) if horizontal else values,
                orientation="h" if horizontal else "v",
                name=series.name,
                marker_color=series.colour,
                text=None if chart.stacked else text,
                textposition="outside",
                textfont=dict(size=PROJECTOR_FONT - 2),
                hovertext=text,
                hovertemplate="%{hovertext}<extra>" + series.name + "</extra>",
            )
        )
    columns = [
        [v for v in col if v == v] for col in zip(*(s.values for s in chart.series), strict=True)
    ]
    top = (
        max((sum(c) if chart.stacked else max(c, default=0.0)) for c in columns) if columns else 0.0
    )
    if chart.stacked:  # the total above each stack, as text only
        totals = [sum(c) for c in columns]
        fig.add_trace(
            go.Scatter(
                x=list(chart.categories),
                y=totals,
                mode="text",
                textposition="top center",
                text=[format_unit_value(chart.unit, v, lang) if v > 0 else "" for v in totals],
                textfont=dict(size=PROJECTOR_FONT - 2),
                hoverinfo="skip",
                showlegend=False,
            )
        )
    ticks = nice_ticks(top)
    # Room past the last tick for a value written at a bar's end ("100.0%" beside a full
    # horizontal bar, in a half-width column at 1440 px); columns' labels sit above, in height.
    room = 1.25 if horizontal and not chart.stacked else 1.12
    axis = dict(
        tickvals=ticks,
        ticktext=[format_unit_value(chart.unit, v, lang) for v in ticks],
        range=[0, ticks[-1] * room or 1],
        gridcolor="#e5e5e5",
    )
    fig.update_layout(
        template="plotly_white",
        font={**FONT, "size": PROJECTOR_FONT},
        height=height,
        barmode="stack" if chart.stacked else "group",
        showlegend=len(chart.series) > 1,
        legend=dict(
            orientation="h",
            yanchor="bottom",
            y=1.02,
            xanchor="left",
            x=0,
            font=dict(size=PROJECTOR_FONT),
            traceorder="normal",
        ),
        margin=dict(l=10, r=30, t=60, b=10),
        separators=separators(lang),
        dragmode=False,
        uniformtext=dict(minsize=PROJECTOR_FONT - 8, mode="hide"),
    )
    if horizontal:
        fig.update_layout(xaxis=axis, yaxis=dict(autorange="reversed"))
    else:
        fig.update_layout(yaxis=axis)
    return fig
