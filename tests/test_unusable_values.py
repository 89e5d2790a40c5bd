"""Non-finite and huge amounts (issue #18, point 2): every page, export and the CLI still work.

Validation refuses such amounts; these registers are committed straight into the store, as a
register stored before that check (or a bug) would be. Expected texts are worked out by hand:
two contributions of 1e25 are 2e25, "$2.0E25"; an infinite amount (or a sum that overflows) is
"no data", like NaN.
"""

import io
import json
import math
from decimal import Decimal

import pandas as pd
import pytest
import streamlit as st
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from analytics import charts, cli
from analytics import indicators as ind
from analytics.access.roles import ADMIN, User
from analytics.i18n import fmt_money, fmt_number, fmt_percent, t
from analytics.reference.load import load_reference
from analytics.store.versions import open_store
from tests.conftest import ROOT
from tests.registers import contribution, partner, register

T = pd.Timestamp
INF = float("inf")
ADMIN_USER = User("admin", ADMIN)
NO_DATA = {"en": t("ui.no_data", "en"), "fr": t("ui.no_data", "fr")}


# --- formatting ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("value", [INF, -INF])
@pytest.mark.parametrize(
    "format_",
    [
        fmt_number,
        fmt_money,
        lambda x, lang: fmt_money(x, lang, compact=False),
        fmt_percent,
        charts.money,
        lambda x, lang: ind.format_value("contributions_usd", x, lang),
        lambda x, lang: ind.format_change("contributions_usd", x, x, lang),
    ],
)
def test_a_value_that_is_no_number_is_no_data(format_, value, lang):
    assert format_(value, lang) == NO_DATA[lang]


@pytest.mark.parametrize(
    ("format_", "value", "lang", "expected"),
    [
        (fmt_number, 1e25, "en", "1.0E25"),
        (fmt_number, -1.234e25, "fr", "-1,23E25"),
        (fmt_number, 1.7e308, "en", "1.7E308"),
        (fmt_money, 2e25, "en", "$2.0E25"),
        (fmt_money, 2e25, "fr", "2,0E25\xa0$"),
        (lambda x, lang: fmt_money(x, lang, compact=False), 2e25, "en", "$2.0E25"),
        (fmt_money, -1e300, "en", "-$1.0E300"),
        (charts.money, 2e25, "en", "$2.0E25"),
        (fmt_percent, 1e25, "en", "1.0E27%"),
        (fmt_percent, 1.7e308, "en", "1.7E310%"),  # ×100 overflows a float
        (fmt_percent, 1e25, "fr", "1,0E27\xa0%"),
    ],
)
def test_a_huge_value_is_written_in_scientific_form(format_, value, lang, expected):
    assert format_(value, lang) == expected


@pytest.mark.parametrize("top", [1.7e308, 2e25])
def test_axis_ticks_of_huge_values_are_finite(top):
    ticks = charts.nice_ticks(top)
    assert all(math.isfinite(v) for v in ticks)
    assert ticks[-1] >= top or ticks == [0.0]


# --- a store holding such amounts ---------------------------------------------------------------------


def _store(tmp_path, amounts: tuple[float, float]) -> str:
    """RBD: partners A (innovation) and B (advocacy) gave `amounts` in 2024, and A 5 USD in 2023."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    reg = register(
        [partner("A"), partner("B", partnership_type="advocacy")],
        [
            contribution("c1", "A", date=T("2024-03-01"), amount=amounts[0], country="SEN"),
            contribution("c2", "B", date=T("2024-04-01"), amount=amounts[1], country="MLI"),
            contribution("c3", "A", date=T("2023-05-01"), amount=5.0),
        ],
    )
    upload = store.record_upload("RBD", "RBD.xlsx", b"x", "Awa", user=ADMIN_USER)
    store.commit("RBD", reg, upload_id=upload, uploader="Awa", expected_number=0, user=ADMIN_USER)
    store.close()
    return url


def _fresh(url: str, filters: ind.Filters | None = None) -> float:
    """Contributions (USD) of 2024, computed afresh from the store."""
    store = open_store(url)
    prepared = ind.prepare(*store.load_current(), load_reference())
    store.close()
    row = ind.compute(prepared, 2024, (), filters, indicators=["contributions_usd"]).iloc[0]
    return row["contributions_usd"]


# amounts of A and B -> the total the cards show and A's (innovation), worked out by hand (None:
# whatever the catalogue gives; it reads an infinite amount as the largest float).
AMOUNTS = {
    "1e25": ((1e25, 1e25), "$2.0E25", "$1.0E25"),
    "inf": ((INF, 1.0), None, None),
    "overflowing sum": ((1e308, 1e308), NO_DATA["en"], "$1.0E308"),
}


def _use(url: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "no-samples"))
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(params=list(AMOUNTS))
def unusable(request, tmp_path, monkeypatch) -> tuple[str, str | None, str | None]:
    """A store with those amounts, used by the app; the texts its totals must show."""
    amounts, total, innovation = AMOUNTS[request.param]
    url = _store(tmp_path, amounts)
    _use(url, tmp_path, monkeypatch)
    return url, total, innovation


def _open(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "en", **params})
    at.run()
    if page != "app_pages/dashboards/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.mark.parametrize(
    ("page", "cards"),
    [
        ("app_pages/dashboards/overview.py", len(ind.OVERVIEW)),
        ("app_pages/dashboards/by_region.py", 8),  # RBD's panorama; the others never reported
    ],
)
def test_the_pages_show_their_cards(unusable, page, cards):
    url, shown, _ = unusable
    at = _open(page, year="2024")
    assert len(at.metric) == cards
    total = {m.label: m.value for m in at.metric}[ind.short("contributions_usd", "en")]
    assert total == ind.format_value("contributions_usd", _fresh(url), "en")
    assert shown is None or total == shown


def test_the_by_type_page_shows_its_cards(unusable):
    url, _, shown = unusable
    at = _open("app_pages/dashboards/by_type.py", year="2024")
    # the two types with partners have cards; the two others say they have none
    types = [
        c for c in load_reference().codes("partnership_type") if c in ("innovation", "advocacy")
    ]
    ids = [i for c in types for i in ind.BY_TYPE[c]]
    assert [m.label for m in at.metric] == [ind.short(i, "en") for i in ids]
    assert len(at.get("plotly_chart")) == 1
    innovation = at.metric[ids.index("contributions_usd")].value  # only innovation shows it
    fresh = _fresh(url, ind.Filters(partnership_types=("innovation",)))
    assert innovation == ind.format_value("contributions_usd", fresh, "en")
    assert shown is None or innovation == shown


def test_the_board_shows_the_key_indicators(unusable):
    url, shown, _ = unusable
    at = _open("app_pages/dashboards/board.py", year="2024", slide="3")  # 2 is the story
    text = " ".join(str(h.proto.body) for h in at.get("html"))

    def card(value: str) -> str:
        label = ind.short("contributions_usd", "en")
        return f'{label}</div><div class="bd-value">{value}</div>'

    assert card(ind.format_value("contributions_usd", _fresh(url), "en")) in text
    assert shown is None or card(shown) in text


def test_the_exports_and_the_cli_work(unusable, tmp_path, capsys):
    url, by_hand, _ = unusable
    shown = ind.format_value("contributions_usd", _fresh(url), "en")
    assert by_hand is None or shown == by_hand
    for fmt in ("pptx", "pdf"):
        out = tmp_path / f"board.{fmt}"
        assert cli.main(["export", str(out), "--db", url, "--year", "2024"]) == 0
    capsys.readouterr()
    cards = Presentation(str(tmp_path / "board.pptx")).slides[2]  # the key indicators, a table
    cells = [c.text for s in cards.shapes if s.has_table for r in s.table.rows for c in r.cells]
    assert cells[cells.index(ind.short("contributions_usd", "en")) + 1] == shown
    assert shown in PdfReader(str(tmp_path / "board.pdf")).pages[2].extract_text()

    assert cli.main(["indicators", "--db", url, "--year", "2024"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    expected = _fresh(url)
    value = table["contributions_usd"].iloc[0]
    if math.isfinite(expected):
        assert value == expected
    else:
        assert pd.isna(value)  # an empty cell, as every "no data", never "inf"
    assert cli.main(["indicators", "--db", url, "--year", "2024", "--format", "json"]) == 0
    # strict JSON (no Infinity or NaN), read exactly: 15 digits of 1.8e308 are past a float
    record = json.loads(capsys.readouterr().out, parse_float=Decimal, parse_constant=_refuse)[0]
    if math.isfinite(expected):
        assert abs(record["contributions_usd"] / Decimal(expected) - 1) < Decimal("1e-14")
    else:
        assert record["contributions_usd"] is None


def _refuse(token: str):
    raise AssertionError(f"{token} is not JSON")


# --- one failing block does not take the page down ----------------------------------------------------


def test_a_failing_chart_is_a_sentence_and_the_rest_of_the_page_is_drawn(tmp_path, monkeypatch):
    _use(_store(tmp_path, (1000.0, 2000.0)), tmp_path, monkeypatch)

    def broken(*args, **kwargs):
        raise ValueError("a value no chart can draw")

    monkeypatch.setattr(charts, "concentration", broken)
    at = _open("app_pages/dashboards/overview.py", year="2024")
    assert [w.value for w in at.warning] == [t("pages.section_failed", "en")]
    assert len(at.metric) == len(ind.OVERVIEW)
    assert len(at.get("plotly_chart")) == 4  # by region, share, trend, map; not the concentration
