"""The sample registers carry agreements and reports: overdue reports in some regions only."""

import pandas as pd
import pytest

from analytics.register.reading import load_workbook
from analytics.sample.agreements import BOARD_YEAR, OVERDUE
from analytics.sample.draws import AS_OF
from tests.postgres import SAMPLE_DIR


@pytest.mark.parametrize("region", ["RBB", "RBC", "RBD", "RBJ", "RBN", "RBP"])
def test_sample_agreements_are_valid_and_overdue_only_where_meant(region):
    result = load_workbook(SAMPLE_DIR / f"{region}.xlsx", region)
    assert result.report.ok, result.report.errors
    register = result.register
    assert len(register.agreements) >= 10 and len(register.reports) >= len(register.agreements)
    reports = register.reports
    due = reports[reports["due_date"] <= pd.Timestamp(AS_OF)]
    missing = int(due["submitted_on"].isna().sum())
    assert (missing > 0) == (region in OVERDUE)
    # Some contributions come under their partner's agreement.
    named = register.contributions.dropna(subset=["agreement_id"])
    owner = register.agreements.set_index("agreement_id")["partner_id"]
    assert len(named) and (named["agreement_id"].map(owner) == named["partner_id"]).all()
    assert not [w for w in result.report.warnings if w.sheet in ("Agreements", "Accords")]


def _overdue_at_year_end(reports: pd.DataFrame, year: int) -> int:
    """Reports due in `year` not submitted by its 31 December (the spec's reports_overdue for a
    complete year), counted straight from the workbook's frame."""
    due = reports[reports["due_date"].dt.year == year]
    end = pd.Timestamp(year, 12, 31)
    return int((due["submitted_on"].isna() | (due["submitted_on"] > end)).sum())


@pytest.mark.parametrize("region", ["RBB", "RBC", "RBD", "RBJ", "RBN", "RBP"])
def test_the_board_year_has_overdue_reports_only_where_meant(region):
    """The board's year (BOARD_YEAR = 2025, cut-off 31 Dec 2025): reports overdue in the OVERDUE
    regions (due in 2025, in only in 2026 or never), every report due in 2025 on time elsewhere."""
    reports = load_workbook(SAMPLE_DIR / f"{region}.xlsx", region).register.reports
    assert BOARD_YEAR == 2025
    overdue = _overdue_at_year_end(reports, BOARD_YEAR)
    due = reports[reports["due_date"].dt.year == BOARD_YEAR]
    assert len(due) > 0
    if region in OVERDUE:
        assert overdue >= 2
    else:
        assert overdue == 0 and (due["submitted_on"] <= due["due_date"]).all()


@pytest.mark.parametrize("today", ["2026-03-01", "2026-12-07", "2028-06-30"])
def test_indicators_of_2025_on_the_samples_do_not_depend_on_today(monkeypatch, capsys, today):
    """`indicators --year 2025 --by region` on an empty store (the samples, as the app seeds
    them): reports_overdue per region is the count of the workbooks above, whatever today is
    after 2025 (the cut-off is 31 Dec 2025), > 0 in RBC, RBD and RBN, 0 in RBB, RBJ and RBP."""
    import json

    from analytics.cli import main

    monkeypatch.setenv("PARTNERSHIPS_TODAY", today)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    argv = ["indicators", "--db", "sqlite://", "--year", "2025", "--by", "region"]
    assert main([*argv, "--format", "json"]) == 0
    rows = {r["region"]: r for r in json.loads(capsys.readouterr().out)}
    for region in ("RBB", "RBC", "RBD", "RBJ", "RBN", "RBP"):
        reports = load_workbook(SAMPLE_DIR / f"{region}.xlsx", region).register.reports
        assert rows[region]["reports_overdue"] == _overdue_at_year_end(reports, 2025)
        assert (rows[region]["reports_overdue"] > 0) == (region in OVERDUE)
