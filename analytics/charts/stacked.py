"""Stacked bars over regions or years, one colour per partnership type (or status), with the
total written above each bar: the contributions by region, an indicator's trend, a partner's
history.

Each bar carries its codes in `customdata` so that a click can filter on it.
"""

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics import indicators as ind
from analytics.charts.axes import count_axis, money_axis, region_short, totals_text
from analytics.charts.frame import base, empty_figure, hover_lines
from analytics.charts.palette import FADED, colour
from analytics.i18n import fmt_money, labelled, t
from analytics.reference.load import Reference
from analytics.text import label as text_label


def contributions_by_region(
    frame: pd.DataFrame,
    reference: Reference,
    lang: str = "en",
    title: str | None = None,
    origins: Mapping[tuple, str] | None = None,
) -> go.Figure:
    """Contributions (USD) per region, stacked by partnership type.

    frame: `region`, `partnership_type`, `contributions_usd` (as `indicators.compute` by both).
    customdata[0] is the region code, customdata[1] the type code. `origins`, by (region, type):
    how each bar's USD was obtained (`provenance.texts_by_group`), shown on hover.
    """
    origins = origins or {}
    if frame.empty or not np.nansum(frame["contributions_usd"]) > 0:
        return empty_figure(t("charts.no_contributions", lang), title, lang)
    regions = list(dict.fromkeys(frame["region"]))
    x = [region_short(reference, r) for r in regions]
    fig = base(title, lang)
    for code in dict.fromkeys(frame["partnership_type"]):
        rows = frame[frame["partnership_type"] == code].set_index("region").reindex(regions)
        values = rows["contributions_usd"].fillna(0.0).to_numpy(float)
        type_label = text_label(reference.label("partnership_type", code, lang))
        fig.add_trace(
            go.Bar(
                x=x,
                y=values,
                name=type_label,
                marker_color=colour("partnership_type", code),
                customdata=[
                    [
                        r,
                        code,
                        text_label(reference.region_name(r, lang)),
                        fmt_money(v, lang),
                        hover_lines(origins.get((r, code))),
                    ]
                    for r, v in zip(regions, values, strict=True)
                ],
                hovertemplate="<b>%{customdata[2]}</b><br>"
                + labelled(type_label, "%{customdata[3]}%{customdata[4]}", lang)
                + "<extra></extra>",
            )
        )
    totals = (
        frame.groupby("region", sort=False)["contributions_usd"]
        .sum()
        .reindex(regions)
        .fillna(0)
        .to_numpy()
    )
    totals_text(fig, x, totals, lang)
    fig.update_layout(barmode="stack", yaxis=money_axis(totals, lang), xaxis=dict(title=None))
    return fig


def trend(
    frame: pd.DataFrame,
    reference: Reference,
    lang: str = "en",
    indicator: str = "contributions_usd",
    period: tuple[int, int] | None = None,
    title: str | None = None,
) -> go.Figure:
    """One indicator over the years, stacked by partnership type; years outside the period faded.

    frame: `year`, `partnership_type`, the indicator (as `indicators.timeseries` by type).
    customdata[0] is the year.
    """
    if frame.empty or not np.nansum(frame[indicator]) > 0:
        return empty_figure(t("charts.no_data_years", lang), title, lang)
    years = sorted(int(y) for y in frame["year"].unique())
    opacity = [1.0 if period is None or period[0] <= y <= period[1] else FADED for y in years]
    fig = base(title, lang)
    for code in dict.fromkeys(frame["partnership_type"]):
        rows = frame[frame["partnership_type"] == code].set_index("year").reindex(years)
        values = rows[indicator].fillna(0.0).to_numpy(float)
        type_label = text_label(reference.label("partnership_type", code, lang))
        fig.add_trace(
            go.Bar(
                x=[str(y) for y in years],
                y=values,
                name=type_label,
                marker=dict(color=colour("partnership_type", code), opacity=opacity),
                customdata=[
                    [y, code, ind.format_value(indicator, v, lang)]
                    for y, v in zip(years, values, strict=True)
                ],
                hovertemplate="<b>%{customdata[0]}</b><br>"
                + labelled(type_label, "%{customdata[2]}", lang)
                + "<extra></extra>",
            )
        )
    totals = frame.groupby("year")[indicator].sum().reindex(years).fillna(0).to_numpy()
    if ind.unit(indicator) == "usd":
        totals_text(fig, [str(y) for y in years], totals, lang)
        yaxis = money_axis(totals, lang)
    else:
        yaxis = count_axis()
    fig.update_layout(barmode="stack", yaxis=yaxis, xaxis=dict(type="category", title=None))
    return fig


def partner_history(
    frame: pd.DataFrame, reference: Reference, lang: str = "en", title: str | None = None
) -> go.Figure:
    """One partner's contributions per year (USD), received and pledged stacked.

    frame: `year`, `status`, `usd` (as `views.history_by_year`).
    """
    if frame.empty:
        return empty_figure(t("charts.no_contributions", lang), title, lang)
    years = list(range(int(frame["year"].min()), int(frame["year"].max()) + 1))
    fig = base(title, lang, height=340)
    for status in dict.fromkeys(frame["status"]):
        rows = frame[frame["status"] == status].set_index("year").reindex(years)
        values = rows["usd"].fillna(0.0).to_numpy(float)
        label = text_label(reference.label("status", status, lang))
        fig.add_trace(
            go.Bar(
                x=[str(y) for y in years],
                y=values,
                name=label,
                marker_color=colour("status", status),
                customdata=[[y, fmt_money(v, lang)] for y, v in zip(years, values, strict=True)],
                hovertemplate="<b>%{customdata[0]}</b><br>"
                + labelled(label, "%{customdata[1]}", lang)
                + "<extra></extra>",
            )
        )
    totals = frame.groupby("year")["usd"].sum().reindex(years).fillna(0).to_numpy()
    totals_text(fig, [str(y) for y in years], totals, lang)
    fig.update_layout(barmode="stack", yaxis=money_axis(totals, lang), xaxis=dict(type="category"))
    return fig
