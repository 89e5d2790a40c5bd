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


def time_page(browser, url: str) -> tuple[float, int, int]:
    """Seconds to the end of the page's script run with its charts drawn; metrics; charts."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    # The root is "running" during the run and "notRunning" after it, but elements and Plotly
    # drawings still arrive afterwards: the page is ready at the last change of what is shown,
    # once the run is over and nothing has changed for a second.
    probe = (
        "() => [document.querySelector('[data-testid=stApp]')?.getAttribute("
        "'data-test-script-state'), document.querySelectorAll('[data-testid=stMetric]').length,"
        " document.querySelectorAll('.js-plotly-plot').length,"
        " document.querySelectorAll('.js-plotly-plot .main-svg').length,"
        " document.querySelectorAll('[data-testid=stElementContainer]').length]"
    )
    seen, changed = None, time.perf_counter()
    while time.perf_counter() - start < 120:
        now = page.evaluate(probe)
        if now != seen:
            seen, changed = now, time.perf_counter()
        elif now[0] == "notRunning" and time.perf_counter() - changed > 1.0:
            break
        page.wait_for_timeout(50)
    elapsed = changed - start
    context.close()
    return elapsed, seen[1], seen[2]


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
            first = time_page(browser, f"{url}/?lang=en")[0]
            print(
                f"first start: {time.perf_counter() - launched:.1f} s from launch to the first "
                f"overview ({first:.1f} s in the browser)"
            )
            results = {}
            for name in args.pages.split(","):
                runs = [
                    time_page(browser, f"{url}/{PAGES[name]}?lang=en") for _ in range(args.repeat)
                ]
                results[name] = (statistics.median(r[0] for r in runs), runs[-1][1], runs[-1][2])
        print(f"{'page':<10} {'ours s':>7} {'bare s':>7} {'ratio':>6}  metrics charts")
        for name, (ours, metrics, charts) in results.items():
            bare_script = Path(tmp) / f"bare_{name}.py"
            bare_script.write_text(BARE.format(metrics=metrics, charts=charts))
            with server(bare_script, {}) as bare_url:
                bare = statistics.median(
                    time_page(browser, bare_url)[0] for _ in range(args.repeat)
                )
            print(
                f"{name:<10} {ours:>7.2f} {bare:>7.2f} {ours / bare:>6.2f}  {metrics:>7} {charts:>6}"
            )
        browser.close()


if __name__ == "__main__":
    main()
