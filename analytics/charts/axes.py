"""Axes, totals and category labels written out for people.

Tick labels and hovers are written by `analytics.i18n` (Babel), not left to Plotly's
English-only formatting, so a chart's "1,2 M $" is the card's and the slide's "1,2 M $".
"""

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from analytics.charts.frame import FONT_SIZE
from analytics.i18n import fmt_money, fmt_percent
from analytics.reference.load import Reference
from analytics.text import label as text_label


def nice_ticks(top: float, n: int = 5) -> list[float]:
    """0 and round steps up to at least `top` (1, 2, 2.5 or 5 × a power of ten)."""
    if not np.isfinite(top) or top <= 0:
        return [0.0]
    raw = top / n
    power = 10 ** math.floor(math.log10(raw))
    try:
        step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
        count = math.ceil(top / step - 1e-9)
        return [float(i * step) for i in range(count + 1)]
    except OverflowError:  # the last tick would be past the largest float (top near 1.8e308)
        return [0.0]


def money_axis(values: Sequence[float], lang: str) -> dict:
    ticks = nice_ticks(float(np.nanmax(values)) if len(values) else 0.0)
    return dict(
        tickvals=ticks,
        ticktext=[fmt_money(v, lang) for v in ticks],
        range=[0, ticks[-1] * 1.08 or 1],
    )


def percent_axis(values: Sequence[float], lang: str) -> dict:
    top = float(np.nanmax(values)) if len(values) and np.isfinite(np.nanmax(values)) else 0.0
    ticks = nice_ticks(top or 0.05)
    digits = 0 if all(abs(v * 100 - round(v * 100)) < 1e-9 for v in ticks) else 1
    return dict(
        tickvals=ticks,
        ticktext=[fmt_percent(v, lang, digits) for v in ticks],
        range=[0, ticks[-1] * 1.08],
    )


def count_axis() -> dict:
    return dict(tickformat=",d", rangemode="tozero")


def region_short(reference: Reference, code: str) -> str:
    """`RBD<br>Dakar` for axes (two short lines fit six regions side by side); the full name
    goes in the hover."""
    rows = reference.regions[reference.regions["code"] == code]
    return f"{code}<br>{text_label(rows['bureau'].iloc[0])}" if len(rows) else text_label(code)


def totals_text(fig: go.Figure, x, totals, lang: str, horizontal: bool = False) -> None:
    """The total above each stacked bar, as a text-only trace (not clickable, not in the legend)."""
    labels = [fmt_money(v, lang) if v > 0 else "" for v in totals]
    xy = dict(y=x, x=totals) if horizontal else dict(x=x, y=totals)
    fig.add_trace(
        go.Scatter(
            **xy,
            text=labels,
            mode="text",
            textposition="middle right" if horizontal else "top center",
            textfont=dict(size=FONT_SIZE - 1),
            hoverinfo="skip",
            showlegend=False,
        )
    )
