"""Time each dashboard in headless Chromium next to a bare Streamlit page of the same size.

    python bench/bench_pages.py [--repeat 3] [--pages overview,by_type,...]

The app is started on a store seeded with the sample data (first-start time printed: from the
server's launch to the first overview ready on a fresh store). Each dashboard is then opened in a
new browser context (a new Streamlit session, as a new reader), and timed from the navigation to
the end of its script run (the app root's `data-test-script-state` back to `notRunning` with every
chart drawn). A bare twin, a script with the same number of metrics and Plotly charts and no data
work at all, is started the same way and timed the same way; the ratio is what our work costs
beyond Streamlit's own floor. Prints figures; asserts nothing.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, app_running  # noqa: E402

# URL path of each dashboard (Streamlit names a page's URL after its file).
PAGES = {
    "overview": "",
    "by_type": "by_type",
    "by_region": "by_region",
    "partners": "partners",
    "gaps": "gaps",
    "board": "board",
}

BARE = """
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")
st.title("Bare twin")
for i in range({metrics}):
    st.metric(f"Metric {{i}}", f"{{i * 1000:,}}", f"{{i}} %")
for i in range({charts}):
    figure = go.Figure(go.Bar(x=[f"R{{k}}" for k in range(8)], y=list(range(8))))
    st.plotly_chart(figure, key=f"chart{{i}}")
"""


def server(script: Path, env: dict[str, str]):
    """The script served as the tests serve the app (tests/conftest.py), its log beside it."""
    return app_running(env, Path(tempfile.gettempdir()) / f"bench_pages_{script.stem}.log", script)


PROBE = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  const plots = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
  return {
    state: app ? app.getAttribute('data-test-script-state') : null,
    running: document.querySelector(
      '[data-testid=stStatusWidgetRunningIcon], [data-testid=stStatusWidgetRunningManIcon]'
    ) !== null,
    metrics: document.querySelectorAll('[data-testid=stMetric]').length,
    charts: plots.length,
    drawn: plots.filter(p => p.querySelector('.js-plotly-plot .main-svg')).length,
    elements: document.querySelectorAll('[data-testid=stElementContainer]').length,
    // Elements whose component is still loading (Streamlit loads each kind's code on first use:
    // a chart's container is there but empty, or holds a skeleton, until Plotly is loaded).
    pending: [...document.querySelectorAll('[data-testid=stElementContainer]')].filter(
      e => e.childElementCount === 0 || e.querySelector('[data-testid=stSkeletonElement],'
        + ' [data-testid=stSkeleton]')).length,
  };
}"""


def time_page(browser, url: str, expected: tuple[int, int] | None = None) -> tuple[float, int, int]:
    """Seconds from the navigation until the page is drawn and idle; its metrics and charts.

    Drawn and idle: the script run is over (the root's `data-test-script-state` is `notRunning`
    and Streamlit's "Running…" indicator is gone), every Plotly element has its drawing (Plotly
    draws 1–10 s after the run ends, so the end of the run alone is too early; an element whose
    code is still loading is an empty container or a skeleton), and, when
    `expected` (metrics, charts) is given, that many metrics and charts are on the page. Without
    `expected` (the calibration run that learns them) the page must then also stay unchanged for
    2 s, since a later rerun may still add elements; with it 0.3 s suffices.
    """
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    quiet = 2.0 if expected is None else 0.3
    seen, changed = None, time.perf_counter()
    while time.perf_counter() - start < 180:
        now = page.evaluate(PROBE)
        if now != seen:
            seen, changed = now, time.perf_counter()
        ready = (
            now["state"] == "notRunning"
            and not now["running"]
            and now["drawn"] == now["charts"]
            and now["pending"] == 0
            and (expected is None or (now["metrics"], now["charts"]) >= expected)
        )
        if ready and time.perf_counter() - changed > quiet:
            break
        page.wait_for_timeout(50)
    else:
        print(f"  (gave up on {url}: {seen})")
    elapsed = changed - start
    context.close()
    return elapsed, seen["metrics"], seen["charts"]


def timed(browser, url: str, repeat: int) -> tuple[float, int, int]:
    """Median seconds over `repeat` new sessions, after one calibration session that learns how
    many metrics and charts the page draws (the later sessions wait for that many)."""
    _, metrics, charts = time_page(browser, url)
    runs = [time_page(browser, url, (metrics, charts))[0] for _ in range(repeat)]
    return statistics.median(runs), metrics, charts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        env = {"DATABASE_URL": f"sqlite:///{Path(tmp) / 'store.db'}"}
        launched = time.perf_counter()
        with server(ROOT / "app.py", env) as url:
            first = time_page(browser, f"{url}/?lang=en")[0]  # the seeding happens here
            print(
                f"first start: {time.perf_counter() - launched:.1f} s from launch to the first "
                f"overview ({first:.1f} s in the browser)"
            )
            results = {}
            for name in args.pages.split(","):
                results[name] = timed(browser, f"{url}/{PAGES[name]}?lang=en", args.repeat)
        print(f"{'page':<10} {'ours s':>7} {'bare s':>7} {'ratio':>6}  metrics charts")
        for name, (ours, metrics, charts) in results.items():
            bare_script = Path(tmp) / f"bare_{name}.py"
            bare_script.write_text(BARE.format(metrics=metrics, charts=charts))
            with server(bare_script, {}) as bare_url:
                bare = statistics.median(
                    time_page(browser, bare_url, (metrics, charts))[0] for _ in range(args.repeat)
                )
            print(
                f"{name:<10} {ours:>7.2f} {bare:>7.2f} {ours / bare:>6.2f}  {metrics:>7} {charts:>6}"
            )
        browser.close()


if __name__ == "__main__":
    main()
