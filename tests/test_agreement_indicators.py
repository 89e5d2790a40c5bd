"""The eight agreement follow-up indicators, hand-worked on a small fixture (working in comments).

Year 2025, today 1 March 2026: the cut-off is 31 December 2025. Two regions; RBN's partner has
the same id as one of RBD's, and agreement ids repeat across regions, so joins are on (region, id).
The eight are catalogue indicators: computed here through `prepare` and `compute` like the others.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics import indicators as ind
from analytics.indicators.catalogue import FOLLOW_UP
from analytics.reference.load import load_reference

EUR_2025 = 1.12133  # data/reference/exchange_rates.csv, EUR 2025 (sample value)
TODAY = dt.date(2026, 3, 1)
T = pd.Timestamp


def frame(rows, columns, dates=()):
    df = pd.DataFrame(rows, columns=columns)
    for c in dates:
        df[c] = pd.to_datetime(df[c]).astype("datetime64[us]")
    return df


PARTNERS = frame(
    [("RBD", "P1", "advocacy"), ("RBD", "P2", "implementation"), ("RBN", "P1", "advocacy")],
    ["region", "partner_id", "partnership_type"],
)
AGREEMENTS = frame(
    [
        # Active in 2025; ends exactly on 31 Dec 2025 (the cut-off): ended in Y, not ending soon.
        ("RBD", "A1", "P1", "signed", "2023-12-15", "2024-01-01", "2025-12-31", 100_000.0, "USD"),
        # Active; ends 15 Feb 2026, within 90 days after the cut-off: ending soon. Amount in EUR.
        ("RBD", "A2", "P2", "signed", "2025-05-01", "2025-06-01", "2026-02-15", 50_000.0, "EUR"),
        # Terminated: never active, but it ended in 2025 (counts in final report coverage).
        (
            "RBD",
            "A3",
            "P1",
            "terminated",
            "2024-02-01",
            "2024-03-01",
            "2025-05-31",
            20_000.0,
            "USD",
        ),
        # Closed, overlapping 2025: active; no amount (left out of funds received).
        ("RBN", "A1", "P1", "closed", "2022-12-01", "2023-01-01", "2025-03-31", None, None),
    ],
    ["region", "agreement_id", "partner_id", "status", "signed_on", "start_date", "end_date"]
    + ["amount", "currency"],
    dates=("signed_on", "start_date", "end_date"),
)
REPORTS = frame(
    [
        ("RBD", "R1", "A1", "activity", "2025-06-30", "2025-06-30", None),  # on time (same day)
        ("RBD", "R2", "A1", "financial", "2025-12-31", None, None),  # due on the cut-off, missing
        ("RBD", "R3", "A1", "final", "2026-01-30", None, None),  # due after the cut-off: not due
        ("RBD", "R5", "A2", "activity", "2025-09-30", "2025-10-15", None),  # late, before cut-off
        ("RBD", "R6", "A3", "activity", "2025-04-30", "2026-01-10", None),  # after cut-off: overdue
        ("RBN", "R7", "A1", "final", "2025-04-30", "2025-04-20", "2025-05-10"),  # final approved
        ("RBN", "R8", "A1", "activity", "2024-12-31", "2024-12-20", None),  # due in 2024: not in Y
    ],
    ["region", "report_id", "agreement_id", "kind", "due_date", "submitted_on", "approved_on"],
    dates=("due_date", "submitted_on", "approved_on"),
)
CONTRIBUTIONS = frame(
    [
        (
            "RBD",
            "C1",
            "P1",
            "A1",
            "received",
            "2024-05-01",
            30_000.0,
            "USD",
        ),  # earlier year: counts
        ("RBD", "C2", "P1", "A1", "received", "2025-03-01", 10_000.0, "EUR"),  # at EUR 2025
        ("RBD", "C3", "P1", "A1", "pledged", "2025-04-01", 5_000.0, "USD"),  # pledged: not received
        ("RBD", "C4", "P2", "A2", "received", "2026-01-15", 10_000.0, "USD"),  # after the cut-off
        ("RBD", "C5", "P1", "A3", "received", "2024-06-01", 20_000.0, "USD"),  # A3 not active
        ("RBD", "C6", "P1", None, "received", "2025-06-01", 99_000.0, "USD"),  # under no agreement
    ],
    ["region", "contribution_id", "partner_id", "agreement_id", "status", "date", "amount"]
    + ["currency"],
    dates=("date",),
)


def follow_up_indicators(partners, agreements, reports, contributions, year, reference, by, today):
    """The eight, per group, from the frames (as the store gives them) through the catalogue."""
    prepared = ind.prepare(partners, contributions, reference, agreements, reports)
    return ind.compute(prepared, year, by, today=today, indicators=FOLLOW_UP)


def run(by=()):
    return follow_up_indicators(
        PARTNERS, AGREEMENTS, REPORTS, CONTRIBUTIONS, 2025, load_reference(), by, TODAY
    )


def test_all_regions_together():
    row = run().iloc[0]
    # Active: RBD A1, RBD A2, RBN A1 (A3 is terminated).
    assert row["active_agreements"] == 3
    # Due in 2025 by the cut-off: R1, R2 (on the cut-off day), R5, R6, R7 = 5.
    assert row["reports_due"] == 5
    # On time: R1 (submitted on its due day), R7. R5 came late (15 Oct for 30 Sep).
    assert row["reports_on_time"] == 2
    assert row["on_time_reporting_rate"] == pytest.approx(2 / 5)
    # Overdue: R2 (missing), R6 (submitted after the cut-off). R5 is late but in by the cut-off.
    assert row["reports_overdue"] == 2
    # Ending soon: A2 only (A1 ends on the cut-off day itself, not after it).
    assert row["agreements_ending_soon"] == 1
    # Ended in 2025 by the cut-off: RBD A1 (31 Dec), RBD A3 (terminated), RBN A1 = 3;
    # with a final report approved by the cut-off: RBN A1 only -> 1/3.
    assert row["final_report_coverage"] == pytest.approx(1 / 3)
    # Committed (active, with an amount): A1 100,000 USD + A2 50,000 EUR at the 2025 rate.
    # Received under them by the cut-off: C1 30,000 USD + C2 10,000 EUR at 2025.
    expected = (30_000 + 10_000 * EUR_2025) / (100_000 + 50_000 * EUR_2025)
    assert row["agreement_funds_received"] == pytest.approx(expected)
    assert list(run().columns) == list(FOLLOW_UP)


def test_by_region():
    table = run(["region"]).set_index("region")
    rbd, rbn = table.loc["RBD"], table.loc["RBN"]
    # RBD: A1, A2 active; due R1 R2 R5 R6; on time R1; overdue R2 R6; A2 ending soon;
    # ended A1 and A3, neither with an approved final report -> 0 (a real 0, not "no data").
    assert rbd[
        ["active_agreements", "reports_due", "reports_on_time", "reports_overdue"]
    ].tolist() == [2, 4, 1, 2]
    assert rbd["on_time_reporting_rate"] == pytest.approx(0.25)
    assert rbd["agreements_ending_soon"] == 1 and rbd["final_report_coverage"] == 0
    # RBN: A1 active; R7 due and on time; its final report approved -> 1/1; no amount: no data.
    assert rbn[
        ["active_agreements", "reports_due", "reports_on_time", "reports_overdue"]
    ].tolist() == [1, 1, 1, 0]
    assert rbn["on_time_reporting_rate"] == 1 and rbn["final_report_coverage"] == 1
    assert np.isnan(rbn["agreement_funds_received"])


def test_by_partnership_type():
    table = run(["partnership_type"]).set_index("partnership_type")
    # implementation: RBD P2's A2 only: 1 active, R5 due (late), ending soon, 0 received of 50,000 EUR.
    impl = table.loc["implementation"]
    assert impl[["active_agreements", "reports_due", "reports_on_time"]].tolist() == [1, 1, 0]
    assert impl["agreement_funds_received"] == 0
    # advocacy: RBD A1 (+A3) and RBN A1: 2 active, due R1 R2 R6 R7, on time R1 R7.
    adv = table.loc["advocacy"]
    assert adv[["active_agreements", "reports_due", "reports_on_time"]].tolist() == [2, 4, 2]


def test_the_cut_off_is_today_in_the_current_year():
    # Today 2 Oct 2025: R2 (due 31 Dec) is not yet due; R5 (due 30 Sep, submitted 15 Oct) is
    # due and, not yet submitted on the cut-off, overdue.
    row = follow_up_indicators(
        PARTNERS,
        AGREEMENTS,
        REPORTS,
        CONTRIBUTIONS,
        2025,
        load_reference(),
        (),
        dt.date(2025, 10, 2),
    ).iloc[0]
    assert row["reports_due"] == 4  # R1, R5, R6, R7
    assert row["reports_overdue"] == 2  # R5 and R6 are not in by 2 October
    # A1 ends 31 Dec 2025, exactly 90 days after 2 Oct: ending soon; A2 (Feb 2026) is not yet.
    assert row["agreements_ending_soon"] == 1


def test_no_agreement_is_no_data_for_the_shares():
    empty = AGREEMENTS.iloc[0:0]
    row = follow_up_indicators(
        PARTNERS, empty, REPORTS.iloc[0:0], CONTRIBUTIONS, 2025, load_reference(), (), TODAY
    ).iloc[0]
    assert row["active_agreements"] == 0 and row["reports_due"] == 0
    assert np.isnan(row["on_time_reporting_rate"]) and np.isnan(row["final_report_coverage"])
    assert np.isnan(row["agreement_funds_received"])


def test_the_filters_keep_the_agreements_of_the_partners_they_keep():
    """Like every partner-based indicator: an agreement follows its partner's region and type."""
    prepared = ind.prepare(PARTNERS, CONTRIBUTIONS, load_reference(), AGREEMENTS, REPORTS)
    ids = ["active_agreements", "reports_due", "reports_on_time", "reports_overdue"]

    def total(**filters):
        row = ind.compute(prepared, 2025, (), ind.Filters(**filters), TODAY, FOLLOW_UP).iloc[0]
        return row[ids].tolist(), row

    # RBN only: A1 active, R7 due and on time (as test_by_region's RBN row).
    assert total(regions=["RBN"])[0] == [1, 1, 1, 0]
    # implementation only: RBD P2's A2, R5 due and late but in by the cut-off; ending soon.
    counts, row = total(partnership_types=["implementation"])
    assert counts == [1, 1, 0, 0] and row["agreements_ending_soon"] == 1
    # A filter no partner passes: nothing counted, shares no data.
    counts, row = total(regions=["RBB"])
    assert counts == [0, 0, 0, 0] and np.isnan(row["on_time_reporting_rate"])
