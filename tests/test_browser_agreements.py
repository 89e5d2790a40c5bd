"""The agreements page in a real browser (issue #10), in English and French, on the sample data:
the overdue reports come first, the latest first with their days late; the profile of an
agreement, opened by its link (?agreement=REGION:ID), shows its reports and offers its
accountability sheet as a PDF that downloads. The page draws no Plotly chart (tables, a progress
bar), so the chart-text measure of test_browser_chart_text has nothing to measure here; the
profile's text is checked to stay within its box instead.

The expected rows come from the same store through analytics (follow_up_lists, agreement_sheet),
not from the page.
"""

import pytest
from pypdf import PdfReader

from analytics import config
from analytics.board import agreement_sheet as sheets
from analytics.board.pdf_deck import pdf_text
from analytics.i18n import fmt_number, t
from analytics.indicators import follow_up_lists as lists
from analytics.reference.load import load_reference
from analytics.store.changes import field_label
from analytics.store.versions import open_store

# The rows of a Streamlit table, from the accessible table the data grid keeps beside its canvas.
ROWS = """grid => [...grid.querySelectorAll('tr')].map(
    r => [...r.querySelectorAll('th,td')].map(c => c.textContent.trim()))"""


def _norm(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def _expected(store_path, lang: str):
    store = open_store(f"sqlite:///{store_path}")
    try:
        partners, contributions = store.load_current()
        agreements, reports = store.load_follow_up()
        versions = store.current_versions()
    finally:
        store.close()
    today = config.today()
    overdue = lists.overdue_reports(partners, agreements, reports, today)
    first = overdue.iloc[0]
    sheet = sheets.build_sheet(
        partners,
        contributions,
        agreements,
        reports,
        load_reference(),
        first["agreement_id"],
        first["region"],
        lang,
        today,
        versions,
    )
    return overdue, sheet


def _rows(page, locator) -> list[list[str]]:
    for _ in range(60):  # the grid fills its accessible table once drawn
        rows = locator.evaluate(ROWS)
        if len(rows) > 1:
            return rows
        page.wait_for_timeout(250)
    raise AssertionError("the table was never drawn")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_overdue_first_and_a_profile_by_its_link(run_sample_app, browser, tmp_path, lang):
    with run_sample_app() as url:
        overdue, sheet = _expected(tmp_path / "store.db", lang)
        assert len(overdue) > 0  # the samples have overdue reports (RBC, RBD, RBN)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        page.goto(f"{url}/agreements?lang={lang}")
        grids = page.locator('[data-testid="stDataFrame"]')
        grids.first.wait_for(timeout=60_000)

        # Overdue reports first: the first section and the first table.
        headings = [_norm(h) for h in page.locator("h3").all_inner_texts()]
        assert headings[0] == _norm(t("pages.agreements.overdue", lang))
        header, *rows = _rows(page, grids.first)
        days = header.index(t("pages.columns.days_late", lang))
        report = header.index(field_label("report_id", lang))
        # The grid's accessible table holds the rows it draws (the sample's 20-odd overdue
        # reports do not all fit in its height): the first ones, in the list's order.
        drawn = len(rows)
        assert drawn >= min(len(overdue), 8)
        assert [r[report] for r in rows] == overdue["report_id"].tolist()[:drawn]
        assert [int(_norm(r[days]).replace(" ", "")) for r in rows] == (
            overdue["days_late"].tolist()[:drawn]
        )
        assert overdue["days_late"].is_monotonic_decreasing  # the latest first

        # The profile of the most overdue report's agreement, by its link.
        ref = f"{overdue['region'].iloc[0]}:{overdue['agreement_id'].iloc[0]}"
        page.goto(f"{url}/agreements?agreement={ref}&lang={lang}")
        profile = page.locator(".st-key-agreement_profile")
        profile.wait_for(timeout=60_000)
        profile.get_by_text(sheet.heading).wait_for(timeout=30_000)
        header, *rows = _rows(page, profile.locator('[data-testid="stDataFrame"]').first)
        assert header[-len(sheet.reports.header) :] == list(sheet.reports.header)
        assert [r[-len(sheet.reports.header) :] for r in rows] == [
            list(r) for r in sheet.reports.rows
        ]
        late = int(overdue["days_late"].iloc[0])
        state = t("agreement_sheet.overdue", lang, count=late, days=fmt_number(late, lang))
        assert _norm(state) in [_norm(c) for r in rows for c in r]  # "Overdue by 249 days"
        # Nothing of the profile runs out of its box (long titles, partner names wrap).
        assert profile.evaluate("e => e.scrollWidth <= e.clientWidth + 1")

        button = page.get_by_role("button", name=t("pages.agreements.download_sheet", lang))
        button.wait_for(timeout=30_000)  # drawn below the tables
        assert button.is_visible()
        with page.expect_download(timeout=60_000) as download:
            button.click()
        path = download.value.path()
        assert download.value.suggested_filename == sheet.file_name
        text = _norm(" ".join(p.extract_text() for p in PdfReader(str(path)).pages))
        assert len(PdfReader(str(path)).pages) == 1
        assert _norm(pdf_text(sheet.heading)) in text
        page.close()
