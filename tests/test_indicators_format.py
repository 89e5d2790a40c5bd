"""The one formatter of pages and slides (analytics/indicators/format.py): values, changes, periods, filters.

The overview's cards (ui/dashboard.py) and the deck's cards (analytics/board/slides.py) write the
change against the previous period with the same function; these tests pin its words and check
that both renderings agree on a tiny register.
"""

import math

import pandas as pd
import pytest

from analytics import indicators as ind
from analytics.board import slides
from analytics.board.pptx_deck import number_format
from analytics.i18n import t
from analytics.indicators import format as fmt
from analytics.indicators import views
from analytics.reference.load import load_reference
from analytics.text import plain
from schemas import Contributions, Partners
from tests.registers import contribution, partner, typed

T = pd.Timestamp
NAN = float("nan")


@pytest.mark.parametrize(
    "indicator, change, pct, lang, expected",
    [
        ("active_partners", 3, 0.25, "en", "+3 (+25.0%)"),
        ("active_partners", -2, -0.5, "fr", "−2 (−50,0\u00a0%)"),
        ("active_partners", 0, 0.0, "en", "0 (0.0%)"),
        ("contributions_usd", -20_000.0, NAN, "en", "−$20K"),
        ("contributions_usd", 1_500_000.0, None, "fr", "+1,5\u00a0M\u00a0$"),
        # a share changes in percentage points, never in % of itself (the % is ignored)
        ("retention_rate", 0.012, 0.5, "en", "+1.2 pts"),
        ("retention_rate", -0.05, NAN, "fr", "−5 pts"),
        ("top5_share", 0.0, NAN, "en", "0 pts"),
    ],
)
def test_format_change(indicator, change, pct, lang, expected):
    """Sign, amount in the indicator's unit, % of the previous value when known; shares in points."""
    got = fmt.format_change(indicator, change, pct, lang)
    assert got.replace("\u202f", "\u00a0") == expected


@pytest.mark.parametrize("change", [None, NAN, math.inf, -math.inf, "x"])
def test_an_unknown_change_reads_no_data_or_what_the_caller_says(change):
    assert fmt.format_change("active_partners", change, None, "fr") == "pas de données"
    assert fmt.format_change("retention_rate", change, None, "en", unknown="") == ""


@pytest.mark.parametrize(
    "indicator, value, previous, expected",
    [
        ("active_partners", 5, 3, True),
        ("active_partners", 3, 5, False),
        ("lybunt_partners", 3, 5, True),  # fewer lapsed partners is good news
        ("top5_share", 0.6, 0.4, False),  # more dependency on the largest is bad news
        ("active_partners", 4, 4, None),
        ("active_partners", 4, NAN, None),
    ],
)
def test_good_news(indicator, value, previous, expected):
    assert fmt.good_news(indicator, value, previous) is expected


@pytest.mark.parametrize("period, expected", [((2024, 2024), "2024"), ((2022, 2024), "2022–2024")])
def test_period_label(period, expected):
    assert fmt.period_label(period) == expected


def test_describe_filters_in_the_decks_and_the_pages_words():
    """Labels, not codes, in the user's language; the pages' caption escapes Markdown."""
    reference = load_reference()
    none = ind.Filters()
    assert fmt.describe_filters(none, reference, "en", "board.filter") == (
        "All regions, partnership types and partners"
    )
    assert fmt.describe_filters(none, reference, "fr", "filters") == (
        "toutes les régions, tous les types et partenaires"
    )
    chosen = ind.Filters(regions=["RBD"], kinds=["in_kind"])
    region = reference.region_name("RBD", "fr")
    kind = reference.label("kind", "in_kind", "fr")
    board = fmt.describe_filters(chosen, reference, "fr", "board.filter")
    assert board == f"Région\u00a0: {region} · Nature de la contribution\u00a0: {kind}"
    page = fmt.describe_filters(chosen, reference, "fr", "filters", markdown=True)
    assert page.startswith(f"{t('filters.regions', 'fr')}\u00a0: {plain(region)} · ")
    odd = ind.Filters(categories=["*not_a_code*"])  # unknown code: shown as is, escaped
    assert fmt.describe_filters(odd, reference, "en", "filters", markdown=True).endswith(
        plain("*not_a_code*")
    )
    assert plain("*not_a_code*") != "*not_a_code*"


def test_pptx_number_format_of_money_comes_from_the_locale():
    """Where the dollar goes is the language's (locales/<lang>/board.toml), not a test on "en"."""
    assert number_format("usd", "en").startswith('[>=1000000]"$"')
    assert number_format("usd", "fr").endswith('#,##0" $"')
    assert number_format("share", "fr") == "0.0%"


@pytest.fixture(scope="module")
def prepared():
    partners = typed(
        [
            partner("A", "RBD", start_date=T("2020-01-01")),
            partner("B", "RBD", start_date=T("2024-02-01")),
        ],
        Partners,
    )
    contributions = typed(
        [
            contribution("c1", "A", date=T("2023-03-01"), amount=1000.0),
            contribution("c2", "A", date=T("2024-03-01"), amount=3000.0),
            contribution("c3", "B", date=T("2024-04-01"), amount=500.0),
        ],
        Contributions,
    )
    return ind.prepare(partners, contributions, load_reference())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_deck_and_the_pages_write_the_same_change(prepared, lang):
    """The deck's key-indicator cards say what the overview's cards say, for every indicator."""
    deck = slides.build_deck(prepared, 2024, None, lang)
    cards = {c.indicator: c for c in next(s for s in deck.slides if s.kind == "cards").cards}
    table = views.cards(prepared, (2024, 2024), slides.KPIS).set_index("indicator")
    for i in slides.KPIS:
        row = table.loc[i]
        assert cards[i].text == fmt.format_value(i, row["value"], lang)
        assert cards[i].change == fmt.format_change(i, row["change"], row["change_pct"], lang, "")
    assert cards["contributions_usd"].change.startswith("+")  # 3,500 against 1,000
    assert cards["active_partners"].change.startswith("+1")  # A and B against A


def test_a_definition_next_to_a_number_names_its_year():
    from analytics.indicators import definition

    assert definition("lybunt_partners", "en", (2025, 2025)).startswith(
        "Partners who gave in 2024 and not in 2025"
    )
    french = definition("evaluation_coverage", "fr", (2025, 2025))
    # The year replaces the letter A, never the A of a UN document symbol.
    assert french == "Part des partenaires actifs en 2025 qui ont été évalués (ONU A/66/320 §60)."
    # A range of years, or no period (the catalogue page), keeps the general definition.
    assert "en A\u00a0:" in definition("active_partners", "fr", (2023, 2025))
    assert "in Y" in definition("active_partners", "en")
