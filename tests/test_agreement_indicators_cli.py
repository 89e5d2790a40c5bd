"""`python -m analytics indicators --format csv` gives the agreement follow-up columns, from a
small real .xlsx ingested into a real SQLite store; the values worked out by hand below.

RBD's register, year 2025, today 1 March 2026 (PARTNERSHIPS_TODAY): the cut-off is 31 Dec 2025.
Rates (data/reference/exchange_rates.csv, sample values): USD 1; EUR 1.12133 in 2025.

partners      P1 advocacy, P2 implementation (both active)
agreements    A1 P1 signed      2024-02-01..2025-12-31  40 000 USD (signed 2024)
              A2 P2 signed      2025-04-01..2026-02-15  10 000 EUR (signed 2025: 11 213.30 USD)
              A3 P1 terminated  2023-06-01..2025-06-30   5 000 USD
reports       R1 A1 activity   due 2025-06-30  submitted 2025-06-30             on time
              R2 A1 financial  due 2025-12-31  never                            due on the cut-off: overdue
              R3 A2 activity   due 2025-09-30  submitted 2025-10-15             late, in by the cut-off
              R4 A3 final      due 2025-07-31  submitted 07-20, approved 08-01  on time; A3's final report
              R5 A1 final      due 2026-01-30  never                            due after the cut-off: not due
contributions C1 P1 A1 received 2024-03-15 10 000 USD; C2 P1 A1 received 2025-05-10 2 000 EUR
              (2 242.66 USD); C3 P1 A1 pledged 5 000 USD; C4 P2 A2 received 2025-06-01 1 000 USD;
              C5 P1 A3 received 3 000 USD (A3 is not active); C6 P2 500 USD under no agreement

advocacy (P1): active A1 = 1 (A3 terminated); due R1 R2 R4 = 3; on time R1 R4 = 2, rate 2/3;
  overdue R2 = 1; ending soon 0 (A1 ends on the cut-off day itself); ended in 2025 by the
  cut-off A1, A3, with a final report approved A3: 1/2; funds (10 000 + 2 242.66) / 40 000.
implementation (P2): active A2 = 1; due R3 = 1, on time 0, rate 0, overdue 0 (in by the
  cut-off); ending soon A2 = 1 (15 Feb 2026, within 90 days); nothing ended: no data;
  funds 1 000 / 11 213.30.
innovation, resource_mobilization: no agreement: 0, and no data (empty cells) for the shares.
"""

import datetime as dt
import io
import json

import pandas as pd
import pytest

from analytics.access.roles import ADMIN, User
from analytics.cli import main
from analytics.indicators.catalogue import FOLLOW_UP
from analytics.services import ingest
from analytics.store.versions import open_store
from tests.test_agreements_register import agreement, book, report_row
from tests.workbooks import PARTNER_HEADER, contribution, partner

HQ = User("hq", ADMIN)
D = dt.date
EUR_2025 = 1.12133


def _contributions():
    rows = [
        (contribution("C1", "P1", date=D(2024, 3, 15), amount=10_000.0), "A1"),
        (contribution("C2", "P1", date=D(2025, 5, 10), amount=2_000.0, currency="EUR"), "A1"),
        (contribution("C3", "P1", date=D(2025, 9, 1), amount=5_000.0, status="pledged"), "A1"),
        (contribution("C4", "P2", date=D(2025, 6, 1), amount=1_000.0), "A2"),
        (contribution("C5", "P1", date=D(2025, 2, 1), amount=3_000.0), "A3"),
        (contribution("C6", "P2", date=D(2025, 7, 1), amount=500.0), None),
    ]
    return [[*row, aid] for row, aid in rows]


def _workbook(tmp_path):
    agreements = [
        agreement("A1", "P1", signed_on=D(2024, 1, 10), start_date=D(2024, 2, 1),
                  end_date=D(2025, 12, 31), amount=40_000.0),
        agreement("A2", "P2", signed_on=D(2025, 3, 1), start_date=D(2025, 4, 1),
                  end_date=D(2026, 2, 15), amount=10_000.0, currency="EUR"),
        agreement("A3", "P1", status="terminated", signed_on=D(2023, 5, 1),
                  start_date=D(2023, 6, 1), end_date=D(2025, 6, 30), amount=5_000.0),
    ]  # fmt: skip
    never = {"submitted_on": None, "approved_on": None, "sent_on": None}
    reports = [
        report_row("R1", "A1", due_date=D(2025, 6, 30), submitted_on=D(2025, 6, 30),
                   approved_on=D(2025, 7, 5), sent_on=D(2025, 7, 6)),
        report_row("R2", "A1", kind="financial", due_date=D(2025, 12, 31), **never),
        report_row("R3", "A2", due_date=D(2025, 9, 30), submitted_on=D(2025, 10, 15),
                   approved_on=None, sent_on=None),
        report_row("R4", "A3", kind="final", due_date=D(2025, 7, 31), submitted_on=D(2025, 7, 20),
                   approved_on=D(2025, 8, 1), sent_on=D(2025, 8, 2)),
        report_row("R5", "A1", kind="final", due_date=D(2026, 1, 30), **never),
    ]  # fmt: skip
    partners = [partner("P1"), partner("P2", partnership_type="implementation")]
    return book(
        tmp_path,
        agreements,
        reports,
        _contributions(),
        name="RBD.xlsx",
        Partners=[PARTNER_HEADER, *partners],
    )


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2026-03-01")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    path = _workbook(tmp_path)
    store = open_store(url)
    try:
        prepared = ingest.prepare(store, path.read_bytes(), path.name, "RBD", "Awa", user=HQ)
        assert prepared.report.ok, prepared.report.errors
        ingest.commit(store, prepared, "Awa", user=HQ, reason="test")
    finally:
        store.close()
    return url


def test_indicators_csv_has_the_follow_up_columns_worked_by_hand(db, capsys):
    args = ["indicators", "--db", db, "--year", "2025", "--by", "partnership_type"]
    assert main([*args, "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out)).set_index("partnership_type")
    assert [c for c in table.columns if c in FOLLOW_UP] == list(FOLLOW_UP)
    counts = ["active_agreements", "reports_due", "reports_on_time", "reports_overdue"]
    adv, impl = table.loc["advocacy"], table.loc["implementation"]
    assert adv[counts].tolist() == [1, 3, 2, 1]
    assert adv["agreements_ending_soon"] == 0
    assert adv["on_time_reporting_rate"] == pytest.approx(2 / 3)
    assert adv["final_report_coverage"] == pytest.approx(0.5)
    assert adv["agreement_funds_received"] == pytest.approx((10_000 + 2_000 * EUR_2025) / 40_000)
    assert impl[counts].tolist() == [1, 1, 0, 0]
    assert impl["agreements_ending_soon"] == 1 and impl["on_time_reporting_rate"] == 0
    assert pd.isna(impl["final_report_coverage"])  # no agreement ended: an empty cell
    assert impl["agreement_funds_received"] == pytest.approx(1_000 / (10_000 * EUR_2025))
    for other in ("innovation", "resource_mobilization"):
        row = table.loc[other]
        assert row[[*counts, "agreements_ending_soon"]].tolist() == [0, 0, 0, 0, 0]
        assert row[["on_time_reporting_rate", "final_report_coverage"]].isna().all()


def test_the_organisation_total_in_json(db, capsys):
    """One row: the types' counts added up, the shares worked out again over all agreements."""
    assert main(["indicators", "--db", db, "--year", "2025", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert [row[i] for i in ("active_agreements", "reports_due", "reports_on_time")] == [2, 4, 2]
    assert (row["reports_overdue"], row["agreements_ending_soon"]) == (1, 1)
    assert row["on_time_reporting_rate"] == pytest.approx(2 / 4)
    assert row["final_report_coverage"] == pytest.approx(1 / 2)  # A1, A3 ended; A3 covered
    committed = 40_000 + 10_000 * EUR_2025
    assert row["agreement_funds_received"] == pytest.approx((11_000 + 2_000 * EUR_2025) / committed)


def test_json_adds_the_target_of_a_follow_up_indicator(db, tmp_path, monkeypatch, capsys):
    """A target set for on_time_reporting_rate (all regions, every year) comes as its `_target`."""
    import shutil

    from analytics.config import ROOT

    folder = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", folder)
    with (folder / "targets.csv").open("a", encoding="utf-8") as out:
        out.write("on_time_reporting_rate,,,0.9,test\n")
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(folder))
    assert main(["indicators", "--db", db, "--year", "2025", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    keys = list(row)
    assert keys[keys.index("on_time_reporting_rate") + 1] == "on_time_reporting_rate_target"
    assert row["on_time_reporting_rate_target"] == 0.9
    assert "reports_overdue_target" not in row  # no target set: no column
