"""Whole labels in a real browser: the legend of "Contributions by region and partnership type"
shows every partnership type in full, inside the chart, at 1280 and 1920 px, in both languages
(and its axes' labels lie inside the chart).

Plotly clips a legend to the box it computed for it from the labels' measured widths; when the
text is drawn wider than measured (a font the browser rejects: "Resource mobilisati" at 1440 px)
or wider than the chart, its end is cut. So the test measures the text as drawn, against the
legend's box and the chart's, not the figure's data.
"""

import pytest

from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.text import label as text_label

# Each legend entry: its text and its box, and the box of the chart that holds it, in one call
# (Streamlit may redraw the chart between two calls).
MEASURE = """chart => {
    const rect = e => {
        const b = e.getBoundingClientRect();
        return [b.left, b.top, b.right, b.bottom];
    };
    return {
        chart: rect(chart),
        legend: rect(chart.querySelector('.legend rect.bg')),
        entries: [...chart.querySelectorAll('.legend .legendtext')].map(e => (
            {text: e.textContent, box: rect(e)}
        )),
        ticks: [...chart.querySelectorAll('.xtick text, .ytick text')].map(e => (
            {text: e.textContent, box: rect(e)}
        )),
    };
}"""


def _inside(box, outer, slack: float = 0.5) -> bool:
    """`box` lies within `outer` (both left, top, right, bottom), give or take a rounding."""
    return (
        box[0] >= outer[0] - slack
        and box[1] >= outer[1] - slack
        and box[2] <= outer[2] + slack
        and box[3] <= outer[3] + slack
    )


def _chart_under(page, heading: str):
    """The Plotly chart of the section whose subheading is `heading`."""
    section = page.locator('[data-testid="stVerticalBlock"]').filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )
    return section.last.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first


@pytest.mark.browser
def test_the_legend_of_contributions_by_region_shows_whole_labels(run_sample_app, browser):
    ref = load_reference()
    seen = []
    with run_sample_app() as url:
        for lang in ("en", "fr"):
            # Every type has contributions in the sample, so every label is in the legend.
            labels = {
                text_label(ref.label("partnership_type", c, lang))
                for c in ref.codes("partnership_type")
            }
            for width in (1280, 1920):
                page = browser.new_page(viewport={"width": width, "height": 1000})
                page.goto(f"{url}/?lang={lang}")
                chart = _chart_under(page, t("pages.overview.by_region", lang))
                chart.locator(".legend .legendtext").first.wait_for(timeout=60_000)
                page.wait_for_timeout(500)  # the chart is drawn again once its column is sized
                drawn = chart.evaluate(MEASURE)
                assert {e["text"] for e in drawn["entries"]} == labels, (lang, width)
                for entry in drawn["entries"]:
                    for name in ("chart", "legend"):  # the legend is clipped to its own box
                        assert _inside(entry["box"], drawn[name]), (
                            f"{entry['text']!r} is cut at {width} px ({lang}): {entry['box']} "
                            f"outside the {name}'s box {drawn[name]}"
                        )
                assert len(drawn["ticks"]) > 6  # six regions below, amounts on the left
                for tick in drawn["ticks"]:  # the axes' labels are whole too
                    assert _inside(tick["box"], drawn["chart"]), (lang, width, tick)
                seen.append((lang, width))
                page.close()
    assert seen == [("en", 1280), ("en", 1920), ("fr", 1280), ("fr", 1920)]
