"""Money with its provenance (issue #12), hand-worked: the tooltip's numbers equal the catalogue's.

2024, rates: USD 1, EUR 1.04079 (2024); GBP has a rate for 2025 only, none for 2024.
RBD (partner A): C1 1,000 EUR received + C2 500 EUR pledged = 1,500 EUR × 1.04079 = 1,561.185;
C3 2,000 USD received -> contributions 3,561.185 USD, received 1,040.79 + 2,000 = 3,040.79.
RBN (partner B): C4 300 GBP of 2024, no rate: left out (0 USD, said); C5 100 USD of 2023: not in 2024.
"""

import shutil

import pandas as pd
import pytest

from analytics import indicators as ind
from analytics.indicators import compute, prepare
from analytics.indicators.provenance import provenance, provenance_text
from analytics.reference.load import load_reference
from tests.registers import contribution, partner
from tests.test_indicators import frames
from tests.test_pages import open_page, sample_store, seeded  # noqa: F401 - fixtures
from tests.test_story import SHIPPED_REFERENCE_DIR

T = pd.Timestamp
PARTNERS = [partner("A", "RBD"), partner("B", "RBN")]
CONTRIBUTIONS = [
    contribution("C1", "A", amount=1000.0, currency="EUR"),
    contribution("C2", "A", amount=500.0, currency="EUR", status="pledged", date=T("2024-06-01")),
    contribution("C3", "A", amount=2000.0),
    contribution("C4", "B", amount=300.0, currency="GBP"),
    contribution("C5", "B", amount=100.0, date=T("2023-05-01")),
]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ref") / "reference"
    shutil.copytree(SHIPPED_REFERENCE_DIR, folder)
    rates = [("USD", y, 1.0) for y in range(2018, 2027)]
    rates += [("EUR", 2024, 1.04079), ("GBP", 2025, 1.32651)]
    pd.DataFrame(rates, columns=["currency", "year", "usd_per_unit"]).to_csv(
        folder / "exchange_rates.csv", index=False
    )
    return prepare(*frames(PARTNERS, CONTRIBUTIONS), load_reference(str(folder)))


def test_the_provenance_adds_up_to_the_catalogue(prepared):
    p = provenance(prepared, "contributions_usd", 2024, ("region",))
    table = compute(prepared, 2024, ("region",), None, None, ["contributions_usd"])
    labels = p.labels["region"].tolist()
    for group, region in enumerate(labels):
        expected = float(table.set_index("region").loc[region, "contributions_usd"])
        assert p.usd(group) == pytest.approx(expected)
    rbd, rbn = labels.index("RBD"), labels.index("RBN")
    assert p.usd(rbd) == pytest.approx(3561.185) and p.usd(rbn) == 0
    lines = p.converted[p.converted["group"] == rbd]
    assert lines[["currency", "year", "amount", "n"]].values.tolist() == [
        ["EUR", 2024, 1500.0, 2],
        ["USD", 2024, 2000.0, 1],
    ]
    assert lines["rate"].tolist() == pytest.approx([1.04079, 1.0])
    assert p.unpriced[["group", "currency", "year", "amount", "n"]].values.tolist() == [
        [rbn, "GBP", 2024, 300.0, 1]
    ]


def test_a_sum_of_one_status_and_the_words(prepared):
    p = provenance(prepared, "received_usd", 2024, reference_version="3")
    total = compute(prepared, 2024, (), None, None, ["received_usd"]).iloc[0]["received_usd"]
    assert p.usd(0) == pytest.approx(total) == pytest.approx(3040.79)
    assert provenance_text(p, 0, "en").splitlines() == [
        "1,000 EUR of 2024 × 1.04079 USD per unit = $1,040.79",
        "2,000 USD of 2024 × 1 USD per unit = $2,000",
        "Left out, no reference rate: 1 contribution of 300 GBP in 2024.",
        "Rates: the reference exchange rates, version 3.",
    ]
    fr = provenance_text(p, 0, "fr").splitlines()
    assert fr[2] == "Laissée de côté, sans taux de référence : 1 contribution de 300 GBP en 2024."
    with pytest.raises(ValueError):
        provenance(prepared, "retention_rate", 2024)


def test_the_overview_cards_say_how_their_usd_was_obtained(sample_store):  # noqa: F811
    """The money cards' help adds the provenance; the others keep their definition only."""
    at = open_page("app_pages/dashboards/overview.py")
    cards = dict(zip(ind.OVERVIEW, at.metric, strict=True))
    money = cards["contributions_usd"].help.replace("\\", "")  # as Markdown shows it
    assert "USD per unit" in money and "Rates: the reference exchange rates" in money
    assert "USD per unit" not in cards["retention_rate"].help
