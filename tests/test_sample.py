"""The committed sample workbooks are what the generator makes, valid, labelled and realistic."""

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from analytics.reference.load import load_reference
from analytics.register.reading import load_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
REGIONS = sorted(load_reference().region_codes)


def test_generator_reproduces_the_committed_files(tmp_path):
    subprocess.run(
        [sys.executable, "scripts/make_sample.py", "--out", str(tmp_path)],
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [f"{r}.xlsx" for r in REGIONS]
    for made in tmp_path.glob("*.xlsx"):
        assert made.read_bytes() == (SAMPLE / made.name).read_bytes(), (
            f"{made.name}: run scripts/make_sample.py"
        )


@pytest.mark.parametrize("region", REGIONS)
def test_each_sample_is_valid_and_labelled(region):
    path = SAMPLE / f"{region}.xlsx"
    result = load_workbook(path, region=region)
    assert result.report.errors == [] and not result.report.unreadable
    register = result.register
    assert register.region == region
    assert len(register.partners) >= 30 and len(register.contributions) >= 300
    assert register.contributions["date"].dt.year.nunique() >= 4  # several years
    first_sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    title = next(first_sheet.iter_rows(max_row=1, values_only=True))[0]
    assert "SAMPLE DATA" in title or "DONNÉES D'EXEMPLE" in title


def test_amounts_are_skewed_as_real_giving_is():
    amounts = load_workbook(SAMPLE / "RBB.xlsx", region="RBB").register.contributions["amount"]
    # A few large gifts and many small ones: the mean sits well above the median.
    assert amounts.mean() > 2 * amounts.median()
