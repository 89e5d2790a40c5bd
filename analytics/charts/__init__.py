"""Plotly figure builders for the pages, the board and the exports: frames in, `go.Figure` out.

One colour per partnership type and per region, defined here once, from colour-blind-safe
palettes (Okabe–Ito for the four types, Paul Tol's "muted" for the regions, so a type is never
mistaken for a region). Numbers are formatted for people in the user's language by Babel (the
tick labels and hovers are written out, not left to Plotly's English-only formatting), and the
type sizes are meant to be read on a projector. Each bar or map area carries its codes in
`customdata[0]` so that a click can filter on it.

Maps need no internet: Plotly's geo base map (a topojson file) is served by the app itself
(`static/world_110m.json`, with `server.enableStaticServing`), and `PLOTLY_CONFIG` points
Plotly at it; pass it as `st.plotly_chart(fig, config=PLOTLY_CONFIG)`.
"""

import math
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel import numbers

from analytics import indicators as ind
from analytics.i18n import HUGE, finite, fmt_money, fmt_number, fmt_percent, t
from analytics.indicators.views import country_name
from analytics.reference.load import Reference
from analytics.text import label as text_label

TYPE_COLOURS = {  # Okabe & Ito (2008), colour-blind safe
    "advocacy": "#0072B2",
    "innovation": "#E69F00",
    "resource_mobilization": "#009E73",
    "implementation": "#CC79A7",
}
REGION_COLOURS = {  # Paul Tol's "muted" scheme, colour-blind safe
    "RBB": "#332288",
    "RBC": "#88CCEE",
    "RBD": "#44AA99",
    "RBJ": "#DDCC77",
    "RBN": "#CC6677",
    "RBP": "#AA4499",
}
STATUS_COLOURS = {"received": "#0072B2", "pledged": "#56B4E9"}
# Codes HQ may add later get a stable colour from the rest of Tol's scheme.
SPARE_COLOURS = ("#117733", "#999933", "#882255", "#6699CC", "#661100", "#888888")
GAP_COLOUR = "#D55E00"  # vermillion: an empty objective × region cell
TARGET_COLOUR = "#000000"
MAP_SCALE = "Blues"
FADED = 0.35  # opacity of years outside the chosen period

TOPOJSON_URL = "app/static/"  # relative to the page: also right behind a server.baseUrlPath
PLOTLY_CONFIG = {
    "displaylogo": False,
    "topojsonURL": TOPOJSON_URL,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

FONT_SIZE = 16  # readable from the back of a meeting room
FONT = dict(
    family="Source Sans Pro, Source Sans 3, Arial, sans-serif", size=FONT_SIZE, color="#1f1f1f"
)


def colour(codelist: str, code: str) -> str:
    """The colour of a partnership type or region code; unknown codes get a stable spare one."""
    known = {"partnership_type": TYPE_COLOURS, "region": REGION_COLOURS, "status": STATUS_COLOURS}[
        codelist
    ]
    if code in known:
        return known[code]
    return SPARE_COLOURS[zlib.crc32(str(code).encode()) % len(SPARE_COLOURS)]


# --- numbers for people -------------------------------------------------------------------------------


def money(value: float, lang: str = "en") -> str:
    """Compact USD in the user's language: $1.2M, 1,2 M $US, $450 ("no data" for NaN or ±inf)."""
    value = finite(value)
    if value is None:
        return t("ui.no_data", lang)
    if abs(value) >= HUGE:  # beyond the largest compact word: $1.2E25
        return fmt_money(value, lang)
    return numbers.format_compact_currency(value, "USD", locale=lang, fraction_digits=1)


def percent(value: float, lang: str = "en", digits: int = 1) -> str:
    return fmt_percent(value, lang, digits)


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


def _money_axis(values: Sequence[float], lang: str) -> dict:
    ticks = nice_ticks(float(np.nanmax(values)) if len(values) else 0.0)
    return dict(
        tickvals=ticks, ticktext=[money(v, lang) for v in ticks], range=[0, ticks[-1] * 1.08 or 1]
    )


def _percent_axis(values: Sequence[float], lang: str) -> dict:
    top = float(np.nanmax(values)) if len(values) and np.isfinite(np.nanmax(values)) else 0.0
    ticks = nice_ticks(top or 0.05)
    digits = 0 if all(abs(v * 100 - round(v * 100)) < 1e-9 for v in ticks) else 1
    return dict(
        tickvals=ticks,
        ticktext=[percent(v, lang, digits) for v in ticks],
        range=[0, ticks[-1] * 1.08],
    )


def _base(title: str | None, lang: str, height: int = 460) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        template="plotly_white",
        font=FONT,
        title=dict(text=title or "", font=dict(size=FONT_SIZE + 4), x=0, xanchor="left"),
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
        separators=numbers.get_decimal_symbol(lang)
        + numbers.get_group_symbol(lang).replace("\u202f", " "),
        clickmode="event+select",
        dragmode=False,
    )
    return fig


def empty_figure(message: str, title: str | None = None, lang: str = "en") -> go.Figure:
    """A figure that says there is nothing to draw (exports never get a blank chart)."""
    fig = _base(title, lang, height=260)
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


def _region_short(reference: Reference, code: str) -> str:
    """`RBD<br>Dakar` for axes (two short lines fit six regions side by side); the full name
    goes in the hover."""
    rows = reference.regions[reference.regions["code"] == code]
    return f"{code}<br>{text_label(rows['bureau'].iloc[0])}" if len(rows) else text_label(code)


def _totals_text(fig: go.Figure, x, totals, lang: str, horizontal: bool = False) -> None:
    """The total above each stacked bar, as a text-only trace (not clickable, not in the legend)."""
    labels = [money(v, lang) if v > 0 else "" for v in totals]
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


# --- the builders ---------------------------------------------------------------------------------------


def contributions_by_region(
    frame: pd.DataFrame, reference: Reference, lang: str = "en", title: str | None = None
) -> go.Figure:
    """Contributions (USD) per region, stacked by partnership type.

    frame: `region`, `partnership_type`, `contributions_usd` (as `indicators.compute` by both).
    customdata[0] is the region code, customdata[1] the type code.
    """
    if frame.empty or not np.nansum(frame["contributions_usd"]) > 0:
        return empty_figure(t("charts.no_contributions", lang), title, lang)
    regions = list(dict.fromkeys(frame["region"]))
    x = [_region_short(reference, r) for r in regions]
    fig = _base(title, lang)
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
                    [r, code, text_label(reference.region_name(r, lang)), money(v, lang)]
                    for r, v in zip(regions, values, strict=True)
                ],
                hovertemplate=f"<b>%{{customdata[2]}}</b><br>{type_label}: %{{customdata[3]}}<extra></extra>",
            )
        )
    totals = (
        frame.groupby("region", sort=False)["contributions_usd"]
        .sum()
        .reindex(regions)
        .fillna(0)
        .to_numpy()
    )
    _totals_text(fig, x, totals, lang)
    fig.update_layout(barmode="stack", yaxis=_money_axis(totals, lang), xaxis=dict(title=None))
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
    fig = _base(title, lang)
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
                hovertemplate=f"<b>%{{customdata[0]}}</b><br>{type_label}: %{{customdata[2]}}<extra></extra>",
            )
        )
    totals = frame.groupby("year")[indicator].sum().reindex(years).fillna(0).to_numpy()
    if ind.unit(indicator) == "usd":
        _totals_text(fig, [str(y) for y in years], totals, lang)
        yaxis = _money_axis(totals, lang)
    else:
        yaxis = dict(tickformat=",d", rangemode="tozero")
    fig.update_layout(barmode="stack", yaxis=yaxis, xaxis=dict(type="category", title=None))
    return fig


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
    fig = _base(title, lang, height=max(320, 46 * len(rows) + 90))
    fig.add_trace(
        go.Bar(
            y=labels,
            x=rows["usd"],
            orientation="h",
            marker_color=[colour("partnership_type", c) for c in rows["partnership_type"]],
            text=[
                f"{money(u, lang)} · {percent(s, lang)}"
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
    axis = _money_axis(rows["usd"].to_numpy(float), lang)
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
    x = [_region_short(reference, r) for r in regions]
    fig = _base(title, lang, height=400)
    fig.add_trace(
        go.Bar(
            x=x,
            y=np.nan_to_num(values),
            name=t("charts.private_share", lang),
            marker_color=[colour("region", r) for r in regions],
            text=[percent(v, lang) for v in values],
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
                text=[percent(v, lang) for v in targets],
                hovertemplate=t("charts.target", lang) + ": %{text}<extra></extra>",
            )
        )
    fig.update_layout(
        yaxis=_percent_axis(np.concatenate([values, targets]), lang), xaxis=dict(title=None)
    )
    return fig


def beneficiary_map(
    frame: pd.DataFrame, lang: str = "en", title: str | None = None, height: int = 420
) -> go.Figure:
    """Beneficiary countries shaded by USD received (`indicators.beneficiary_countries`).

    Base map from the app's own static file (see PLOTLY_CONFIG): no request leaves the app.
    customdata[0] is the ISO 3166-1 alpha-3 code.
    """
    if frame.empty:
        return empty_figure(t("charts.no_countries", lang), title, lang)
    usd = frame["usd"].to_numpy(float)
    names = [text_label(country_name(c, lang)) for c in frame["country"]]
    ticks = nice_ticks(float(usd.max()), 4)
    fig = _base(title, lang, height=height)
    fig.add_trace(
        go.Choropleth(
            locations=frame["country"],
            locationmode="ISO-3",
            z=usd,
            zmin=0,
            zmax=ticks[-1],
            colorscale=MAP_SCALE,
            marker_line_color="#555555",
            marker_line_width=0.6,
            customdata=[
                [c, n, money(u, lang), fmt_number(k, lang)]
                for c, n, u, k in zip(
                    frame["country"], names, usd, frame["contributions"], strict=True
                )
            ],
            hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[3]} "
            + t("charts.contributions_word", lang)
            + "<extra></extra>",
            colorbar=dict(
                tickvals=ticks, ticktext=[money(v, lang) for v in ticks], thickness=14, len=0.8
            ),
        )
    )
    fig.update_geos(
        scope="world",
        resolution=110,
        projection_type="natural earth",
        fitbounds="locations",
        showcountries=True,
        countrycolor="#bbbbbb",
        showland=True,
        landcolor="#f2f2f2",
        showocean=True,
        oceancolor="#ffffff",
        showframe=False,
        showcoastlines=False,
    )
    fig.update_layout(margin=dict(l=0, r=0, t=50 if title else 0, b=0))
    return fig


def gap_heatmap(
    matrix: pd.DataFrame, reference: Reference, lang: str = "en", title: str | None = None
) -> go.Figure:
    """Strategic objective × region: partners per cell; empty cells (gaps) in vermillion.

    matrix: `indicators.gap_matrix` (objective codes × region codes).
    customdata[0] is the region code, customdata[1] the objective code.
    """
    if matrix.empty or matrix.shape[1] == 0:
        return empty_figure(t("charts.no_objectives", lang), title, lang)
    objectives = list(matrix.index)
    regions = list(matrix.columns)
    col = f"name_{lang}" if f"name_{lang}" in reference.objectives.columns else "name_en"
    names = (
        reference.objectives.set_index("code")[col]
        .reindex(objectives)
        .fillna(pd.Series(objectives, index=objectives))
    )
    y = [f"{text_label(o)} {text_label(n)}" for o, n in zip(objectives, names, strict=True)]
    x = [_region_short(reference, r) for r in regions]
    counts = matrix.to_numpy(float)
    custom = [
        [[r, o, text_label(reference.region_name(r, lang)), text_label(n)] for r in regions]
        for o, n in zip(objectives, names, strict=True)
    ]
    fig = _base(title, lang, height=max(360, 52 * len(objectives) + 120))
    filled = np.where(counts > 0, counts, np.nan)
    fig.add_trace(
        go.Heatmap(
            z=filled,
            x=x,
            y=y,
            colorscale="Blues",
            zmin=0,
            showscale=False,
            text=[[fmt_number(v, lang) if v > 0 else "" for v in row] for row in counts],
            texttemplate="%{text}",
            textfont=dict(size=FONT_SIZE),
            customdata=custom,
            hovertemplate="<b>%{customdata[2]}</b><br>%{customdata[3]}<br>%{text}<extra></extra>",
            xgap=3,
            ygap=3,
        )
    )
    gaps = np.where(counts > 0, np.nan, 1.0)
    fig.add_trace(
        go.Heatmap(
            z=gaps,
            x=x,
            y=y,
            colorscale=[[0, GAP_COLOUR], [1, GAP_COLOUR]],
            showscale=False,
            text=[[t("charts.gap", lang) if v == 1 else "" for v in row] for row in gaps],
            texttemplate="%{text}",
            textfont=dict(size=FONT_SIZE - 2, color="#ffffff"),
            customdata=custom,
            hovertemplate="<b>%{customdata[2]}</b><br>%{customdata[3]}<br>"
            + t("charts.gap_hover", lang)
            + "<extra></extra>",
            xgap=3,
            ygap=3,
        )
    )
    fig.update_layout(yaxis=dict(autorange="reversed", automargin=True), xaxis=dict(side="top"))
    return fig


def by_type(
    frame: pd.DataFrame,
    indicator: str,
    reference: Reference,
    lang: str = "en",
    title: str | None = None,
) -> go.Figure:
    """One indicator per partnership type, a bar each in the type's colour.

    frame: `partnership_type` and the indicator (as `indicators.compute` by type).
    customdata[0] is the type code.
    """
    values = frame[indicator].to_numpy(float) if not frame.empty else np.array([])
    if frame.empty or not np.isfinite(values).any():
        return empty_figure(t("ui.no_data", lang), title, lang)
    codes = list(frame["partnership_type"])
    fig = _base(title, lang, height=360)
    fig.add_trace(
        go.Bar(
            x=[text_label(reference.label("partnership_type", c, lang)) for c in codes],
            y=np.nan_to_num(values),
            marker_color=[colour("partnership_type", c) for c in codes],
            text=[ind.format_value(indicator, v, lang) for v in values],
            textposition="outside",
            cliponaxis=False,
            customdata=[[c] for c in codes],
            hovertemplate="<b>%{x}</b><br>%{text}<extra></extra>",
            showlegend=False,
        )
    )
    kind = ind.unit(indicator)
    if kind == "usd":
        yaxis = _money_axis(values, lang)
    elif kind == "share":
        yaxis = _percent_axis(values, lang)
    else:
        yaxis = dict(tickformat=",d", rangemode="tozero")
    fig.update_layout(yaxis=yaxis, xaxis=dict(title=None))
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
    fig = _base(title, lang, height=340)
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
                customdata=[[y, money(v, lang)] for y, v in zip(years, values, strict=True)],
                hovertemplate=f"<b>%{{customdata[0]}}</b><br>{label}: %{{customdata[1]}}<extra></extra>",
            )
        )
    totals = frame.groupby("year")["usd"].sum().reindex(years).fillna(0).to_numpy()
    _totals_text(fig, [str(y) for y in years], totals, lang)
    fig.update_layout(barmode="stack", yaxis=_money_axis(totals, lang), xaxis=dict(type="category"))
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
