"""Like-for-like comparisons (#11): the current, unfinished year against the same days of Y-1.

A tiny register in RBD, every amount in USD (rate 1), today fixed with PARTNERSHIPS_TODAY:

    partners  A active, started 2020-01-01       B active, started 2025-02-01
              C active, started 2025-09-01       D active, started 2026-02-01
              E closed, 2019-01-01 .. 2025-04-30
    gifts     c1 A 2025-03-10  1,000 received    c2 A 2025-06-01  4,000 received
              c3 B 2025-12-20    500 pledged     c4 A 2026-02-01  1,500 received
              c5 D 2026-03-15    200 received    c6 D 2026-04-01    300 pledged
              c7 A 2027-02-28    100 received    c8 A 2027-03-01  1,000 received
              c9 A 2028-02-29     50 received
"""

import shutil
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import config
from analytics import indicators as ind
from analytics.board import slides, story
from analytics.config import SHIPPED_REFERENCE_DIR
from analytics.i18n import t
from analytics.indicators import views
from analytics.indicators.scope import same_day_earlier
from analytics.reference.load import load_reference
from analytics.text import plain
from schemas import Contributions, Partners
from tests.conftest import ROOT
from tests.registers import contribution, partner, typed
from tests.test_pages import sample_store, seeded  # noqa: F401 - fixtures

T = pd.Timestamp

PARTNERS = [
    partner("A", start_date=T("2020-01-01")),
    partner("B", start_date=T("2025-02-01")),
    partner("C", start_date=T("2025-09-01")),
    partner("D", start_date=T("2026-02-01")),
    partner("E", stage="closed", start_date=T("2019-01-01"), end_date=T("2025-04-30")),
]
CONTRIBUTIONS = [
    contribution("c1", "A", date=T("2025-03-10"), amount=1000.0),
    contribution("c2", "A", date=T("2025-06-01"), amount=4000.0),
    contribution("c3", "B", date=T("2025-12-20"), amount=500.0, status="pledged"),
    contribution("c4", "A", date=T("2026-02-01"), amount=1500.0),
    contribution("c5", "D", date=T("2026-03-15"), amount=200.0),
    contribution("c6", "D", date=T("2026-04-01"), amount=300.0, status="pledged"),
    contribution("c7", "A", date=T("2027-02-28"), amount=100.0),
    contribution("c8", "A", date=T("2027-03-01"), amount=1000.0),
    contribution("c9", "A", date=T("2028-02-29"), amount=50.0),
]
FLOWS = ["contributions_usd", "received_usd", "pledged_usd", "contributing_partners"]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ref") / "reference"
    shutil.copytree(SHIPPED_REFERENCE_DIR, folder)
    rates = [("USD", y, 1.0) for y in range(2018, 2030)]
    pd.DataFrame(rates, columns=["currency", "year", "usd_per_unit"]).to_csv(
        folder / "exchange_rates.csv", index=False
    )
    p, c = typed(PARTNERS, Partners), typed(CONTRIBUTIONS, Contributions)
    c.insert(0, "region", pd.Series(["RBD"] * len(c), dtype="str"))
    return ind.prepare(p, c, load_reference(str(folder)))


def _cards(prepared, year: int, ids) -> pd.DataFrame:
    """The cards of `year` with today as PARTNERSHIPS_TODAY says (no `today` passed)."""
    return views.cards(prepared, (year, year), list(ids)).set_index("indicator")


def test_today_comes_from_the_setting(monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2026-03-15")
    assert config.today() == date(2026, 3, 15)
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "")
    assert config.today() == date.today()
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "15/03/2026")
    with pytest.raises(ValueError, match="PARTNERSHIPS_TODAY"):
        config.today()


def test_current_year_compares_the_same_days(prepared, monkeypatch):
    """Today 2026-03-15, period 2026: 1 Jan..15 Mar 2026 against 1 Jan..15 Mar 2025.

    contributions: now c4 + c5 = 1,500 + 200 = 1,700 (c6, dated 1 Apr, is after today);
    before c1 = 1,000 (10 Mar 2025); c2 (1 Jun) and c3 (20 Dec) are after 15 Mar -> +700, +70 %.
    received the same 1,700 vs 1,000; pledged 0 vs 0 (c3 and c6 are out of the windows).
    contributing partners: A, D vs A -> 2 vs 1. new partnerships: D (1 Feb 2026) vs B (1 Feb
    2025); C, started 1 Sep 2025, is out of the window -> 1 vs 1.
    """
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2026-03-15")
    cards = _cards(prepared, 2026, [*FLOWS, "new_partnerships"])
    assert cards.loc["contributions_usd", "value"] == pytest.approx(1700.0)
    assert cards.loc["contributions_usd", "previous"] == pytest.approx(1000.0)
    assert cards.loc["contributions_usd", "change"] == pytest.approx(700.0)
    assert cards.loc["contributions_usd", "change_pct"] == pytest.approx(0.7)
    assert cards.loc["received_usd", ["value", "previous"]].tolist() == [1700.0, 1000.0]
    assert cards.loc["pledged_usd", ["value", "previous"]].tolist() == [0.0, 0.0]
    assert cards.loc["contributing_partners", ["value", "previous"]].tolist() == [2.0, 1.0]
    assert cards.loc["new_partnerships", ["value", "previous"]].tolist() == [1.0, 1.0]
    # growth() says the same as the cards.
    g = ind.growth(prepared, 2026, indicators=["contributions_usd"])
    assert g[["value", "previous"]].iloc[0].tolist() == [1700.0, 1000.0]
    # The window, in words.
    c = ind.comparison(2026, config.today())
    assert (c.through, c.previous_through) == (date(2026, 3, 15), date(2025, 3, 15))
    assert ind.comparison_text(c, "en") == ("year to date, compared with the same period of 2025")
    assert ind.comparison_text(c, "fr") == (
        "depuis le début de l’année, comparé à la même période de 2025"
    )


def test_a_complete_year_compares_the_whole_previous_year(prepared, monkeypatch):
    """Today 2027-01-10, period 2026 (complete): 2026 against the whole of 2025.

    contributions: c4 + c5 + c6 = 1,500 + 200 + 300 = 2,000 against c1 + c2 + c3 = 1,000 +
    4,000 + 500 = 5,500 -> −3,500. contributing partners A, D vs A, B -> 2 vs 2. new
    partnerships D vs B, C -> 1 vs 2. Exactly compute() of each year, as before like for like.
    """
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2027-01-10")
    ids = [*FLOWS, "new_partnerships"]
    cards = _cards(prepared, 2026, ids)
    assert cards.loc["contributions_usd", ["value", "previous"]].tolist() == [2000.0, 5500.0]
    assert cards.loc["contributions_usd", "change"] == pytest.approx(-3500.0)
    assert cards.loc["contributing_partners", ["value", "previous"]].tolist() == [2.0, 2.0]
    assert cards.loc["new_partnerships", ["value", "previous"]].tolist() == [1.0, 2.0]
    now = ind.compute(prepared, 2026, indicators=ids).iloc[0]
    before = ind.compute(prepared, 2025, indicators=ids).iloc[0]
    g = ind.growth(prepared, 2026, indicators=ids).set_index("indicator")
    for i in ids:
        assert g.loc[i, "value"] == now[i] and g.loc[i, "previous"] == before[i]
    c = ind.comparison(2026, config.today())
    assert not c.like_for_like and ind.comparison_text(c, "en") == "compared with 2025"


def test_a_leap_day_compares_with_28_february(prepared, monkeypatch):
    """Today 2028-02-29: 2028 is c9 = 50; 2027 to 28 Feb is c7 = 100 (c8, 1 Mar, is out)."""
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2028-02-29")
    c = ind.comparison(2028, config.today())
    assert c.previous_through == date(2027, 2, 28)
    cards = _cards(prepared, 2028, ["contributions_usd"])
    assert cards.loc["contributions_usd", ["value", "previous"]].tolist() == [50.0, 100.0]
    # Four years back, 29 February exists again; a range 2027–2028 compares with 2025–2026.
    assert same_day_earlier(date(2028, 2, 29), 4) == date(2024, 2, 29)
    c = ind.comparison((2027, 2028), config.today())
    assert (c.previous, c.previous_through) == ((2025, 2026), date(2026, 2, 28))


def test_a_stock_compares_as_it_is(prepared, monkeypatch):
    """active_partners is a stock: 2026 A, B, C, D = 4 against 2025 A, B, C, E = 4, with today
    in 2026 or in 2027 alike (C, started after 15 Mar 2025, still counts in 2025)."""
    assert not ind.CATALOGUE["active_partners"].flow and ind.CATALOGUE["contributions_usd"].flow
    shown = []
    for today in ("2026-03-15", "2027-01-10"):
        monkeypatch.setenv("PARTNERSHIPS_TODAY", today)
        cards = _cards(prepared, 2026, ["active_partners"])
        shown.append(cards.loc["active_partners", ["value", "previous"]].tolist())
    assert shown == [[4.0, 4.0], [4.0, 4.0]]


def test_the_deck_and_the_story_say_so(prepared, monkeypatch):
    """Today 2026-03-15: the KPI slide's subtitle, the story's title and its sentence.

    Story: contributions 1,700 against 1,000 -> up 700 (+70 %), all of it from RBD (the other
    regions, in scope, gave nothing).
    """
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2026-03-15")
    deck = slides.build_deck(prepared, 2026, lang="en")
    kpis = next(s for s in deck.slides if s.key == "kpis")
    assert kpis.subtitle == "Change: year to date, compared with the same period of 2025"
    # The cards: a flow names the same days of 2025 (contributions 1,000, as worked out in
    # test_current_year_compares_the_same_days); a stock names the previous period (active
    # partners 4, test_a_stock_compares_as_it_is).
    lines = {c.indicator: c.previous_line for c in kpis.cards}
    assert lines["contributions_usd"] == "Same period of 2025: $1,000"
    assert lines["active_partners"] == "Previous period: 4"
    told = next(s for s in deck.slides if s.key == "story")
    assert told.title == "What changed: year to date, compared with the same period of 2025"
    assert told.items[0] == (
        "Contributions reached $1,700 in 2026 to date, up $700 (+70.0%) on 2025 to the same"
        " date, mostly from RBD (+$700)."
    )
    fr = slides.build_deck(prepared, 2026, lang="fr")
    fr_kpis = next(s for s in fr.slides if s.key == "kpis")
    assert fr_kpis.subtitle == (
        "Évolution depuis le début de l’année, comparée à la même période de 2025"
    )
    fr_lines = {c.indicator: c.previous_line for c in fr_kpis.cards}
    assert fr_lines["contributions_usd"].startswith("Même période de 2025\u00a0: ")
    assert fr_lines["active_partners"] == "Période précédente\u00a0: 4"
    items = story.summary(prepared, 2026, lang="fr")
    assert "2026 à ce jour" in items[0].text and "2025 à la même date" in items[0].text
    # A complete year: the words of a complete year.
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2027-01-10")
    deck = slides.build_deck(prepared, 2026, lang="en")
    kpis = next(s for s in deck.slides if s.key == "kpis")
    assert kpis.subtitle == "Change against 2025"
    # The whole of 2025: c1 + c2 + c3 = 1,000 + 4,000 + 500 = 5,500.
    lines = {c.indicator: c.previous_line for c in kpis.cards}
    assert lines["contributions_usd"] == "Previous period: $5,500"


def _overview(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_overview_says_year_to_date(sample_store, monkeypatch, lang):  # noqa: F811
    """The samples run to November 2026; today 2026-06-30: the overview shows 2026 to date."""
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2026-06-30")
    at = _overview(lang)
    c = ind.comparison(2026, date(2026, 6, 30))
    text = ind.comparison_text(c, lang)
    captions = [x.value for x in at.caption]
    assert any(plain(text[:1].upper() + text[1:]) in x for x in captions), captions
    assert story.title(2026, lang, date(2026, 6, 30)) in [s.value for s in at.subheader]
    help_text = next(m.help for m in at.metric if m.label == ind.short("contributions_usd", lang))
    same = t("indicator_comparison.previous_value", lang, previous="2025", value="")
    assert same.strip() in help_text
    # A stock keeps the previous period's words.
    active = next(m.help for m in at.metric if m.label == ind.short("active_partners", lang))
    assert t("pages.previous_value", lang, period="2025", value="").strip() in active


def test_the_overview_of_a_complete_year(sample_store, monkeypatch):  # noqa: F811
    """Today 2027-01-10: 2026 is complete; no year-to-date words."""
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2027-01-10")
    at = _overview("en")
    assert not any("Year to date" in x.value for x in at.caption)
    assert "What changed since 2025" in [s.value for s in at.subheader]


def test_the_command_line_counts_as_the_cards(prepared, monkeypatch):
    """`indicators` gives the cards' values: today 2026-03-15, 2026's contributions are c4 + c5 =
    1,500 + 200 = 1,700; c6 (300 pledged, dated 1 Apr 2026) has not happened yet, so pledged is
    0; active partners, a stock, 4 (A, B, C, D). Once 2026 is complete (today 2027-01-10) c6
    counts: 2,000 and 300 pledged."""
    shown = []
    for today in ("2026-03-15", "2027-01-10"):
        monkeypatch.setenv("PARTNERSHIPS_TODAY", today)
        table = ind.indicator_table(prepared, 2026).iloc[0]
        cards = _cards(prepared, 2026, ["contributions_usd", "pledged_usd", "active_partners"])
        shown.append(table[["contributions_usd", "pledged_usd", "active_partners"]].tolist())
        assert shown[-1] == cards["value"].tolist()
    assert shown == [[1700.0, 0.0, 4], [2000.0, 300.0, 4]]
