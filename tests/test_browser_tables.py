"""Streamlit's own "Download as CSV" of a table is off (issue #18, point 6): it exports cells as
typed, formulas included; our buttons under each table write neutralised CSV and XLSX files."""

import re
import tomllib

import pytest

from analytics.i18n import t
from tests.conftest import ROOT


def test_the_app_config_turns_the_tables_export_off():
    with (ROOT / ".streamlit" / "config.toml").open("rb") as f:
        assert tomllib.load(f)["client"]["disableDataExport"] is True


@pytest.mark.browser
def test_a_table_has_no_builtin_download_but_our_neutralised_buttons(
    run_sample_app, browser, tmp_path
):
    with run_sample_app(PARTNERSHIPS_USERS_FILE=str(tmp_path / "users.toml")) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.goto(f"{url}/partners?lang=en")
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for(timeout=60_000)
        box = table.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        toolbar = page.locator('[data-testid="stElementToolbar"]').first
        toolbar.wait_for(state="attached", timeout=10_000)
        page.wait_for_timeout(500)
        buttons = page.locator('[data-testid="stElementToolbarButton"] button')
        labels = [buttons.nth(i).get_attribute("aria-label") or "" for i in range(buttons.count())]
        assert "Search" in labels, labels  # the toolbar is drawn
        assert not [x for x in labels if "download" in x.lower()], labels
        assert page.get_by_role("button", name=t("downloads.csv", "en")).first.is_visible()
        assert page.get_by_role("button", name=t("downloads.xlsx", "en")).first.is_visible()


# The grid draws on a canvas; this records every text it draws, with where (the canvas's own
# pixels), so a test reads what the user sees rather than the values behind the cells.
RECORD_DRAWN_TEXT = """
window.__drawn = [];
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
  window.__drawn.push([String(text), x, y]);
  return fillText.call(this, text, x, y, ...rest);
};
"""
# A whole amount as each language writes it: "$2,493,740" / "2 493 740 $" (narrow no-break
# spaces between groups, a no-break space before the symbol, as Babel writes French).
AMOUNT = {
    "en": re.compile(r"^\$\d{1,3}(,\d{3})*(\.\d{1,2})?$"),
    "fr": re.compile("^\\d{1,3}(\u202f\\d{3})*(,\\d{1,2})?\u00a0\\$$"),
}


def _value(text: str, lang: str) -> float:
    """The number an amount's text says ("2 493 740,5 $" -> 2493740.5)."""
    if lang == "fr":
        return float(text.replace("\u202f", "").replace("\u00a0$", "").replace(",", "."))
    return float(text.replace("$", "").replace(",", ""))


def _drawn(page, waited: str) -> dict[tuple[float, float], str]:
    """Every place of the grid's canvas with the latest text drawn there, once `waited` is."""
    for _ in range(60):
        drawn = {(x, y): text for text, x, y in page.evaluate("window.__drawn")}
        if waited in drawn.values():
            return drawn
        page.wait_for_timeout(500)
    raise AssertionError(f"{waited!r} never drawn: {sorted(set(drawn.values()))[:40]}")


def _column(drawn: dict, label: str) -> tuple[float, float, list[str]]:
    """Where a header is drawn (x, y) and its column's texts from top to bottom."""
    headers = sorted((x, y, text) for (x, y), text in drawn.items() if y < 30)
    starts = [x for x, _, _ in headers]
    index = next(i for i, (_, _, text) in enumerate(headers) if text.endswith(label))
    left = starts[index]
    right = starts[index + 1] if index + 1 < len(starts) else float("inf")
    cells = sorted((y, text) for (x, y), text in drawn.items() if y >= 30 and left <= x < right)
    return left, headers[index][1], [text for _, text in cells]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_amounts_read_in_the_language_and_a_header_click_sorts_them_by_value(
    run_sample_app, browser, tmp_path, lang
):
    """Issue #17: "$2,493,740" in English, "2 493 740 $" in French, and sorted as numbers."""
    from playwright.sync_api import expect

    from ui.tables import header

    with run_sample_app(PARTNERSHIPS_USERS_FILE=str(tmp_path / "users.toml")) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.add_init_script(RECORD_DRAWN_TEXT)
        page.goto(f"{url}/partners?lang={lang}")
        expect(page.get_by_role("heading", name=t("pages.partners.title", lang))).to_be_visible(
            timeout=60_000
        )
        # Order the table by name first, so that an order by amount comes from the click only.
        page.get_by_role("combobox", name=t("pages.partners.sort", lang)).click()
        page.get_by_role("option", name=t("pages.partners.sort_partner_name", lang)).click()
        page.wait_for_timeout(2000)
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=60_000)
        label = header("usd", lang)

        drawn = _drawn(page, label)
        x, y, texts = _column(drawn, label)
        amounts = [s for s in texts if s != "—"]
        assert amounts and all(AMOUNT[lang].match(s) for s in amounts), texts
        other = "fr" if lang == "en" else "en"
        assert not [s for s in drawn.values() if AMOUNT[other].match(s)]  # no amount of the other

        canvas = grid.locator("canvas").first.bounding_box()
        for _ in range(2):  # ascending, then descending: the largest first
            page.mouse.click(canvas["x"] + x + 10, canvas["y"] + y - 4)
            page.wait_for_timeout(800)
        drawn = _drawn(page, f"↓ {label}")
        _, _, texts = _column(drawn, label)
        values = [_value(s, lang) for s in texts if s != "—"]
        assert len(values) >= 5, texts
        assert values == sorted(values, reverse=True), texts  # by value...
        assert texts != sorted(texts, reverse=True), texts  # ...which the text's order is not


# No stray values: Python's empties, ISO timestamps, codes with an underscore (resource_mobilization).
STRAY = re.compile(r"\bnan\b|\bNone\b|\bNaT\b|\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_empty_cells_are_dashes_and_codes_labels_on_profile_audit_and_data_quality(
    run_sample_app, browser, tmp_path, lang
):
    """Issue #17: no "Focal point: nan", "None", raw codes or raw timestamps, in text or tables."""
    from playwright.sync_api import expect

    from analytics.reference.load import load_reference

    codes = {c for c in load_reference().codelists["code"].astype(str) if "_" in c}
    pages = {  # RBB-P0002 (Evergreen Foundation) has no focal point in the sample
        "partners?partner=RBB:RBB-P0002": "pages.partners.title",
        "audit": "audit_page.title",
        "data_quality": "quality.title",
    }
    with run_sample_app(PARTNERSHIPS_USERS_FILE=str(tmp_path / "users.toml")) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.add_init_script(RECORD_DRAWN_TEXT)
        for path, title in pages.items():
            sep = "&" if "?" in path else "?"
            page.goto(f"{url}/{path}{sep}lang={lang}")
            expect(page.get_by_role("heading", name=t(title, lang))).to_be_visible(timeout=60_000)
            page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
            page.wait_for_timeout(3000)  # every table drawn
            drawn = set(page.evaluate("window.__drawn.map(d => d[0])"))
            assert drawn, path  # the recorder saw the tables
            text = page.locator('[data-testid="stMain"]').inner_text()
            assert not STRAY.search(text), (path, STRAY.search(text))
            assert not [s for s in drawn if STRAY.search(s)], (path, drawn)
            assert not codes & drawn, (path, codes & drawn)
            assert not [c for c in codes if re.search(rf"\b{c}\b", text)], path
            if path.startswith("partners"):
                assert "—" in text  # the empty focal point is a dash


# A whole percent as each language writes it: "88%", "88 %" (Babel's no-break space).
WHOLE_PERCENT = {"en": re.compile(r"^\d+%$"), "fr": re.compile("^\\d+\u00a0%$")}


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_target_progress_bars_say_a_whole_percent_in_the_language(
    run_sample_app, browser, tmp_path, lang
):
    """Issue #17: the bars read "87.66%" (Streamlit's "percent" preset) in both languages."""
    from analytics import config
    from analytics import indicators as ind
    from analytics.indicators import views
    from analytics.reference.load import load_reference
    from analytics.store.versions import open_store
    from ui.tables import percent_printf

    assert (
        percent_printf(lang).replace("%.0f", "88").replace("%%", "%")
        == {
            "en": "88%",
            "fr": "88\u00a0%",
        }[lang]
    )
    with run_sample_app(PARTNERSHIPS_USERS_FILE=str(tmp_path / "users.toml")) as url:
        # What the page counts: the seeded store, its default period (the latest year).
        store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
        prepared = ind.prepare(*store.load_current(), load_reference())
        store.close()
        year = ind.latest_year(prepared, config.today())
        reached = views.target_progress(prepared, (year, year), today=config.today())["reached"]
        expected = {f"{round(x * 100):.0f}" for x in reached}  # 0.8766 -> "88"
        page = browser.new_page(viewport={"width": 1440, "height": 1400})
        page.add_init_script(RECORD_DRAWN_TEXT)
        page.goto(f"{url}/by_region?lang={lang}")
        drawn = _drawn(page, t("pages.by_region.targets_reached", lang))
        # Every page is listed in the sidebar: no Streamlit "View 3 more" in English.
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert t("audit_page.nav", lang) in nav and not re.search(r"View (\d+ )?(more|less)", nav)
        bars = [s for s in drawn.values() if WHOLE_PERCENT[lang].match(s)]
        assert len(bars) >= 6, sorted(set(drawn.values()))  # the rows in sight
        assert {s.rstrip("%\u00a0") for s in bars} <= expected, (bars, expected)
        assert not [s for s in drawn.values() if re.search(r"\d[.,]\d\d\s?%", s)]  # "87.66%"
