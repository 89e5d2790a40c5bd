"""The board's story (analytics/board/story.py) on a small two-year register worked out by hand.

reference: USD 1 per unit; budgets RBD 100,000 and RBN 50,000 in 2023 and 2024 (the other
regions 1,000,000, never reported); target for private_share_of_budget 5 % (shipped file).

partners  region  start       end         due diligence
A         RBD     2021-01-01  -           cleared
B         RBD     2021-01-01  -           cleared
C         RBD     2021-01-01  2023-12-31  cleared      (closed)
D         RBN     2024-03-01  -           in_progress  (new in 2024)
E         RBN     2021-01-01  -           cleared

contributions (received, USD)   2023    2024
A                               1,000   1,000
B                               1,000   1,500
C                               2,000   -
D                               -       4,000
E                               1,000   1,500
total                           5,000   8,000   RBD 4,000 -> 2,500; RBN 1,000 -> 5,500

2024 against 2023, the items and their sizes (ranked largest first, ties in RULES order):
- contributions +3,000 = +60 %, mostly from RBN (+4,500; RBD fell 1,500)      size 0.60
- LYBUNT: C gave in 2023, not in 2024: 1 of the 4 givers of 2023             size 0.25
- new partnerships: D, 1 of the 4 active (A, B, D, E)                        size 0.25
- due diligence: 2023 A, B, C, E cleared (100 %), 2024 3 of 4 (75 %): -25 pts size 0.25
- RBD's share 2,500 / 100,000 = 2.5 %, 2.5 pts below 5 % (RBN 11 % is not)  size 0.025
- concentration: fewer than 5 givers both years, top5 share 100 % -> 100 %: no sentence
"""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analytics.board import story
from analytics.config import SHIPPED_REFERENCE_DIR
from analytics.indicators import Filters, prepare
from analytics.reference.load import load_reference
from tests.registers import contribution, partner
from tests.test_indicators import frames

T = pd.Timestamp
ROOT = Path(__file__).resolve().parent.parent

PARTNERS = [
    partner("A", "RBD"),
    partner("B", "RBD"),
    partner("C", "RBD", stage="closed", end_date=T("2023-12-31")),
    partner("D", "RBN", start_date=T("2024-03-01"), due_diligence="in_progress",
            due_diligence_date=None),
    partner("E", "RBN"),
]  # fmt: skip
GIVEN = {
    "A": (1000, 1000),
    "B": (1000, 1500),
    "C": (2000, None),
    "D": (None, 4000),
    "E": (1000, 1500),
}


def gifts(given=GIVEN) -> list[dict]:
    rows = []
    for pid, amounts in given.items():
        for year, amount in zip((2023, 2024), amounts, strict=True):
            if amount is not None:
                rows.append(
                    contribution(f"{pid}{year}", pid, date=T(f"{year}-05-01"), amount=float(amount))
                )
    return rows


BUDGETS = {"RBB": 1e6, "RBC": 1e6, "RBD": 1e5, "RBJ": 1e6, "RBN": 5e4, "RBP": 1e6}


def write_reference(folder: Path) -> Path:
    """The shipped reference files with USD 1 per unit and the fixture's budgets."""
    shutil.copytree(SHIPPED_REFERENCE_DIR, folder)
    rates = [("USD", y, 1.0) for y in range(2018, 2027)]
    pd.DataFrame(rates, columns=["currency", "year", "usd_per_unit"]).to_csv(
        folder / "exchange_rates.csv", index=False
    )
    budgets = [(r, y, b) for r, b in BUDGETS.items() for y in (2022, 2023, 2024)]
    pd.DataFrame(budgets, columns=["region", "year", "budget_usd"]).to_csv(
        folder / "budgets.csv", index=False
    )
    return folder


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return load_reference(str(write_reference(tmp_path_factory.mktemp("ref") / "reference")))


def story_of(reference, partners=PARTNERS, given=GIVEN, period=2024, lang="en", filters=None):
    prepared = prepare(*frames(partners, gifts(given)), reference)
    return story.summary(prepared, period, filters, lang)


def test_items_ranked_by_size_of_the_change(reference):
    """The five items of 2024 in the order of the docstring, with their numbers and groups."""
    items = story_of(reference)
    got = [(i.rule, i.indicator, i.value, i.previous, i.groups) for i in items]
    assert got == [
        ("contributions", "contributions_usd", 8000.0, 5000.0, ("RBN",)),
        ("lybunt", "lybunt_partners", 1, 0.0, ("Partner C",)),
        ("new_partnerships", "new_partnerships", 1, 0.0, ("RBN",)),
        ("due_diligence", "due_diligence_coverage", 0.75, 1.0, ()),
        ("below_target", "private_share_of_budget", pytest.approx(0.025), pytest.approx(0.04), ("RBD",)),
    ]  # fmt: skip
    assert [i.size for i in items] == pytest.approx([0.6, 0.25, 0.25, 0.25, 0.025])
    assert items[-1].text == (
        "RBD (2.5% against 5.0%) is below its target for the private share of budget in 2024."
    )


def test_english_and_french_texts(reference):
    """Two sentences checked exactly in both languages (Babel's separators in French)."""
    en = {i.rule: i.text for i in story_of(reference)}
    fr = {i.rule: i.text for i in story_of(reference, lang="fr")}
    assert en["contributions"] == (
        "Contributions reached $8,000 in 2024, up $3,000 (+60.0%) on 2023, mostly from RBN (+$4,500)."
    )
    assert en["lybunt"] == ("1 partner who gave in 2023 has not given in 2024 (LYBUNT): Partner C.")
    assert fr["contributions"] == (
        "Les contributions ont atteint 8\u202f000\xa0$ en 2024, en hausse de 3\u202f000\xa0$ "
        "(+60,0\xa0%) par rapport à 2023, surtout grâce à RBN (+4\u202f500\xa0$)."
    )
    assert fr["lybunt"] == (
        "1 partenaire qui a donné en 2023 n’a pas donné en 2024 (LYBUNT)\u00a0: Partner C."
    )


def test_plural_forms(reference):
    """Two partners lost and two new partnerships take the plural, in both languages."""
    partners = [*PARTNERS, partner("F", "RBN", start_date=T("2024-06-01"))]
    given = GIVEN | {"A": (1000, None), "F": (None, 10)}
    en = {i.rule: i.text for i in story_of(reference, partners, given)}
    fr = {i.rule: i.text for i in story_of(reference, partners, given, lang="fr")}
    assert en["lybunt"] == (
        "2 partners who gave in 2023 have not given in 2024 (LYBUNT): Partner C, Partner A."
    )  # the largest giver of 2023 first
    assert en["new_partnerships"] == "2 new partnerships started in 2024 (RBN 2)."
    assert fr["new_partnerships"] == "2 nouveaux partenariats ont commencé en 2024 (RBN 2)."


def test_many_lapsed_partners_are_counted_beyond_five(reference):
    """Seven partners lost: five named, the others counted."""
    partners = [partner(f"P{n}", "RBD") for n in range(7)] + [partner("Z", "RBD")]
    given = {f"P{n}": (100 * (n + 1), None) for n in range(7)} | {"Z": (1000, 1000)}
    (item,) = [i for i in story_of(reference, partners, given) if i.rule == "lybunt"]
    assert item.value == 7 and len(item.groups) == 7
    assert item.text.endswith(
        ": Partner P6, Partner P5, Partner P4, Partner P3, Partner P2 and 2 others."
    )


def test_a_fall_reads_down_with_a_minus_sign(reference):
    """Contributions 5,000 -> 4,000 (-20 %), all of it in RBD (A gave nothing in 2024)."""
    given = GIVEN | {"A": (1000, None), "B": (1000, 1000), "D": (None, None), "E": (1000, 1000)}
    given = given | {"C": (2000, 2000)}
    partners = [*PARTNERS[:2], partner("C", "RBD"), *PARTNERS[3:]]
    (item,) = [i for i in story_of(reference, partners, given) if i.rule == "contributions"]
    assert item.value == 4000 and item.previous == 5000 and item.size == pytest.approx(0.2)
    assert item.text == (
        "Contributions fell to $4,000 in 2024, down $1,000 (−20.0%) on 2023, mostly in RBD (−$1,000)."
    )


@pytest.mark.parametrize(
    ("b_2024", "worth_a_sentence"),
    [(1080, False), (1100, True), (920, False), (900, True), (1000, False)],
)
def test_contributions_threshold(reference, b_2024, worth_a_sentence):
    """A and B in RBN, 2,000 in 2023: a change under 5 % (±80 of 2,000) is not worth a sentence."""
    partners = [partner("A", "RBN"), partner("B", "RBN")]
    given = {"A": (1000, 1000), "B": (1000, b_2024)}
    rules = [i.rule for i in story_of(reference, partners, given)]
    assert ("contributions" in rules) is worth_a_sentence


def test_nothing_changed(reference):
    """The same gifts both years, a share above target (4,000 / 50,000 = 8 %): no item."""
    partners = [partner("A", "RBN"), partner("B", "RBN")]
    assert story_of(reference, partners, {"A": (2000, 2000), "B": (2000, 2000)}) == []
    assert story.nothing_changed((2024, 2024)) == (
        "Nothing changed enough against 2023 to be worth a sentence."
    )


def test_first_year_with_no_previous_data(reference):
    """2023, nothing recorded in 2022: the total without a change, no LYBUNT, no fall.

    Below target: RBN 1,000 / 50,000 = 2 % (3 pts below), RBD 4,000 / 100,000 = 4 % (1 pt). A
    sentence naming two regions carries the view's share: 5,000 over the six regions' budgets,
    100,000 + 50,000 + 4 × 1,000,000 = 4,150,000.
    """
    items = story_of(reference, period=2023)
    assert [(i.rule, i.groups, i.previous) for i in items] == [
        ("contributions", (), None),
        ("below_target", ("RBN", "RBD"), None),
    ]
    assert items[1].value == pytest.approx(5000 / 4_150_000)
    assert items[1].text == (
        "2 regions are below their target for the private share of budget in 2023: "
        "RBN (2.0% against 5.0%), RBD (4.0% against 5.0%)."
    )
    assert items[0].text == (
        "Contributions reached $5,000 in 2023; nothing was recorded in 2022 to compare with."
    )


def test_a_region_filter_narrows_the_story(reference):
    """RBD alone: 4,000 -> 2,500 (-37.5 %), no 'mostly from' with one region; C lapsed (1 of 3
    givers, 0.33); RBD 2.5 pts below its target (0.025)."""
    items = story_of(reference, filters=Filters(regions=("RBD",)))
    assert [i.rule for i in items] == ["contributions", "lybunt", "below_target"]
    assert items[0].text == "Contributions fell to $2,500 in 2024, down $1,500 (−37.5%) on 2023."


def test_json_items(reference):
    """as_dict: the five fields of the command line's JSON, numbers as plain numbers."""
    item = story_of(reference)[0]
    assert item.as_dict() == {
        "indicator": "contributions_usd",
        "value": 8000,
        "previous": 5000,
        "groups": ["RBN"],
        "text": item.text,
    }


def test_concentration_rising(reference):
    """Six partners of RBN: 1,000 each in 2023, top 5 = 5,000 / 6,000 = 83.3 %; in 2024 P0 gives
    6,000: top 5 = 10,000 / 11,000 = 90.9 %, +7.6 pts (worth a sentence from 5 pts)."""
    partners = [partner(f"P{n}", "RBN") for n in range(6)]
    given = {f"P{n}": (1000, 6000 if n == 0 else 1000) for n in range(6)}
    (item,) = [i for i in story_of(reference, partners, given) if i.rule == "concentration"]
    assert item.value == pytest.approx(10 / 11) and item.previous == pytest.approx(5 / 6)
    assert item.text == (
        "Concentration rose: the five largest partners gave 90.9% of contributions in 2024, "
        "against 83.3% in 2023 (+7.6 pts)."
    )
    given = {f"P{n}": (1000, 1500 if n == 0 else 1000) for n in range(6)}
    # top 5 = 5,500 / 6,500 = 84.6 %, +1.3 pts: not worth a sentence.
    assert "concentration" not in [i.rule for i in story_of(reference, partners, given)]


def test_a_sum_that_overflowed_is_no_sentence(reference):
    """1.7e308 twice is +inf: contributions have no number to tell, the rest is still told."""
    partners = [partner("A", "RBN"), partner("B", "RBN"), partner("C", "RBN")]
    given = {"A": (1.7e308, 1.7e308), "B": (1.7e308, 1.7e308), "C": (1, None)}
    items = story_of(reference, partners, given)
    assert "contributions" not in [i.rule for i in items]
    assert [i.rule for i in items] == ["lybunt"]
    assert all("no data" not in i.text for i in items)
