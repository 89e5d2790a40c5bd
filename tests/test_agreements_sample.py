"""The sample registers carry agreements and reports: overdue reports in some regions only."""

import pandas as pd
import pytest

from analytics.register.reading import load_workbook
from analytics.sample.agreements import OVERDUE
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
