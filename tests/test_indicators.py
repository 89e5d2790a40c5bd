"""Each indicator of the spec on a small register written out by hand, values worked out in comments.

The fixture (year Y = 2024 unless stated; "today" = 2024-11-30):

reference: USD 1 per unit every year; EUR 1.05 USD in 2023, 1.10 USD in 2024; budgets for 2024:
RBD 1,000,000, RBN 1,000,000, the four other regions 2,000,000 each (total 10,000,000); no 2026
budget; target for private_share_of_budget 5 % (the shipped targets file).

partners   region type                   category   stage     start       end         due dil.     focal kpis  review      eval objectives
A          RBD    innovation             company    active    2021-01-01  -           cleared      Awa   yes   2024-10-01  yes  SO1;SO2;SO1
B          RBD    resource_mobilization  foundation closed    2022-03-01  2024-06-30  cleared      -     yes   2024-01-15  no   SO1
C          RBD    advocacy               company    closed    2020-01-01  2023-12-31  cleared      -     yes   -           -    SO3
D          RBD    innovation             hnwi       active    2024-12-31  -           cleared      -     yes   -           -    -
E          RBD    implementation         company    closed    2023-07-01  2025-02-15  in_progress  Jo    no    -           -    -
F          RBD    advocacy               foundation prospect  -           -           not_started  -     yes   -           -    -
G          RBN    resource_mobilization  company    active    2024-05-01  -           cleared      Kim   yes   2024-06-01  -    SO2

contributions  partner date        status    kind       amount      own type  country multi-year   USD
c1             A       2024-03-01  received  financial  1,000 USD   -         SEN     -            1,000
c2             A       2023-05-01  received  financial    500 USD   -         -       -              500
c3             B       2024-02-01  pledged   financial  2,000 EUR   -         MLI     yes          2,200 (×1.10)
c4             C       2023-06-01  received  in_kind      300 USD   -         -       -              300
c5             E       2024-07-01  received  in_kind    1,000 EUR   advocacy  SEN     -            1,100 (×1.10)
c6             G       2024-09-01  received  financial  5,000 USD   -         KEN     -            5,000
c7             E       2023-12-31  pledged   financial    100 EUR   -         -       -              105 (×1.05)
c8             D       2025-01-01  received  financial    700 USD   -         -       -              700

Active in 2024: A, B (closed in 2024), D (starts on 31 Dec), E (2023-07 to 2025-02, across the
year boundaries), G; not C (ended 31 Dec 2023), not F (prospect). Gave in 2024: A, B, E, G; gave
in 2023: A, C, E.
"""

import math
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics import indicators as ind
from analytics.config import SHIPPED_REFERENCE_DIR
from analytics.i18n import t
from analytics.reference.load import load_reference
from schemas import Contributions, Partners
from tests.registers import contribution, partner, typed

TODAY = date(2024, 11, 30)
T = pd.Timestamp

PARTNERS = [
    partner("A", "RBD", partnership_type="innovation", category="company", stage="active",
            start_date=T("2021-01-01"), focal_point="Awa", has_kpis=True, last_review=T("2024-10-01"),
            evaluated=True, strategic_objectives="SO1;SO2;SO1"),
    partner("B", "RBD", partnership_type="resource_mobilization", category="foundation", stage="closed",
            start_date=T("2022-03-01"), end_date=T("2024-06-30"), has_kpis=True,
            last_review=T("2024-01-15"), evaluated=False, strategic_objectives="SO1"),
    partner("C", "RBD", partnership_type="advocacy", category="company", stage="closed",
            start_date=T("2020-01-01"), end_date=T("2023-12-31"), strategic_objectives="SO3"),
    partner("D", "RBD", partnership_type="innovation", category="hnwi", stage="active",
            start_date=T("2024-12-31")),
    partner("E", "RBD", partnership_type="implementation", category="company", stage="closed",
            start_date=T("2023-07-01"), end_date=T("2025-02-15"), due_diligence="in_progress",
            due_diligence_date=None, focal_point="Jo", has_kpis=False),
    partner("F", "RBD", partnership_type="advocacy", category="foundation", stage="prospect",
            start_date=None, due_diligence="not_started", due_diligence_date=None),
    partner("G", "RBN", partnership_type="resource_mobilization", category="company", stage="active",
            start_date=T("2024-05-01"), country="KEN", focal_point="Kim", has_kpis=True,
            last_review=T("2024-06-01"), strategic_objectives="SO2"),
]  # fmt: skip

CONTRIBUTIONS = [
    contribution("c1", "A", date=T("2024-03-01"), amount=1000.0, country="SEN"),
    contribution("c2", "A", date=T("2023-05-01"), amount=500.0),
    contribution("c3", "B", date=T("2024-02-01"), status="pledged", amount=2000.0, currency="EUR",
                 country="MLI", multi_year=True),
    contribution("c4", "C", date=T("2023-06-01"), kind="in_kind", amount=300.0),
    contribution("c5", "E", date=T("2024-07-01"), kind="in_kind", amount=1000.0, currency="EUR",
                 partnership_type="advocacy", country="SEN"),
    contribution("c6", "G", date=T("2024-09-01"), amount=5000.0, country="KEN"),
    contribution("c7", "E", date=T("2023-12-31"), status="pledged", amount=100.0, currency="EUR"),
    contribution("c8", "D", date=T("2025-01-01"), amount=700.0),
]  # fmt: skip

RATES = [("USD", y, 1.0) for y in range(2018, 2027)] + [("EUR", 2023, 1.05), ("EUR", 2024, 1.10)]
BUDGETS_2024 = {"RBB": 2e6, "RBC": 2e6, "RBD": 1e6, "RBJ": 2e6, "RBN": 1e6, "RBP": 2e6}


def write_reference(folder: Path) -> Path:
    """The shipped reference files, with the fixture's simple rates and budgets."""
    shutil.copytree(SHIPPED_REFERENCE_DIR, folder)
    pd.DataFrame(RATES, columns=["currency", "year", "usd_per_unit"]).to_csv(
        folder / "exchange_rates.csv", index=False
    )
    budgets = [(r, y, b) for r, b in BUDGETS_2024.items() for y in (2023, 2024, 2025)]
    pd.DataFrame(budgets, columns=["region", "year", "budget_usd"]).to_csv(
        folder / "budgets.csv", index=False
    )
    return folder


def frames(partners=PARTNERS, contributions=CONTRIBUTIONS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Partners and contributions as the store's load_current gives them (region on contributions)."""
    p = typed(partners, Partners)
    c = typed(contributions, Contributions)
    region_of = {row["partner_id"]: row["region"] for row in partners}
    c.insert(
        0,
        "region",
        pd.Series([region_of.get(r["partner_id"], "RBD") for r in contributions], dtype="str"),
    )
    return p, c


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return load_reference(str(write_reference(tmp_path_factory.mktemp("ref") / "reference")))


@pytest.fixture(scope="module")
def prepared(reference):
    return ind.prepare(*frames(), reference)


def total(prepared, period=2024, filters=None, today=TODAY) -> pd.Series:
    return ind.compute(prepared, period, filters=filters, today=today).iloc[0]


# Overall values for 2024, worked out from the table in the module docstring.
EXPECTED_2024 = {
    "active_partners": 5,  # A, B, D, E, G
    "new_partnerships": 2,  # D (2024-12-31), G (2024-05-01)
    "prospects": 1,  # F
    "contributions_usd": 9300.0,  # c1 1000 + c3 2200 + c5 1100 + c6 5000
    "financial_usd": 8200.0,  # c1 1000 + c3 2200 + c6 5000
    "in_kind_usd": 1100.0,  # c5
    "received_usd": 7100.0,  # c1 1000 + c5 1100 + c6 5000
    "pledged_usd": 2200.0,  # c3
    "contributing_partners": 4,  # A, B, E, G
    "private_share_of_budget": 7100 / 10e6,  # received / budget of the six regions = 0.00071
    "repeat_partners": 3,  # A (gave 2023), B (multi-year in 2024), E (gave 2023); not G
    "repeat_partner_share": 0.75,  # 3 / 4
    "lybunt_partners": 1,  # gave 2023 {A, C, E}, 2024 {A, B, E, G}: C
    "retention_rate": 2 / 3,  # A and E of {A, C, E}
    "countries_reached": 3,  # SEN (c1, c5), MLI, KEN
    "top5_share": 1.0,  # only 4 partners gave: they are the top 5
    "top10_share": 1.0,
    "due_diligence_coverage": 0.8,  # cleared: A, B, D, G of 5 (E in progress)
    "monitoring_coverage": 0.4,  # focal point and indicators: A, G of 5
    "review_compliance": 0.4,  # window 2024-05-31..2024-11-30 (today): A 10-01, G 06-01; not B 01-15
    "evaluation_coverage": 0.2,  # A of 5
}


def test_every_spec_indicator_is_in_the_catalogue_and_tested():
    """The catalogue has the spec's ids, each tested here (the agreement follow-up's in
    tests/test_agreement_indicators.py), with a unit and names in both languages."""
    assert set(ind.CATALOGUE) == set(EXPECTED_2024) | set(ind.FOLLOW_UP)
    for i, indicator in ind.CATALOGUE.items():
        assert indicator.unit in ind.UNITS
        for lang in ("en", "fr"):
            assert ind.name(i, lang) != f"indicators.{i}.name"
            assert ind.definition(i, lang) != f"indicators.{i}.definition"
            assert ind.short(i, lang)
        assert ind.name(i, "en") != ind.name(i, "fr") or i == "contributions_usd"


@pytest.mark.parametrize("indicator_id", list(EXPECTED_2024))
def test_indicator_2024(prepared, indicator_id):
    """Each indicator's overall value for 2024 (workings in EXPECTED_2024)."""
    assert total(prepared)[indicator_id] == pytest.approx(EXPECTED_2024[indicator_id])


def test_units_and_dtypes(prepared):
    """Counts are integers, money and shares floats."""
    table = ind.compute(prepared, 2024, today=TODAY)
    for i, indicator in ind.CATALOGUE.items():
        assert table[i].dtype == (np.int64 if indicator.unit == "count" else np.float64), i


def test_year_boundaries_and_closed_partners(prepared):
    """2023: A, B, C (closed on 31 Dec 2023), E (from 2023-07) active; 2025: A, D, E (until 2025-02), G."""
    assert total(prepared, 2023)["active_partners"] == 4
    assert total(prepared, 2023)["new_partnerships"] == 1  # E
    assert total(prepared, 2025)["active_partners"] == 4  # B ended 2024-06-30
    assert total(prepared, 2026)["active_partners"] == 3  # A, D, G (E ended 2025-02-15)


def test_non_usd_contributions_use_the_rate_of_their_year(prepared):
    """c3 2000 EUR in 2024 × 1.10 = 2200; c7 100 EUR in 2023 × 1.05 = 105."""
    usd = prepared.contributions.set_index("contribution_id")["usd"]
    assert usd["c3"] == pytest.approx(2200.0)
    assert usd["c7"] == pytest.approx(105.0)
    # 2023: c2 500 + c4 300 + c7 105 = 905
    assert total(prepared, 2023)["contributions_usd"] == pytest.approx(905.0)


def test_denominator_zero_is_no_data(prepared):
    """2019: nobody active, nobody gave in 2018 or 2019, no budget: NaN, never 0 or an error."""
    row = total(prepared, 2019)
    for i in (
        "repeat_partner_share",
        "retention_rate",
        "top5_share",
        "top10_share",
        "due_diligence_coverage",
        "monitoring_coverage",
        "review_compliance",
        "evaluation_coverage",
        "private_share_of_budget",
    ):
        assert math.isnan(row[i]), i
    assert (
        row["contributions_usd"] == 0 and row["active_partners"] == 0
    )  # the first start is C's, 2020
    assert math.isnan(total(prepared, 2026)["private_share_of_budget"])  # no 2026 budget


def test_review_compliance_today_is_injectable(prepared):
    """With today after the year, the window ends on 31 Dec 2024: 2024-07-01..2024-12-31 -> A only: 1/5."""
    assert total(prepared, today=date(2025, 3, 1))["review_compliance"] == pytest.approx(0.2)
    # Today 2024-06-15: window 2023-12-15..2024-06-15 -> B (01-15) and G (06-01); A's review is later.
    assert total(prepared, today=date(2024, 6, 15))["review_compliance"] == pytest.approx(0.4)


def test_by_region(prepared):
    """Every region is a row, even without data; shares of an empty region are no data."""
    table = ind.compute(prepared, 2024, by=["region"], today=TODAY).set_index("region")
    assert list(table.index) == ["RBB", "RBC", "RBD", "RBJ", "RBN", "RBP"]
    assert table.loc["RBD", "active_partners"] == 4  # A, B, D, E
    assert table.loc["RBN", "active_partners"] == 1  # G
    assert table.loc["RBD", "contributions_usd"] == pytest.approx(4300.0)  # 1000 + 2200 + 1100
    assert table.loc["RBN", "contributions_usd"] == pytest.approx(5000.0)
    assert table.loc["RBD", "private_share_of_budget"] == pytest.approx(
        2100 / 1e6
    )  # c1 + c5 received
    assert table.loc["RBN", "private_share_of_budget"] == pytest.approx(5000 / 1e6)
    assert (
        table.loc["RBB", "private_share_of_budget"] == 0.0
    )  # a budget, nothing received: 0 %, not no data
    assert math.isnan(table.loc["RBB", "due_diligence_coverage"])  # no active partner
    assert table.loc["RBB", "active_partners"] == 0
    # The groups add up to the total for counts and money.
    assert table["contributions_usd"].sum() == pytest.approx(9300.0)
    assert table["active_partners"].sum() == 5


def test_by_partnership_type_partner_vs_money_basis(prepared):
    """Partner-based counts use the partner's type; money uses the contribution's (else the partner's)."""
    table = ind.compute(prepared, 2024, by=["partnership_type"], today=TODAY).set_index(
        "partnership_type"
    )
    assert list(table.index) == [
        "advocacy",
        "innovation",
        "resource_mobilization",
        "implementation",
    ]
    # active: A, D innovation; B, G resource_mobilization; E implementation; no advocacy partner.
    assert table["active_partners"].to_dict() == {
        "advocacy": 0,
        "innovation": 2,
        "resource_mobilization": 2,
        "implementation": 1,
    }
    # money: c5 (E, implementation partner) is typed advocacy on the contribution itself.
    assert table["contributions_usd"].to_dict() == pytest.approx(
        {
            "advocacy": 1100.0,
            "innovation": 1000.0,
            "resource_mobilization": 7200.0,
            "implementation": 0.0,
        }
    )
    assert math.isnan(table.loc["advocacy", "due_diligence_coverage"])
    # Retention is counted within the type: in implementation E gave in 2023 (c7), nothing in 2024.
    assert table.loc["implementation", "lybunt_partners"] == 1
    assert table.loc["implementation", "retention_rate"] == 0.0
    assert table.loc["innovation", "top5_share"] == 1.0  # A alone gave in innovation (c1)


def test_by_region_and_type(prepared):
    """The product of the codes: 6 regions × 4 types = 24 rows; RBN × resource_mobilization is G."""
    table = ind.compute(prepared, 2024, by=["region", "partnership_type"], today=TODAY)
    assert len(table) == 24
    row = table[(table.region == "RBN") & (table.partnership_type == "resource_mobilization")].iloc[
        0
    ]
    assert row["contributions_usd"] == pytest.approx(5000.0) and row["active_partners"] == 1
    assert table["contributions_usd"].sum() == pytest.approx(9300.0)


@pytest.mark.parametrize(
    ("filters", "active", "usd"),
    [
        (ind.Filters(regions=["RBN"]), 1, 5000.0),  # G; c6
        (ind.Filters(kinds=["in_kind"]), 5, 1100.0),  # kind applies to contributions only: c5
        (ind.Filters(statuses="pledged"), 5, 2200.0),  # c3
        (ind.Filters(categories=["company"]), 3, 7100.0),  # A, E, G; c1 + c5 + c6
        (ind.Filters(partnership_types=["advocacy"]), 0, 1100.0),  # no advocacy partner active; c5
        (ind.Filters(regions=["RBD"], categories=["foundation"]), 1, 2200.0),  # B; c3
        (ind.Filters(regions=["RBX"]), 0, 0.0),  # an unknown code selects nothing
    ],
)
def test_filters(prepared, filters, active, usd):
    """Filters on region, type and category apply to both bases; kind and status to money only."""
    row = total(prepared, filters=filters)
    assert row["active_partners"] == active
    assert row["contributions_usd"] == pytest.approx(usd)


def test_filters_restrict_the_groups(prepared):
    """Grouping by region under a region filter gives only the chosen regions."""
    table = ind.compute(prepared, 2024, by=["region"], filters=ind.Filters(regions=["RBN", "RBD"]))
    assert list(table["region"]) == ["RBD", "RBN"]


def test_private_share_under_a_region_filter_uses_those_budgets(prepared):
    """RBD + RBN: received 2100 + 5000 = 7100 over budgets 1M + 1M = 0.00355."""
    row = total(prepared, filters=ind.Filters(regions=["RBD", "RBN"]))
    assert row["private_share_of_budget"] == pytest.approx(7100 / 2e6)


def test_year_range(prepared):
    """2023–2024: contributions 905 + 9300 = 10205; active A, B, C, D, E, G = 6; new E, D, G = 3."""
    row = total(prepared, (2023, 2024))
    assert row["contributions_usd"] == pytest.approx(10205.0)
    assert row["active_partners"] == 6
    assert row["new_partnerships"] == 3
    # previous period 2021–2022: nobody gave -> retention no data, no lybunt partner.
    assert math.isnan(row["retention_rate"]) and row["lybunt_partners"] == 0
    # 2023–2024 vs 2021–2022: the period before has the same length.
    assert ind.previous_period((2023, 2024)) == (2021, 2022)


def test_growth(prepared):
    """2024 vs 2023: contributions 9300 vs 905 -> +8395, +927.6 %; active 5 vs 4 -> +1, +25 %."""
    # 2024 complete (today in 2025): full years. With TODAY (30 Nov 2024) it would be compared
    # like for like, without 2023's December contribution (tests/test_like_for_like.py).
    g = ind.growth(prepared, 2024, today=date(2025, 1, 10)).set_index("indicator")
    assert g.loc["contributions_usd", "previous"] == pytest.approx(905.0)
    assert g.loc["contributions_usd", "change"] == pytest.approx(8395.0)
    assert g.loc["contributions_usd", "change_pct"] == pytest.approx(8395 / 905)
    assert g.loc["active_partners", "change"] == 1
    assert g.loc["active_partners", "change_pct"] == pytest.approx(0.25)
    # Every count and money indicator has a growth row, shares and the pipeline do not.
    assert set(g.index) == {
        i for i, x in ind.CATALOGUE.items() if x.unit != "share" and i != "prospects"
    }


def test_growth_when_previous_year_has_no_data(prepared):
    """2023 vs 2022: nobody gave in 2022 -> previous 0, change +905, change % no data (NaN)."""
    g = ind.growth(prepared, 2023, today=TODAY).set_index("indicator")
    assert g.loc["contributions_usd", "previous"] == 0
    assert g.loc["contributions_usd", "change"] == pytest.approx(905.0)
    assert math.isnan(g.loc["contributions_usd", "change_pct"])


def test_growth_by_region(prepared):
    """RBN: contributions 5000 in 2024, 0 in 2023 -> change 5000, % no data."""
    g = ind.growth(prepared, 2024, by=["region"], indicators=["contributions_usd"], today=TODAY)
    rbn = g[g.region == "RBN"].iloc[0]
    assert rbn["change"] == pytest.approx(5000.0) and math.isnan(rbn["change_pct"])


def test_top_shares_with_more_than_five_partners(reference):
    """Six partners giving 1000 … 6000 USD: top 5 = (2+3+4+5+6)/21 = 20/21; top 10 = all = 1."""
    ps = [partner(f"P{i}", "RBD") for i in range(1, 7)]
    cs = [contribution(f"x{i}", f"P{i}", amount=1000.0 * i) for i in range(1, 7)]
    prepared = ind.prepare(*frames(ps, cs), reference)
    row = total(prepared)
    assert row["top5_share"] == pytest.approx(20 / 21)
    assert row["top10_share"] == pytest.approx(1.0)
    top = ind.top_partners(prepared, 2024, n=2)
    assert list(top["partner_id"]) == ["P6", "P5"]
    assert list(top["share"]) == pytest.approx([6 / 21, 5 / 21])
    assert list(top["cumulative_share"]) == pytest.approx([6 / 21, 11 / 21])


def test_gap_matrix(prepared):
    """Active in 2024 naming objectives: A (RBD: SO1, SO2; SO1 twice counts once), B (RBD: SO1),
    G (RBN: SO2); C names SO3 but is not active in 2024."""
    gap = ind.gap_matrix(prepared, 2024)
    assert gap.loc["SO1", "RBD"] == 2
    assert gap.loc["SO2", "RBD"] == 1
    assert gap.loc["SO2", "RBN"] == 1
    assert gap.loc["SO3"].sum() == 0  # an empty row: a gap
    assert int(gap.to_numpy().sum()) == 4
    assert list(gap.columns) == ["RBB", "RBC", "RBD", "RBJ", "RBN", "RBP"]
    assert ind.gap_matrix(prepared, 2023).loc["SO3", "RBD"] == 1  # C was active in 2023


def test_targets(prepared):
    """The shipped target: 5 % for every region."""
    t = ind.targets(prepared, 2024, by=["region"])
    assert list(t["private_share_of_budget"]) == pytest.approx([0.05] * 6)


def test_timeseries(prepared):
    """contributions_usd: 2023 905, 2024 9300, 2025 700 (c8)."""
    ts = ind.timeseries(prepared, [2023, 2024, 2025], indicators=["contributions_usd"]).set_index(
        "year"
    )
    assert ts["contributions_usd"].to_dict() == pytest.approx(
        {2023: 905.0, 2024: 9300.0, 2025: 700.0}
    )


def test_years_and_latest_year(prepared):
    """Years with a contribution or a start: 2020 … 2025; the latest not after today."""
    assert ind.years_with_data(prepared) == [2020, 2021, 2022, 2023, 2024, 2025]
    assert ind.latest_year(prepared, today=TODAY) == 2024
    assert ind.latest_year(prepared, today=date(2026, 1, 1)) == 2025


def test_empty_register(reference):
    """No partner, no contribution: zeros and no data, no error."""
    p, c = frames([], [])
    prepared = ind.prepare(p, c, reference)
    assert ind.latest_year(prepared) is None
    table = ind.compute(prepared, 2024, by=["region"])
    assert len(table) == 6 and table["active_partners"].sum() == 0
    assert table["retention_rate"].isna().all()
    assert ind.top_partners(prepared, 2024).empty
    assert ind.gap_matrix(prepared, 2024).to_numpy().sum() == 0
    assert len(ind.growth(prepared, 2024)) > 0


def test_lists_for_the_pages(prepared):
    """Countries, notable contributions, the partners table and a partner's history."""
    countries = ind.beneficiary_countries(prepared, 2024).set_index("country")
    assert countries.loc["KEN", "usd"] == pytest.approx(5000.0)
    assert countries.loc["SEN", "usd"] == pytest.approx(2100.0)  # c1 1000 + c5 1100
    assert countries.loc["SEN", "partners"] == 2
    table = ind.partners_table(prepared, 2024, today=TODAY).set_index("partner_id")
    assert table.loc["A", "usd"] == pytest.approx(1000.0) and table.loc[
        "A", "usd_total"
    ] == pytest.approx(1500.0)
    assert bool(table.loc["C", "active"]) is False and bool(table.loc["B", "active"]) is True
    history = ind.partner_history(prepared, "RBD", "E")
    assert list(history["contribution_id"]) == ["c7", "c5"]
    assert list(history["usd"]) == pytest.approx([105.0, 1100.0])


def test_format_value():
    """Money, shares and counts formatted for people; NaN is "no data" in the user's language."""
    assert ind.format_value("retention_rate", 0.048, "en") == "4.8%"
    assert ind.format_value("retention_rate", float("nan"), "fr") == "pas de données"
    assert ind.format_value("contributions_usd", 1_234_567, "en") == "$1.2M"
    assert ind.format_value("active_partners", 1234, "fr") == "1\u202f234"
    assert ind.format_change("active_partners", 3, 0.25, "en") == "+3 (+25.0%)"
    assert ind.format_change("contributions_usd", -20_000.0, float("nan"), "en") == "−$20K"


def test_filters_are_hashable_and_normalised():
    """Equal selections in any order are equal filters (one cache entry)."""
    assert ind.Filters(regions=["RBN", "RBD"]) == ind.Filters(regions=("RBD", "RBN"))
    assert hash(ind.Filters(kinds="in_kind")) == hash(ind.Filters(kinds=["in_kind"]))
    assert ind.Filters(regions=None) == ind.NO_FILTERS


def test_bad_grouping_is_refused(prepared):
    with pytest.raises(ValueError):
        ind.compute(prepared, 2024, by=["country"])
    with pytest.raises(ValueError):
        ind.parse_by("region,regio")
    assert ind.parse_by(" region , partnership_type") == ["region", "partnership_type"]


def test_contributions_without_region_column(reference):
    """A single workbook's register (no region column on contributions) takes the partner's region."""
    p, c = frames()
    prepared = ind.prepare(p, c.drop(columns="region"), reference)
    assert total(prepared)["contributions_usd"] == pytest.approx(9300.0)


def test_prepared_arrays_are_read_only(prepared):
    """Shared between sessions by st.cache_resource: nobody may change them in place."""
    with pytest.raises(ValueError):
        prepared.arrays["c_usd"][0] = 1.0


def test_money_timeseries_matches_per_year_compute(prepared):
    """The one-pass trend of money sums gives what compute() gives year by year, by type."""
    ids = ["contributions_usd", "received_usd", "in_kind_usd"]
    fast = ind.timeseries(prepared, [2022, 2023, 2024, 2025], ["partnership_type"], indicators=ids)
    slow = ind.timeseries(
        prepared,
        [2022, 2023, 2024, 2025],
        ["partnership_type"],
        indicators=[*ids, "active_partners"],
    )
    pd.testing.assert_frame_equal(fast, slow[fast.columns])
    # 2023 by type: advocacy c4 300 (C); innovation c2 500 (A); implementation c7 105 (E)
    row = fast[fast.year == 2023].set_index("partnership_type")["contributions_usd"]
    assert row.to_dict() == pytest.approx(
        {
            "advocacy": 300.0,
            "innovation": 500.0,
            "resource_mobilization": 0.0,
            "implementation": 105.0,
        }
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_catalogue_page(lang, monkeypatch, tmp_path):
    """The generated reference page lists every indicator with its name and definition."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARTNERSHIPS_DB_PATH", str(tmp_path / "unused.db"))
    at = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "app_pages" / "dashboards" / "catalogue.py")
    )
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert at.title[0].value == t("indicator_catalogue.title", lang)
    shown = at.table[0].value
    assert len(shown) == len(ind.CATALOGUE)
    assert list(shown.index) == list(ind.CATALOGUE)
    assert ind.name("retention_rate", lang) in set(shown.iloc[:, 0])
    assert ind.definition("review_compliance", lang) in set(shown.iloc[:, -1])


def test_prepared_survives_pickling(prepared):
    """st.cache_data pickles what it caches: a Prepared must come back whole and computing."""
    import pickle

    copy = pickle.loads(pickle.dumps(prepared))
    pd.testing.assert_frame_equal(
        ind.compute(copy, 2024, ["region"], today=TODAY),
        ind.compute(prepared, 2024, ["region"], today=TODAY),
    )


def test_both_languages_have_the_same_indicator_messages():
    """locales/en/indicators.toml and locales/fr/indicators.toml declare the same keys."""
    import tomllib

    from analytics.i18n import LOCALES_DIR

    def keys(table, prefix=""):
        return {
            k
            for key, v in table.items()
            for k in (keys(v, f"{prefix}{key}.") if isinstance(v, dict) else {prefix + key})
        }

    en, fr = (
        tomllib.loads((LOCALES_DIR / lang / "indicators.toml").read_text("utf-8"))
        for lang in ("en", "fr")
    )
    assert keys(en) == keys(fr)
