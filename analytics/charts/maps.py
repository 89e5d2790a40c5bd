"""The map of beneficiary countries, shaded by the USD they received.

The base map is the app's own static file (see `frame.PLOTLY_CONFIG`): no request leaves the app.
"""

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.axes import nice_ticks
from analytics.charts.frame import base, empty_figure
from analytics.charts.palette import MAP_SCALE
from analytics.i18n import fmt_money, fmt_number, t
from analytics.indicators.views import country_name
from analytics.text import label as text_label


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
    fig = base(title, lang, height=height)
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
                [c, n, fmt_money(u, lang), fmt_number(k, lang)]
                for c, n, u, k in zip(
                    frame["country"], names, usd, frame["contributions"], strict=True
                )
            ],
            hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[3]} "
            + t("charts.contributions_word", lang)
            + "<extra></extra>",
            colorbar=dict(
                tickvals=ticks, ticktext=[fmt_money(v, lang) for v in ticks], thickness=14, len=0.8
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
