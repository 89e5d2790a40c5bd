"""Stored text is shown as text (issue #18, point 5): no Markdown, LaTeX, colour, image or link in
what people typed, no HTML in chart labels, no bidi override reversing what stands beside it."""

import json
import re

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import charts
from analytics.access.roles import ADMIN, User
from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.store.versions import open_store
from analytics.text import FSI, PDI, WORD_JOINER, label, plain
from tests.conftest import ROOT
from tests.registers import contribution, partner, register

CRAFTED = "**Bold** ![x](http://example.invalid/x.png) $x^2$ :red[red] <b>b</b> \u202eevil"
# What must never reach the browser as Markdown source (our own bold labels use "**Label**").
RAW = ("**Bold**", "![", "](http", "$x", ":red[", "<b>", "\u202e")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**Bold**", r"\*\*Bold\*\*"),
        ("![x](e.invalid/x.png)", r"\!\[x\]\(e\.invalid\/x\.png\)"),
        ("$x^2$", r"\$x\^2\$"),
        (":red[red]", r"\:red\[red\]"),
        ("<b>b</b>", r"\<b\>b\<\/b\>"),
        # no autolink: a word joiner (invisible) breaks the address
        ("www.example.invalid", "www\u2060" + r"\.example\.invalid"),
        ("http://e.invalid", "http\u2060" + r"\:\/\/e\.invalid"),
        ("ana@e.invalid", r"ana\@" + "\u2060" + r"e\.invalid"),
        ("a\nb\r\nc", "a b c"),
        ("\u202eevil\u2066", "evil"),  # override and isolate controls removed
        ("Ana مرحبا", FSI + "Ana مرحبا" + PDI),  # right-to-left text isolated
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_plain_escapes_every_markdown_syntax(text, expected):
    assert plain(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>b</b><br>", "&lt;b&gt;b&lt;/b&gt;&lt;br&gt;"),
        ('<a href="http://e.invalid">x</a>', '&lt;a href="http://e.invalid"&gt;x&lt;/a&gt;'),
        ("A & B", "A &amp; B"),
        ("\u202eevil", "evil"),
    ],
)
def test_label_escapes_plotly_html(text, expected):
    assert label(text) == expected


def test_chart_labels_show_partner_names_as_typed():
    ref = load_reference()
    top = pd.DataFrame(
        {
            "partner_name": [CRAFTED],
            "region": ["RBD"],
            "partner_id": ["A"],
            "partnership_type": ["innovation"],
            "usd": [1000.0],
            "share": [1.0],
        }
    )
    fig = charts.concentration(top, ref, "en")
    (y,) = fig.data[0].y
    assert "&lt;b&gt;b&lt;/b&gt;" in y and "<b>" not in y and "\u202e" not in y


# --- in the app -----------------------------------------------------------------------------------


@pytest.fixture
def crafted_store(tmp_path, monkeypatch) -> str:
    """RBD: partner A whose name, sector and focal point, and whose contribution's description,
    are the crafted text; committed straight into the store."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    reg = register(
        [partner("A", partner_name=CRAFTED, sector=CRAFTED, focal_point=CRAFTED)],
        [
            contribution(
                "c1",
                "A",
                date=pd.Timestamp("2024-03-01"),
                amount=5000.0,
                country="SEN",
                description=CRAFTED,
            )
        ],
    )
    upload = store.record_upload("RBD", "RBD.xlsx", b"x", "Awa", user=User("a", ADMIN))
    store.commit(
        "RBD", reg, upload_id=upload, uploader="Awa", expected_number=0, user=User("a", ADMIN)
    )
    store.close()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "no-samples"))
    st.cache_resource.clear()
    st.cache_data.clear()
    return url


def _open(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "en", "year": "2024", **params})
    at.run()
    if page != "app_pages/dashboards/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _texts(at: AppTest) -> list[str]:
    """Every Markdown text of the page: titles, headers, paragraphs, captions, alerts, tabs."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [tab.label for tab in at.tabs]
    out += [m.label for m in at.metric] + [m.help or "" for m in at.metric]
    return out


def _no_raw(texts: list[str]) -> None:
    """No piece of syntax of the crafted text appears unescaped (not after a backslash)."""
    for text in texts:
        for raw in RAW:
            assert not re.search(r"(?<!\\)" + re.escape(raw), text), (raw, text)


def test_the_partner_profile_shows_stored_text_as_text(crafted_store):
    at = _open("app_pages/dashboards/partners.py", partner="RBD:A")
    assert at.subheader[0].value == plain(CRAFTED)
    texts = _texts(at)
    assert any(t("pages.partners.focal_point", "en", name=plain(CRAFTED)) in x for x in texts)
    assert any(plain(CRAFTED) in x and "Sector" in x for x in texts)
    _no_raw(texts)


def test_the_region_page_shows_stored_text_as_text(crafted_store):
    at = _open("app_pages/dashboards/by_region.py")
    texts = _texts(at)
    notable = [x for x in texts if plain(CRAFTED) in x]
    assert notable and plain(CRAFTED) in notable[0].split("\n", 1)[1]  # name, then description
    _no_raw(texts)


def test_the_overview_chart_shows_the_name_as_typed(crafted_store):
    at = _open("app_pages/dashboards/overview.py")
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    (top,) = [f for f in figures if f["data"] and f["data"][0].get("orientation") == "h"]
    (y,) = top["data"][0]["y"]
    assert y == f"{label(CRAFTED)} (RBD)"
    assert "<b>" not in y and "&lt;b&gt;" in y
    _no_raw(_texts(at))


def test_a_crafted_partner_link_is_shown_as_text(crafted_store):
    ref = "RBD:" + CRAFTED
    at = _open("app_pages/dashboards/partners.py", partner=ref)
    assert [w.value for w in at.warning] == [t("pages.partners.not_found", "en", ref=plain(ref))]
    _no_raw(_texts(at))


@pytest.mark.browser
def test_in_a_browser_the_name_reads_as_typed_and_nothing_is_fetched(
    crafted_store, run_app, browser, tmp_path
):
    """The escapes are invisible: the heading reads the crafted text (without its override), no
    bold, image, formula or link is drawn, and no request goes to the image's address."""
    requests: list[str] = []
    with run_app(
        DATABASE_URL=crafted_store,
        PARTNERSHIPS_SAMPLE_DIR=str(tmp_path / "no-samples"),
        PARTNERSHIPS_USERS_FILE=str(tmp_path / "users.toml"),
    ) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{url}/partners?lang=en&year=2024&partner=RBD:A")
        profile = page.locator(".st-key-partner_profile")
        profile.locator("h3").first.wait_for(timeout=60_000)
        heading = profile.locator("h3").first.inner_text().replace(WORD_JOINER, "").strip()
        assert heading == CRAFTED.replace("\u202e", "")
        for tag in ("img", "strong:text('Bold')", "a[href*='example.invalid']", ".katex"):
            assert profile.locator(tag).count() == 0, tag
        page.wait_for_timeout(1000)
    assert not [u for u in requests if "example.invalid" in u]
