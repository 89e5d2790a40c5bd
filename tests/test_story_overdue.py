"""The story's "reports overdue" sentence (issue #12), hand-worked on the story's two-year
fixture (tests/test_story.py) with agreements and reports added.

Year 2024, today 1 March 2025: the cut-off is 31 December 2024. RBD's agreement G1 (partner A):
R1 due 31 Mar 2024, never sent -> overdue; R2 due 30 Sep, sent 15 Sep -> on time; R3 due 31 Dec,
sent 10 Jan 2025 (after the cut-off) -> overdue. RBN's G2 (partner D): R4 due 30 Jun 2024,
never sent -> overdue; R5 due 30 Jun 2023, never sent -> overdue in 2023, not in 2024.
So 2024: 3 overdue (RBD 2, RBN 1) of 4 due (size 3/4 = 0.75); 2023: 1 overdue (RBN), 1 due.
"""

import datetime as dt

import pandas as pd

from analytics.board import story
from analytics.indicators import prepare
from analytics.indicators.scope import Filters
from tests.test_agreement_indicators import frame
from tests.test_indicators import frames
from tests.test_story import PARTNERS, gifts, reference  # noqa: F401 - fixture

TODAY = dt.date(2025, 3, 1)
AGREEMENTS = frame(
    [
        ("RBD", "G1", "A", "signed", "2023-01-01", "2023-01-01", "2026-12-31", None, None),
        ("RBN", "G2", "D", "signed", "2023-01-01", "2023-01-01", "2026-12-31", None, None),
    ],
    ["region", "agreement_id", "partner_id", "status", "signed_on", "start_date", "end_date"]
    + ["amount", "currency"],
    dates=("signed_on", "start_date", "end_date"),
)
REPORTS = frame(
    [
        ("RBD", "R1", "G1", "activity", "2024-03-31", None, None),
        ("RBD", "R2", "G1", "activity", "2024-09-30", "2024-09-15", None),
        ("RBD", "R3", "G1", "financial", "2024-12-31", "2025-01-10", None),
        ("RBN", "R4", "G2", "activity", "2024-06-30", None, None),
        ("RBN", "R5", "G2", "activity", "2023-06-30", None, None),
    ],
    ["region", "report_id", "agreement_id", "kind", "due_date", "submitted_on", "approved_on"],
    dates=("due_date", "submitted_on", "approved_on"),
)


def _story(reference, lang="en", filters=None, follow_up=(AGREEMENTS, REPORTS)):  # noqa: F811
    # The agreements and reports are part of the prepared register (the catalogue counts them).
    prepared = prepare(*frames(PARTNERS, gifts()), reference, *(follow_up or (None, None)))
    return story.summary(prepared, 2024, filters, lang, TODAY)


def test_overdue_reports_are_said_ranked_in_english_and_french(reference):  # noqa: F811
    items = _story(reference)
    [late] = [i for i in items if i.rule == "overdue"]
    assert late.text == "3 reports are overdue: 2 in RBD, 1 in RBN."
    assert (late.indicator, late.value, late.previous, late.groups) == (
        "reports_overdue",
        3,
        1.0,
        ("RBD", "RBN"),
    )
    # 3 of 4 due (0.75) is a larger movement than contributions' +60 %: it comes first.
    assert late.size == 0.75 and items[0] is late
    assert [i.rule for i in items[1:3]] == ["contributions", "lybunt"]
    assert story.item_page(late) == "dashboards/agreements"
    [fr] = [i for i in _story(reference, "fr") if i.rule == "overdue"]
    assert fr.text == "3 rapports sont en retard\u00a0: 2 en RBD, 1 en RBN."


def test_one_region_and_no_previous_reports(reference):  # noqa: F811
    [rbn] = [i for i in _story(reference, filters=Filters(regions=("RBN",))) if i.rule == "overdue"]
    assert (rbn.text, rbn.previous) == ("1 report is overdue in RBN.", 1.0)
    [rbd] = [i for i in _story(reference, filters=Filters(regions=("RBD",))) if i.rule == "overdue"]
    # No RBD report was due in 2023: no previous value.
    assert (rbd.text, rbd.previous, rbd.size) == ("2 reports are overdue in RBD.", None, 2 / 3)


def test_no_overdue_report_no_agreements_no_sentence(reference):  # noqa: F811
    on_time = REPORTS.assign(submitted_on=REPORTS["due_date"])
    assert not [
        i for i in _story(reference, follow_up=(AGREEMENTS, on_time)) if i.rule == "overdue"
    ]
    assert not [i for i in _story(reference, follow_up=None) if i.rule == "overdue"]
    empty = (AGREEMENTS.iloc[:0], REPORTS.iloc[:0])
    assert not [i for i in _story(reference, follow_up=empty) if i.rule == "overdue"]


def test_the_sentence_follows_the_type_and_category_filters(reference):  # noqa: F811
    """Every partner of the fixture is an innovation partnership with a company: the overdue
    reports of their agreements count under those filters and vanish under any other."""
    for kept in (Filters(partnership_types=("innovation",)), Filters(categories=("company",))):
        [late] = [i for i in _story(reference, filters=kept) if i.rule == "overdue"]
        assert (late.value, late.groups) == (3, ("RBD", "RBN"))
    for other in (Filters(partnership_types=("advocacy",)), Filters(categories=("foundation",))):
        assert [i for i in _story(reference, filters=other) if i.rule == "overdue"] == []


def test_an_unfinished_year_compares_with_the_same_day(reference):  # noqa: F811
    """Today 1 October 2024, period 2024: the cut-off is 1 Oct 2024. Due by then: R1 (overdue),
    R2 (on time), R4 (overdue); R3 (31 Dec) is not due yet -> 2 overdue (RBD 1, RBN 1) of 3.
    Before, like for like: 2023 to 1 Oct 2023. R5 (30 Jun 2023, never sent) is overdue; R6,
    added here (30 Nov 2023, never sent), is not due yet by 1 Oct 2023 -> 1, where the whole of
    2023 would count 2."""
    late_2023 = frame(
        [("RBN", "R6", "G2", "activity", "2023-11-30", None, None)],
        list(REPORTS.columns),
        dates=("due_date", "submitted_on", "approved_on"),
    )
    reports = pd.concat([REPORTS, late_2023], ignore_index=True)
    prepared = prepare(*frames(PARTNERS, gifts()), reference, AGREEMENTS, reports)
    today = dt.date(2024, 10, 1)
    items = story.summary(prepared, 2024, None, "en", today)
    [late] = [i for i in items if i.rule == "overdue"]
    assert (late.value, late.previous, late.groups) == (2, 1.0, ("RBD", "RBN"))
    assert late.text == "2 reports are overdue: 1 in RBD, 1 in RBN."
    # A complete year (today in 2025) counts the whole of 2023: R5 and R6.
    items = story.summary(prepared, 2024, None, "en", TODAY)
    [late] = [i for i in items if i.rule == "overdue"]
    assert (late.value, late.previous) == (3, 2.0)
