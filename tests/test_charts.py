"""Figure builders: stable colour-blind-safe colours, numbers for people in each language, offline maps."""

import json
import tomllib

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics import charts
from analytics.indicators import Filters, views
from analytics.reference.load import load_reference
from tests.conftest import ROOT

REF = load_reference()


def by_region_frame() -> pd.DataFrame:
    rows = [
        ("RBD", "advocacy", 1_200_000.0),
        ("RBD", "resource_mobilization", 300_000.0),
        ("RBN", "advocacy", 0.0),
        ("RBN", "resource_mobilization", 2_500_000.0),
    ]
    return pd.DataFrame(rows, columns=["region", "partnership_type", "contributions_usd"])


def test_every_reference_type_and_region_has_its_own_colour():
    types = [charts.colour("partnership_type", c) for c in REF.codes("partnership_type")]
    regions = [charts.colour("region", c) for c in REF.region_codes]
    assert len(set(types)) == len(types) == 4
    assert len(set(regions)) == len(regions) == 6
    assert not set(types) & set(regions)  # a type is never mistaken for a region


def test_an_unknown_code_gets_the_same_spare_colour_every_time():
    assert charts.colour("region", "RBX") == charts.colour("region", "RBX")
    assert charts.colour("region", "RBX") in charts.SPARE_COLOURS


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (1_234_567, "en", "$1.2M"),
        (1_234_567, "fr", "1,2\xa0M\xa0$"),
        (450, "en", "$450"),
        (2_500_000_000, "en", "$2.5B"),
        (float("nan"), "fr", "pas de données"),
    ],
)
def test_money_is_compact_and_in_the_users_language(value, lang, text):
    assert charts.money(value, lang) == text


@pytest.mark.parametrize(
    ("top", "ticks"),
    [(0, [0.0]), (3_700_000, [0, 1e6, 2e6, 3e6, 4e6]), (0.062, [0, 0.02, 0.04, 0.06, 0.08])],
)
def test_axis_ticks_are_round_numbers(top, ticks):
    assert charts.nice_ticks(top) == pytest.approx(ticks)


def test_contributions_by_region_stacks_types_in_their_colours():
    fig = charts.contributions_by_region(by_region_frame(), REF, "fr")
    bars = [tr for tr in fig.data if isinstance(tr, go.Bar)]
    assert fig.layout.barmode == "stack"
    assert [b.name for b in bars] == ["Plaidoyer", "Mobilisation de ressources"]
    assert [b.marker.color for b in bars] == [
        charts.TYPE_COLOURS["advocacy"],
        charts.TYPE_COLOURS["resource_mobilization"],
    ]
    assert list(bars[0].x) == ["RBD<br>Dakar", "RBN<br>Nairobi"]
    assert [row[0] for row in bars[0].customdata] == ["RBD", "RBN"]  # a click gives the region code
    # totals above the bars: RBD 1.2M + 0.3M = 1.5M; RBN 2.5M; axis in French
    totals = [tr for tr in fig.data if isinstance(tr, go.Scatter)][0]
    assert list(totals.text) == ["1,5\xa0M\xa0$", "2,5\xa0M\xa0$"]
    assert list(fig.layout.yaxis.ticktext) == [
        "0\xa0$",
        "500\xa0k\xa0$",
        "1\xa0M\xa0$",
        "1,5\xa0M\xa0$",
        "2\xa0M\xa0$",
        "2,5\xa0M\xa0$",
    ]
    assert fig.layout.separators == ", "
    assert fig.layout.font.size >= 16  # projector


def test_an_empty_view_is_a_sentence_not_a_blank_chart():
    fig = charts.contributions_by_region(by_region_frame().iloc[:0], REF, "en")
    assert fig.layout.annotations[0].text == "No contribution in this view."
    assert not fig.data


def test_share_vs_target_draws_the_target_line_and_no_data():
    frame = pd.DataFrame(
        {
            "region": ["RBD", "RBN"],
            "private_share_of_budget": [0.048, np.nan],
            "target": [0.05, 0.05],
        }
    )
    fig = charts.share_vs_target(frame, REF, "en")
    bar, target = fig.data
    assert list(bar.text) == ["4.8%", "no data"]
    assert list(target.y) == [0.05, 0.05] and target.line.dash == "dash"
    assert list(bar.marker.color) == [charts.REGION_COLOURS["RBD"], charts.REGION_COLOURS["RBN"]]


def test_trend_fades_the_years_outside_the_period():
    frame = pd.DataFrame(
        {
            "year": [2023, 2024, 2025],
            "partnership_type": ["advocacy"] * 3,
            "contributions_usd": [1e6, 2e6, 3e6],
        }
    )
    fig = charts.trend(frame, REF, "en", period=(2024, 2025))
    assert list(fig.data[0].marker.opacity) == [charts.FADED, 1.0, 1.0]
    assert [row[0] for row in fig.data[0].customdata] == [2023, 2024, 2025]


def test_concentration_labels_each_partner_with_its_share():
    frame = pd.DataFrame(
        {
            "region": ["RBD", "RBN"],
            "partner_id": ["A", "B"],
            "partner_name": ["Acme", "Baobab"],
            "partnership_type": ["advocacy", "innovation"],
            "usd": [750_000.0, 250_000.0],
            "share": [0.75, 0.25],
        }
    )
    fig = charts.concentration(frame, REF, "en")
    bar = fig.data[0]
    assert list(bar.y) == ["Baobab (RBN)", "Acme (RBD)"]  # largest on top
    assert list(bar.text) == ["$250K · 25.0%", "$750K · 75.0%"]
    assert bar.customdata[1][0] == "RBD:A"


def test_gap_heatmap_marks_the_empty_cells():
    matrix = pd.DataFrame(
        [[2, 0], [0, 1]],
        index=pd.Index(["SO1", "SO2"], name="objective"),
        columns=pd.Index(["RBD", "RBN"], name="region"),
    )
    fig = charts.gap_heatmap(matrix, REF, "en")
    counts, gaps = fig.data
    assert gaps.colorscale[0][1] == charts.GAP_COLOUR
    assert np.isnan(np.array(gaps.z, float)).tolist() == [[True, False], [False, True]]
    assert [list(r) for r in counts.text] == [["2", ""], ["", "1"]]


def test_the_map_uses_iso3_codes_and_the_apps_own_base_map():
    frame = pd.DataFrame({"country": ["SEN", "KEN"], "usd": [2e6, 5e5], "contributions": [3, 1]})
    fig = charts.beneficiary_map(frame, "fr")
    choropleth = fig.data[0]
    assert choropleth.locationmode == "ISO-3" and list(choropleth.locations) == ["SEN", "KEN"]
    assert choropleth.customdata[1][1] == "Kenya"
    assert fig.layout.geo.resolution == 110 and fig.layout.geo.scope == "world"
    # Plotly asks for <topojsonURL>world_110m.json: the app serves that file itself.
    assert charts.PLOTLY_CONFIG["topojsonURL"] == "app/static/"
    topo = json.loads((ROOT / "static" / "world_110m.json").read_text())
    assert topo["type"] == "Topology" and {"countries", "land", "coastlines"} <= set(
        topo["objects"]
    )
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True


def test_selected_reads_the_clicked_codes():
    event = {
        "selection": {
            "points": [{"customdata": ["RBD", "advocacy"]}, {"customdata": ["RBD", "innovation"]}]
        }
    }
    assert charts.selected(event) == ["RBD"]
    assert charts.selected(event, 1) == ["advocacy", "innovation"]
    assert charts.selected(None) == [] and charts.selected({"selection": {"points": []}}) == []


# --- the view in the URL -------------------------------------------------------------------------------


def test_a_view_round_trips_through_the_url():
    view = views.View((2022, 2024), Filters(regions=("RBN", "RBD"), kinds=("financial",)))
    params = views.to_params(view)
    assert params == {"year": "2022-2024", "region": "RBD,RBN", "kind": "financial"}
    assert views.from_params(params, views.known_codes(REF)) == view
    assert views.to_params(views.View()) == {}


def test_unknown_codes_and_bad_years_in_a_url_are_dropped():
    view = views.from_params(
        {"year": "20x4", "region": "RBD,XYZ", "status": "received"}, views.known_codes(REF)
    )
    assert view == views.View(None, Filters(regions=("RBD",), statuses=("received",)))


@pytest.mark.parametrize(
    ("period", "years", "expected"),
    [
        (None, [2021, 2022, 2023], (2023, 2023)),
        ((2019, 2022), [2021, 2022, 2023], (2021, 2022)),
        ((2020, 2020), [], None),
    ],
)
def test_the_period_stays_within_the_years_with_data(period, years, expected):
    assert views.resolve_period(views.View(period), years) == expected


def test_partner_search_ignores_case_and_accents():
    table = pd.DataFrame(
        {
            "partner_name": ["Société Générale", "Acme"],
            "partner_id": ["SG", "AC"],
            "region": ["RBD", "RBN"],
            "sector": ["banking", None],
        }
    )
    assert views.search_partners(table, "societe")["partner_id"].tolist() == ["SG"]
    assert views.search_partners(table, "BANK")["partner_id"].tolist() == ["SG"]
    assert len(views.search_partners(table, "")) == 2


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_amount_reads_the_same_on_a_chart_a_card_and_a_slide(lang):
    """One money format: the chart's total, tick and hover are the card's and the slide's text."""
    from analytics import indicators as ind
    from analytics.indicators.format import format_unit_value

    fig = charts.contributions_by_region(by_region_frame(), REF, lang)
    totals = [tr for tr in fig.data if isinstance(tr, go.Scatter)][0]
    hover = {row[0]: row[3] for row in fig.data[0].customdata}  # advocacy, per region
    ticks = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
    for value, on_chart in [
        (1_500_000.0, totals.text[0]),
        (2_500_000.0, totals.text[1]),
        (1_200_000.0, hover["RBD"]),
        (500_000.0, ticks[500_000.0]),
    ]:
        card = ind.format_value("contributions_usd", value, lang)
        slide = format_unit_value("usd", value, lang)  # what slides write
        assert on_chart == card == slide, (value, on_chart, card, slide)
    assert totals.text[0] == {"en": "$1.5M", "fr": "1,5\xa0M\xa0$"}[lang]
