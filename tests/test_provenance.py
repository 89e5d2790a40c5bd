"""Money with its provenance (issue #12), hand-worked: the tooltip's numbers equal the catalogue's.

2024, rates: USD 1, EUR 1.04079 (2024); GBP has a rate for 2025 only, none for 2024.
RBD (partner A): C1 1,000 EUR received + C2 500 EUR pledged = 1,500 EUR × 1.04079 = 1,561.185;
C3 2,000 USD received -> contributions 3,561.185 USD, received 1,040.79 + 2,000 = 3,040.79.
RBN (partner B): C4 300 GBP of 2024, no rate: left out (0 USD, said); C5 100 USD of 2023: not in 2024.
"""

import json
import shutil
from datetime import date

import pandas as pd
import pytest

from analytics import charts
from analytics import indicators as ind
from analytics.access.roles import ADMIN, User
from analytics.i18n import fmt_date
from analytics.indicators import compute, prepare
from analytics.indicators.provenance import (
    COLUMNS,
    SHIPPED,
    Provenance,
    left_out_text,
    provenance,
    provenance_text,
    texts_by_group,
)
from analytics.reference.load import load_reference
from analytics.services import refdata
from analytics.store.versions import open_store
from tests.registers import contribution, partner
from tests.test_indicators import frames
from tests.test_pages import _use_store, open_page, sample_store, seeded  # noqa: F401 - fixtures
from tests.test_story import SHIPPED_REFERENCE_DIR

T = pd.Timestamp
EMPTY = pd.DataFrame(columns=COLUMNS)
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
    assert (
        fr[2] == "Laissée de côté, sans taux de référence\u00a0: 1 contribution de 300 GBP en 2024."
    )
    with pytest.raises(ValueError):
        provenance(prepared, "retention_rate", 2024)


def test_the_overview_cards_say_how_their_usd_was_obtained(sample_store):  # noqa: F811
    """The money cards' help adds the provenance; the others keep their definition only."""
    at = open_page("app_pages/dashboards/overview.py")
    cards = dict(zip(ind.OVERVIEW, at.metric, strict=True))
    money = cards["contributions_usd"].help.replace("\\", "")  # as Markdown shows it
    assert "USD per unit" in money and "Rates: the reference exchange rates" in money
    assert "USD per unit" not in cards["retention_rate"].help


def test_each_bar_has_its_own_provenance_and_what_is_left_out_is_a_sentence(prepared):
    """By region (every region of the reference is a group, as in the catalogue's table): RBD's
    text has its EUR and USD lines; RBN's says its GBP is left out; the others have nothing."""
    p = provenance(prepared, "contributions_usd", 2024, ("region",))
    texts = texts_by_group(p, "en")
    assert set(texts) == {(r,) for r in ("RBB", "RBC", "RBD", "RBJ", "RBN", "RBP")}
    assert texts[("RBB",)].splitlines()[0] == "No contribution converted to USD."
    assert "1,500 EUR of 2024 × 1.04079 USD per unit = $1,561.19" in texts[("RBD",)]
    assert "Left out, no reference rate: 1 contribution of 300 GBP in 2024." in texts[("RBN",)]
    assert left_out_text(p, "en") == (
        "1 contribution of this view is left out of the USD figures: the reference exchange "
        "rates have no rate for it (GBP 2024)."
    )
    assert left_out_text(p, "fr") == (
        "1 contribution de cette vue est laissée hors des montants en USD\u00a0: les taux de change "
        "de référence n’ont pas de taux pour elle (GBP 2024)."
    )
    # 2023: C5 (USD) only, nothing left out, so no sentence.
    assert left_out_text(provenance(prepared, "contributions_usd", 2023), "en") is None
    figure = charts.contributions_by_region(
        compute(prepared, 2024, ("region", "partnership_type"), None, None, ["contributions_usd"]),
        prepared.reference,
        "en",
        origins=texts_by_group(
            provenance(prepared, "contributions_usd", 2024, ("region", "partnership_type")), "en"
        ),
    )
    hovers = [
        row[4] for trace in figure.data for row in (trace.customdata or ()) if row[0] == "RBD"
    ]
    assert any("<br>1,500 EUR of 2024 × 1.04079 USD per unit" in h for h in hovers)


def test_the_rates_in_force_are_named(tmp_path):
    """Never edited: the shipped file; once an admin saves one, its number, date and author."""
    folder = tmp_path / "reference"
    shutil.copytree(SHIPPED_REFERENCE_DIR, folder)
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        assert refdata.version_in_force(store, "exchange_rates", "en") == SHIPPED
        shipped = Provenance("contributions_usd", pd.DataFrame(), EMPTY, EMPTY, SHIPPED)
        assert provenance_text(shipped, 0, "en").splitlines()[-1] == (
            "Rates: the reference exchange rates as shipped (exchange_rates.csv), never edited "
            "in the app."
        )
        rates = refdata.current("exchange_rates", folder)
        assert refdata.save(store, User("root", ADMIN), "exchange_rates", rates.iloc[:-1], folder)
        today = fmt_date(date.today(), "en")
        # The shipped file became version 1, the admin's is 2.
        assert refdata.version_in_force(store, "exchange_rates", "en") == f"2 of {today}, by root"
    finally:
        store.close()


def test_the_overview_says_what_is_left_out_without_a_rate(seeded, tmp_path, monkeypatch):  # noqa: F811
    """With the EUR rates gone from the reference, the overview says how many contributions of
    the view are out of its USD figures, and a USD column's tooltip names the rates."""
    folder = tmp_path / "reference"
    shutil.copytree(SHIPPED_REFERENCE_DIR, folder)
    rates = pd.read_csv(folder / "exchange_rates.csv")
    rates[rates["currency"] != "EUR"].to_csv(folder / "exchange_rates.csv", index=False)
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(folder))
    load_reference.cache_clear()
    copy = tmp_path / "store.db"
    shutil.copy(seeded, copy)
    _use_store(monkeypatch, f"sqlite:///{copy}", tmp_path / "no-samples")
    at = open_page("app_pages/dashboards/overview.py")
    notes = [c.value for c in at.caption if "left out of the USD figures" in c.value]
    assert len(notes) == 1 and "EUR" in notes[0]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    hovers = [str(row[4]) for trace in spec["data"] for row in trace.get("customdata", [])]
    assert any("USD per unit" in h for h in hovers)
    assert any("no reference rate" in h and "EUR" in h for h in hovers)
    load_reference.cache_clear()
