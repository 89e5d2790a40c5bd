"""Tables to download: formulas neutralised (CSV/formula injection), CSV and XLSX read back as written."""

from io import BytesIO

import openpyxl
import pandas as pd
import pytest

from analytics.downloads import neutralise, neutralise_value, to_csv, to_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","clic")', '\'=HYPERLINK("http://x","clic")'),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Fondation Orange", "Fondation Orange"),
        ("a=b", "a=b"),  # only a leading trigger starts a formula
        (-12.5, -12.5),  # a negative number stays a number
        (None, None),
    ],
)
def test_neutralise_value(value, expected):
    assert neutralise_value(value) == expected


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "partner_name": pd.Series(["=1+2", "Orange", None], dtype="str"),
            "category": pd.Categorical(["@x", "company", "company"]),
            "usd": [-1500.5, 2000.0, float("nan")],
            "count": pd.Series([-3, 4, 5], dtype="int64"),
            "date": pd.to_datetime(["2024-03-01", "2024-04-02", None]),
        }
    )


def test_neutralise_keeps_numbers_and_dates():
    out = neutralise(_frame())
    assert out["partner_name"].tolist()[:2] == ["'=1+2", "Orange"]
    assert out["category"].tolist()[0] == "'@x"
    assert out["usd"].tolist()[0] == -1500.5 and out["count"].tolist() == [-3, 4, 5]
    assert out["date"].iloc[0] == pd.Timestamp("2024-03-01")


def test_csv_round_trip():
    back = pd.read_csv(BytesIO(to_csv(_frame())), encoding="utf-8-sig")
    assert list(back.columns) == ["partner_name", "category", "usd", "count", "date"]
    assert back["partner_name"].tolist()[:2] == ["'=1+2", "Orange"]
    assert back["usd"].tolist()[:2] == [-1500.5, 2000.0]
    assert back["count"].tolist() == [-3, 4, 5]


def test_xlsx_has_no_formula_and_keeps_types():
    sheet = openpyxl.load_workbook(BytesIO(to_xlsx(_frame(), "Partners: 2024"))).active
    assert sheet.title == "Partners 2024"  # characters Excel forbids in a sheet name dropped
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("partner_name", "category", "usd", "count", "date")
    assert rows[1][:4] == ("'=1+2", "'@x", -1500.5, -3)
    assert rows[2][4].date().isoformat() == "2024-04-02"
    back = pd.read_excel(BytesIO(to_xlsx(_frame())), engine="openpyxl")
    assert back["usd"].tolist()[:2] == [-1500.5, 2000.0]
