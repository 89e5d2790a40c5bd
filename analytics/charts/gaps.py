"""The gap analysis: partners per strategic objective × region, the empty cells in vermillion."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.charts.axes import region_short
from analytics.charts.frame import FONT_SIZE, base, empty_figure
from analytics.charts.palette import GAP_COLOUR
from analytics.i18n import fmt_number, t
from analytics.reference.load import Reference
from analytics.text import label as text_label


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
    names = [reference.label("strategic_objective", o, lang) for o in objectives]
    y = [f"{text_label(o)} {text_label(n)}" for o, n in zip(objectives, names, strict=True)]
    x = [region_short(reference, r) for r in regions]
    counts = matrix.to_numpy(float)
    custom = [
        [[r, o, text_label(reference.region_name(r, lang)), text_label(n)] for r in regions]
        for o, n in zip(objectives, names, strict=True)
    ]
    fig = base(title, lang, height=max(360, 52 * len(objectives) + 120))
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
