"""Screenshots for the README: the overview, a board slide and the upload page's report, from the
real app on the sample data.

    python scripts/screenshots.py [--lang en|fr] [--out docs/screenshots]

Starts the app on a fresh temporary store (seeded with the samples), opens it in Debian's chromium
at 1920×1080 and writes overview.png and slide.png; then upload.png at 1600×1000, always in French
(the README shows a French focal point's view): a Dakar workbook with a few mistakes dropped on the
upload page, the region preselected from its rows, every problem listed.
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, app_running  # noqa: E402
from tests.workbooks import contribution, partner, valid_register  # noqa: E402

VIEWPORT = {"width": 1920, "height": 1080}
SLIDE = 4  # contributions by region and partnership type (after the title, the story, the cards)
UPLOAD_VIEWPORT = {"width": 1600, "height": 1000}


def _workbook_with_mistakes(path: Path) -> Path:
    """A Dakar register as a focal point might first send it: a date that does not exist, a
    contribution of a partner the sheet lacks, a currency code that is none."""
    return valid_register(
        path,
        partners=[partner("P1"), partner("P2", start_date="31/02/2024"), partner("P3")],
        contributions=[
            contribution("C1", "P1"),
            contribution("C2", "P9"),
            contribution("C3", "P2", currency="XYZ"),
            contribution("C4", "P3", date="2024-13-01"),
        ],
    )


def _settle(page, selector: str) -> None:
    page.locator(selector).first.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # let Plotly finish drawing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", choices=["en", "fr"])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        env = {"PARTNERSHIPS_DB_PATH": str(Path(tmp) / "store.db"), "DATABASE_URL": ""}
        with app_running(env, Path(tmp) / "streamlit.log") as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(f"{url}/?lang={args.lang}")
            _settle(page, ".js-plotly-plot")
            page.screenshot(path=str(out / "overview.png"))
            page.goto(f"{url}/board?lang={args.lang}&present=1&slide={SLIDE}")
            _settle(page, ".js-plotly-plot")
            page.screenshot(path=str(out / "slide.png"))
            page = browser.new_page(viewport=UPLOAD_VIEWPORT)
            page.goto(f"{url}/upload?lang=fr")
            page.locator('input[type="file"]').set_input_files(
                str(_workbook_with_mistakes(Path(tmp) / "registre_dakar.xlsx"))
            )
            _settle(page, '[data-testid="stDataFrame"]')
            page.screenshot(path=str(out / "upload.png"))
            browser.close()
    print(f"wrote {out / 'overview.png'}, {out / 'slide.png'} and {out / 'upload.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
