"""The overview in a real browser: a filter changes a chart, a click on a bar filters, nothing leaves the app."""

from urllib.parse import parse_qs, urlparse

import pytest

from analytics.i18n import t
from analytics.reference.load import load_reference

LOCAL = {"127.0.0.1", "localhost"}


def _region_ticks(page) -> list[str]:
    """The x-axis labels of the first chart (contributions by region), e.g. 'RBDDakar'."""
    chart = page.locator(".js-plotly-plot").first
    return chart.locator(
        ".xtick text"
    ).all_text_contents()  # one call: the chart may be redrawn meanwhile


def _wait_for_ticks(page, expected: list[str]) -> None:
    for _ in range(120):
        if _region_ticks(page) == expected:
            return
        page.wait_for_timeout(250)
    assert _region_ticks(page) == expected


@pytest.mark.browser
def test_overview_filters_and_clicks_with_no_request_outside_the_app(run_sample_app, browser):
    ref = load_reference()
    every_region = [
        f"{r}{ref.regions.set_index('code').loc[r, 'bureau']}" for r in ref.region_codes
    ]

    requests: list[str] = []
    with run_sample_app() as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.on("request", lambda r: requests.append(r.url))
        page.on("websocket", lambda ws: requests.append(ws.url))
        page.goto(f"{url}/?lang=en")
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        _wait_for_ticks(page, every_region)
        # The map shaded its countries: their shapes came from the app's own base map.
        shaded = page.locator(".geo path.choroplethlocation")
        shaded.first.wait_for(state="attached", timeout=30_000)
        assert shaded.count() > 10

        # 1. A filter in the sidebar: the chart now shows one region, and the URL says so.
        page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
        page.get_by_role("option", name=ref.region_name("RBD", "en")).click()
        page.keyboard.press("Escape")
        _wait_for_ticks(page, ["RBDDakar"])
        assert parse_qs(urlparse(page.url).query)["region"] == ["RBD"]

        # 2. The way back (the multiselect keeps the focus until one clicks elsewhere, as a user does).
        page.locator("h1").first.click()
        page.locator('[data-testid="stSidebar"]').get_by_role(
            "button", name=t("filters.clear", "en")
        ).click()
        _wait_for_ticks(page, every_region)
        assert "region" not in parse_qs(urlparse(page.url).query)

        # 3. A click on RBN's bar filters on RBN, and the sidebar shows it.
        bars = (
            page.locator(".js-plotly-plot")
            .first.locator(".barlayer .trace")
            .last.locator(".point path")
        )
        bars.nth(ref.region_codes.index("RBN")).click(force=True)
        _wait_for_ticks(page, ["RBNNairobi"])
        assert parse_qs(urlparse(page.url).query)["region"] == ["RBN"]
        sidebar = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        assert ref.region_name("RBN", "en") in sidebar.inner_text()

        # 4. A link opens the same view.
        other = browser.new_page()
        other.on("request", lambda r: requests.append(r.url))
        other.goto(f"{url}/?lang=fr&region=RBN")
        other.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        _wait_for_ticks(other, ["RBNNairobi"])

    hosts = {urlparse(u).hostname for u in requests}
    assert "127.0.0.1" in hosts
    assert any(u.endswith("/app/static/world_110m.json") for u in requests)
    assert hosts <= LOCAL, f"requests left the app: {sorted(hosts - LOCAL)}"
