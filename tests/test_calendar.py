"""The reporting calendar (#11): which region sent its register on time, late or not at all for
each reporting period, the rules of reporting_periods.csv, and the grid on the data-quality page."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.access.roles import ADMIN, User
from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.reference.refcheck import ReferenceDataError
from analytics.services import refdata
from analytics.store import calendar
from analytics.store.reviews import Review
from analytics.store.versions import open_store
from analytics.text import plain
from tests.conftest import ROOT

Q1 = calendar.Period("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 30))
Q2 = calendar.Period("2026-Q2", date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 31))


def _versions(*rows) -> pd.DataFrame:
    """(id, region, number, status, day) -> a frame shaped as Store.versions()."""
    return pd.DataFrame(
        [
            {
                "id": i,
                "region": region,
                "number": number,
                "status": status,
                "created_at": datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC),
            }
            for i, region, number, status, day in rows
        ]
    )


VERSIONS = _versions(
    (1, "RBD", 1, "sample", "2026-01-05"),  # a sample load is no submission
    (2, "RBD", 2, "upload", "2026-04-10"),  # Q1: sent after the quarter, before 30 April
    (3, "RBD", 3, "upload", "2026-08-05"),  # Q2: 5 days after its due date of 31 July
    (4, "RBC", 1, "upload", "2026-03-15"),  # before Q1 ends: no period's submission
    (5, "RBC", 2, "upload", "2026-06-10"),  # Q1, late (still before Q2 ends)
)
TODAY = date(2026, 8, 10)


def _grid(reviews=None) -> pd.DataFrame:
    grid = calendar.submissions(VERSIONS, [Q1, Q2], ["RBD", "RBC", "RBN"], TODAY, reviews)
    return grid.set_index(["region", "period"])


def test_each_region_and_period_is_on_time_late_or_missing():
    grid = _grid()
    # RBD Q1: version 2 on 10 April, due 30 April: on time, 0 days late.
    assert grid.loc[("RBD", "2026-Q1"), ["state", "days_late", "version"]].tolist() == [
        "on_time",
        0,
        2,
    ]
    # RBD Q2: version 3 on 5 August, due 31 July: 5 days late.
    assert grid.loc[("RBD", "2026-Q2"), ["state", "days_late", "version"]].tolist() == [
        "late",
        5,
        3,
    ]
    # RBC Q1: the upload of 15 March came before the quarter ended, so Q1's is the one of
    # 10 June: 30 April -> 10 June is 31 (May) + 10 = 41 days late.
    assert grid.loc[("RBC", "2026-Q1"), ["state", "days_late", "version"]].tolist() == [
        "late",
        41,
        2,
    ]
    # RBC Q2: nothing since 30 June; due 31 July, today 10 August: missing, 10 days late.
    assert grid.loc[("RBC", "2026-Q2"), ["state", "days_late"]].tolist() == ["missing", 10]
    # RBN sent nothing: Q1 30 April -> 10 August is 31 + 30 + 31 + 10 = 102 days.
    assert grid.loc[("RBN", "2026-Q1"), ["state", "days_late"]].tolist() == ["missing", 102]
    assert calendar.late_regions(grid.reset_index(), "2026-Q2") == ["RBC", "RBN"]


def test_a_period_not_yet_due_is_open():
    grid = calendar.submissions(VERSIONS, [Q1, Q2], ["RBN"], date(2026, 7, 20))
    assert grid.set_index("period").loc["2026-Q2", "state"] == "open"
    assert calendar.late_regions(grid, "2026-Q2") == []


def test_the_grid_says_the_reviewer_s_decision_in_the_reader_s_language():
    approved = Review(1, 2, "approved", "", "hawa", datetime(2026, 4, 12, tzinfo=UTC))
    grid = _grid({2: approved}).reset_index()
    names = {"RBD": "Dakar", "RBC": "Cairo", "RBN": "Nairobi"}
    shown = calendar.grid_frame(grid, names.get, "fr").set_index("Région")
    assert shown.loc["Dakar", "2026-Q1"] == "à temps (v2, 10 avr. 2026) — approuvée"
    assert shown.loc["Dakar", "2026-Q2"] == "5 jours de retard (v3, 5 août 2026) — soumise"
    assert shown.loc["Nairobi", "2026-Q2"] == "manquant, 10 jours de retard"
    english = calendar.grid_frame(grid, names.get, "en").set_index("Region")
    assert english.loc["Cairo", "2026-Q2"] == "missing, 10 days late"


HEADER = "period,first_day,last_day,due_date,source\n"
GOOD = "2026-Q1,2026-01-01,2026-03-31,2026-04-30,x\n"


@pytest.mark.parametrize(
    ("rows", "key", "values"),
    [
        (GOOD + "2026-Q2,2026-03-15,2026-06-30,2026-07-31,x\n", "periods_overlap", {"row": 3}),
        (GOOD + "2026-Q2,2026-04-01,2026-06-30,2026-06-15,x\n", "due_before_end", {"row": 3}),
        (GOOD + "2026-Q2,2026-06-30,2026-04-01,2026-07-31,x\n", "period_ends_first", {"row": 3}),
        (GOOD + "2026-Q2,2026-04-01,30/06/2026,2026-07-31,x\n", "date", {"row": 3}),
    ],
    ids=["overlap", "due before end", "ends first", "not a date"],
)
def test_a_bad_periods_file_names_its_row_and_is_not_saved(tmp_path, rows, key, values):
    folder = tmp_path / "reference"
    folder.mkdir()
    for shipped in (ROOT / "data" / "reference").glob("*.csv"):
        (folder / shipped.name).write_bytes(shipped.read_bytes())
    (folder / "reporting_periods.csv").write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(ReferenceDataError) as raised:
        load_reference(str(folder))
    assert raised.value.file == "reporting_periods.csv"
    assert [(k, v["row"]) for k, v in raised.value.found] == [(f"refadmin.problem.{key}", 3)]
    french = raised.value.message("fr")
    assert "Ligne 3" in french and "reporting_periods.csv" in french

    # The same file saved from the reference-data page: refused, the file in force unchanged.
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    before = (folder / "reporting_periods.csv").read_text()
    frame = refdata.read_csv((HEADER + rows).encode())
    with pytest.raises(ValueError):
        refdata.save(store, User("hq", ADMIN), "reporting_periods", frame, where=folder)
    store.close()
    assert (folder / "reporting_periods.csv").read_text() == before


def test_the_shipped_periods_are_quarterly_sample_values_due_a_month_later():
    periods = load_reference(str(ROOT / "data" / "reference")).reporting_periods
    q4 = periods.set_index("period").loc["2026-Q4"]
    assert (q4["first_day"], q4["last_day"], q4["due_date"]) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
        date(2027, 1, 31),
    )
    assert periods["source"].str.startswith("SAMPLE VALUE").all()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_data_quality_page_shows_the_grid(lang):
    at = AppTest.from_file(str(ROOT / "app_pages/data/data_quality.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert t("calendar.title", lang) in [s.value for s in at.subheader]
    periods = set(load_reference().reporting_periods["period"])
    grids = [d.value for d in at.dataframe if set(d.value.columns[1:]) <= periods]
    assert len(grids) == 1
    grid = grids[0]
    assert grid.columns[0] == t("calendar.region", lang) and len(grid.columns) == 5  # 4 periods
    # Every region of the reference data has a row; the sample loads are no submissions, so the
    # periods past their due date say "missing" in the page's language.
    assert len(grid) == len(load_reference().region_codes)
    missing = t("calendar.missing", lang, count=2).split(",")[0]
    assert grid.iloc[:, 1].str.startswith(missing).all()


def test_the_reference_page_refuses_overlapping_periods_naming_the_row(tmp_path, monkeypatch):
    folder = tmp_path / "reference"
    folder.mkdir()
    for shipped in (ROOT / "data" / "reference").glob("*.csv"):
        (folder / shipped.name).write_bytes(shipped.read_bytes())
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(folder))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    before = (folder / "reporting_periods.csv").read_bytes()
    at = AppTest.from_file(str(ROOT / "app_pages/admin/reference_admin.py"), default_timeout=60)
    at.session_state["auth_user"] = User("root", ADMIN)
    at.query_params["lang"] = "fr"
    at.run()
    at.selectbox(key="refadmin_file").select("reporting_periods").run()
    bad = HEADER + GOOD + "2026-Q2,2026-03-15,2026-06-30,2026-07-31,x\n"
    at.file_uploader(key="refadmin_upload_reporting_periods").upload(
        "reporting_periods.csv", bad.encode(), "text/csv"
    ).run()
    at.button(key="refadmin_save").click().run()
    assert not at.exception
    said = " ".join(e.value for e in at.error)
    # "Ligne 3 : la période 2026-Q2 chevauche la période 2026-Q1 …", escaped for Markdown
    overlap = t("refadmin.problem.periods_overlap", "fr", row=3, value="2026-Q2", other="2026-Q1")
    assert plain(overlap) in said
    assert (folder / "reporting_periods.csv").read_bytes() == before
