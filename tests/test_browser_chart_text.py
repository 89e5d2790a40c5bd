"""Every text of every chart lies whole inside its chart, on every dashboard, in both languages,
at 1280 and 1920 px: axis labels, legends, value labels at bar ends, titles and annotations.

Measured as drawn by the browser (the boxes of the SVG text elements), not from the figure's
data: a label is cut when its box leaves the chart's box ("ateur privé G. Camara", "Mobilisation
de ressour", "pacity strengthening…" were). A legend is also clipped to its own box.
"""

import pytest

from tests.test_browser_legends import _inside as inside

# The dashboards with charts (the partners page draws one in a partner's profile: the largest
# partner of the samples is opened, its name being among the longest labels).
PAGES = ["", "by_type", "by_region", "partners?partner={partner}", "gaps"]
WIDTHS = (1280, 1920)
# The board in presentation mode, as a board sees it on a 1920x1080 screen: every slide (past
# the last, the page stays on the last one); slide 10 is the follow-up of agreements.
BOARD_SLIDES = range(1, 11)

MEASURE = """() => {
    const rect = e => {
        const b = e.getBoundingClientRect();
        return [b.left, b.top, b.right, b.bottom];
    };
    return [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
        .filter(chart => chart.getBoundingClientRect().width > 0)
        .map(chart => ({
            chart: rect(chart),
            title: (chart.querySelector('.gtitle') || {}).textContent || '',
            legend: chart.querySelector('.legend rect.bg')
                ? rect(chart.querySelector('.legend rect.bg')) : null,
            legend_texts: [...chart.querySelectorAll('.legend .legendtext')]
                .map(e => ({text: e.textContent, box: rect(e)})),
            texts: [...chart.querySelectorAll(
                '.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .gtitle, '
                + '.annotation-text, .textpoint text, .legendtext')]
                .filter(e => e.textContent.trim() && e.getBoundingClientRect().width > 0)
                .map(e => ({text: e.textContent, box: rect(e)})),
        }));
}"""


# What is on the page: the script run's state and how many charts are drawn.
PROBE = """() => [
    document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state'),
    document.querySelectorAll('.js-plotly-plot .main-svg').length,
    document.querySelectorAll('[data-testid=stElementContainer]').length]"""


def _settled(page, charts: bool = True, quiet_ms: int = 1000, limit_ms: int = 120_000) -> None:
    """Wait for the run to be over and nothing to change for a second (charts are drawn again
    once their columns are sized, after the run); with `charts`, for a chart to be drawn too."""
    seen, quiet, waited = None, 0, 0
    while waited < limit_ms:
        now = page.evaluate(PROBE)
        quiet = (
            quiet + 100 if now == seen and now[0] == "notRunning" and (now[1] or not charts) else 0
        )
        if quiet >= quiet_ms:
            return
        seen = now
        page.wait_for_timeout(100)
        waited += 100
    raise AssertionError(f"{page.url} never settled: {seen}")


def _a_partner() -> str:
    """The reference of the sample partner with the longest name that gave something."""
    from pathlib import Path

    from analytics.indicators.views import partner_ref
    from analytics.register.reading import load_workbook

    sample = Path(__file__).resolve().parent.parent / "data" / "sample" / "RBD.xlsx"
    register = load_workbook(sample, region="RBD").register
    partners, contributions = register.partners, register.contributions
    givers = partners[partners["partner_id"].isin(contributions["partner_id"])]
    longest = givers.loc[givers["partner_name"].str.len().idxmax()]
    return partner_ref("RBD", longest["partner_id"])


def _inside(box, outer) -> bool:
    return inside(box, outer, slack=1.0)  # a pixel of rounding across many charts


def _cut(drawn: list[dict]) -> list[str]:
    """Every text drawn outside its chart (or its legend's box), said in words."""
    cut = []
    for chart in drawn:
        for text in chart["texts"]:
            if not _inside(text["box"], chart["chart"]):
                cut.append(
                    f"{chart['title']!r}: {text['text']!r} {text['box']} vs {chart['chart']}"
                )
        if chart["legend"]:
            for text in chart["legend_texts"]:
                if not _inside(text["box"], chart["legend"]):
                    cut.append(f"{chart['title']!r} legend: {text['text']!r} is clipped")
    return cut


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_chart_text_is_whole_on_every_dashboard(run_sample_app, browser, lang):
    problems, measured = [], 0
    partner = _a_partner()
    with run_sample_app() as url:
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 1000})
            for path in PAGES:
                path = path.format(partner=partner)
                page.goto(f"{url}/{path}{'&' if '?' in path else '?'}lang={lang}")
                _settled(page)
                drawn = page.evaluate(MEASURE)
                measured += sum(len(c["texts"]) for c in drawn)
                problems += [f"{width}px /{path}: {p}" for p in _cut(drawn)]
            page.close()
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        for n in BOARD_SLIDES:
            page.goto(f"{url}/board?present=1&slide={n}&lang={lang}")
            _settled(page, charts=False)  # the cover and the definitions have none
            drawn = page.evaluate(MEASURE)
            measured += sum(len(c["texts"]) for c in drawn)
            problems += [f"board slide {n}: {p}" for p in _cut(drawn)]
        page.close()
    assert measured > 100  # the charts were there and had their texts
    assert not problems, "\n".join(problems)
