"""Plotly figure builders for the pages, the board and the exports: frames in, `go.Figure` out.

Owns the charts' colours (`palette`), their shared layout, empty chart and click reading
(`frame`), axes and totals written out in the user's language (`axes`), and the builders:
stacked bars (`stacked`), plain bars (`bars`), the beneficiary map (`maps`) and the gap grid
(`gaps`). Numbers go through `analytics.i18n`, so an amount reads the same on a chart, a card and
a slide. May import `indicators`, `reference` and layer 0; never the board, services or UI.

The names below are the facade the pages use (`from analytics import charts`).
"""

from analytics.charts.axes import nice_ticks
from analytics.charts.bars import by_type, concentration, share_vs_target
from analytics.charts.frame import FONT, FONT_SIZE, PLOTLY_CONFIG, empty_figure, selected
from analytics.charts.gaps import gap_heatmap
from analytics.charts.maps import beneficiary_map
from analytics.charts.palette import (
    FADED,
    GAP_COLOUR,
    REGION_COLOURS,
    SPARE_COLOURS,
    STATUS_COLOURS,
    TYPE_COLOURS,
    colour,
)
from analytics.charts.stacked import contributions_by_region, partner_history, trend
from analytics.i18n import fmt_money as money  # one money format for charts, cards and slides
from analytics.i18n import fmt_percent as percent

__all__ = [
    "FADED",
    "FONT",
    "FONT_SIZE",
    "GAP_COLOUR",
    "PLOTLY_CONFIG",
    "REGION_COLOURS",
    "SPARE_COLOURS",
    "STATUS_COLOURS",
    "TYPE_COLOURS",
    "beneficiary_map",
    "by_type",
    "colour",
    "concentration",
    "contributions_by_region",
    "empty_figure",
    "gap_heatmap",
    "money",
    "nice_ticks",
    "partner_history",
    "percent",
    "selected",
    "share_vs_target",
    "trend",
]
