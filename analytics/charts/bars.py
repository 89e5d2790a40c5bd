"""Plain bars, one per partner, region or partnership type, each labelled with its value: the
largest partners, the private-sector share against its target, an indicator by type.

Each bar carries its codes in `customdata` so that a click can filter on it.
"""

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics import indicators as ind
from analytics.charts.axes import count_axis, money_axis, percent_axis, region_short
from analytics.charts.frame import base, empty_figure, hover_lines
from analytics.charts.palette import TARGET_COLOUR, colour
from analytics.i18n import fmt_money, fmt_percent, t
from analytics.reference.load import Reference
from analytics.text import label as text_label


def concentration(
    frame: pd.DataFrame, reference: Reference, lang: str = "en", title: str | None = None
) -> go.Figure:
    """The largest partners, largest on top, each bar labelled with its share of the total.

    frame: `indicators.top_partners` (partner_name, region, partner_id, partnership_type, usd, share).
    customdata[0] is the partner reference `REGION:PARTNER_ID`.
    """
    if frame.empty:
        return empty_figure(t("charts.no_contributions", lang), title, lang)
    rows = frame.iloc[::-1]  # Plotly draws the first category at the bottom
    # Partner names as typed: Plotly would render `<b>`, `<br>` or a link in them.
    labels = [
        f"{text_label(n)} ({r})"
        for n, r in zip(
            rows["partner_name"].fillna(rows["partner_id"]), rows["region"], strict=True
        )
    ]
    fig = base(title, lang, height=max(320, 46 * len(rows) + 90))
    fig.add_trace(
        go.Bar(
            y=labels,
            x=rows["usd"],
            orientation="h",
            marker_color=[colour("partnership_type", c) for c in rows["partnership_type"]],
            text=[
                f"{fmt_money(u, lang)} · {fmt_percent(s, lang)}"
                for u, s in zip(rows["usd"], rows["share"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [f"{r}:{p}", text_label(reference.label("partnership_type", c, lang))]
                for r, p, c in zip(
                    rows["region"], rows["partner_id"], rows["partnership_type"], strict=True
                )
            ],
            hovertemplate="<b>%{y}</b><br>%{customdata[1]}<br>%{text}<extra></extra>",
            showlegend=False,
        )
    )
    axis = money_axis(rows["usd"].to_numpy(float), lang)
    axis["range"] = [0, axis["range"][1] * 1.35]  # room for the labels
    fig.update_layout(xaxis=axis, yaxis=dict(automargin=True))
    return fig


def share_vs_target(
    frame: pd.DataFrame, reference: Reference, lang: str = "en", title: str | None = None
) -> go.Figure:
    """Private-sector share of budget per region, against its target (a dashed line).

    frame: `region`, `private_share_of_budget`, `target` (as `views.share_vs_target`).
    customdata[0] is the region code.
    """
    values = frame["private_share_of_budget"].to_numpy(float)
    if frame.empty or not np.isfinite(values).any():
        return empty_figure(t("charts.no_budget", lang), title, lang)
    regions = list(frame["region"])
    x = [region_short(reference, r) for r in regions]
    fig = base(title, lang, height=400)
    fig.add_trace(
        go.Bar(
            x=x,
            y=np.nan_to_num(values),
            name=t("charts.private_share", lang),
            marker_color=[colour("region", r) for r in regions],
            text=[fmt_percent(v, lang) for v in values],
            textposition="outside",
            cliponaxis=False,
            customdata=[[r, text_label(reference.region_name(r, lang))] for r in regions],
            hovertemplate="<b>%{customdata[1]}</b><br>%{text}<extra></extra>",
            showlegend=False,
        )
    )
    targets = frame["target"].to_numpy(float)
    if np.isfinite(targets).any():
        fig.add_trace(
            go.Scatter(
                x=x,
                y=targets,
                mode="lines+markers",
                name=t("charts.target", lang),
                line=dict(color=TARGET_COLOUR, dash="dash", width=3, shape="hvh"),
                marker=dict(symbol="line-ew-open", size=26, color=TARGET_COLOUR),
                text=[fmt_percent(v, lang) for v in targets],
                hovertemplate=t("charts.target", lang) + ": %{text}<extra></extra>",
            )
        )
    fig.update_layout(
        yaxis=percent_axis(np.concatenate([values, targets]), lang), xaxis=dict(title=None)
    )
    return fig


def by_type(
    frame: pd.DataFrame,
    indicator: str,
    reference: Reference,
    lang: str = "en",
    title: str | None = None,
    origins: Mapping[tuple, str] | None = None,
) -> go.Figure:
    """One indicator per partnership type, a bar each in the type's colour.

    frame: `partnership_type` and the indicator (as `indicators.compute` by type).
    customdata[0] is the type code. `origins`, by (type,): how a USD bar was obtained, on hover.
    """
    origins = origins or {}
    values = frame[indicator].to_numpy(float) if not frame.empty else np.array([])
    if frame.empty or not np.isfinite(values).any():
        return empty_figure(t("ui.no_data", lang), title, lang)
    codes = list(frame["partnership_type"])
    fig = base(title, lang, height=360)
    fig.add_trace(
        go.Bar(
            x=[text_label(reference.label("partnership_type", c, lang)) for c in codes],
            y=np.nan_to_num(values),
            marker_color=[colour("partnership_type", c) for c in codes],
            text=[ind.format_value(indicator, v, lang) for v in values],
            textposition="outside",
            cliponaxis=False,
            customdata=[[c, hover_lines(origins.get((c,)))] for c in codes],
            hovertemplate="<b>%{x}</b><br>%{text}%{customdata[1]}<extra></extra>",
            showlegend=False,
        )
    )
    kind = ind.unit(indicator)
    if kind == "usd":
        yaxis = money_axis(values, lang)
    elif kind == "share":
        yaxis = percent_axis(values, lang)
    else:
        yaxis = count_axis()
    fig.update_layout(yaxis=yaxis, xaxis=dict(title=None))
    return fig
