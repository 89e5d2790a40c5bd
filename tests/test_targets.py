"""Targets of any indicator: the precedence and summing rules worked by hand, the check of the
ids on load, `indicators --format json` with `<id>_target`, the KPI cards."""

import json
import shutil

import pytest

from analytics import cli
from analytics.config import ROOT
from analytics.indicators import target_rules as tg
from analytics.indicators.catalogue import CATALOGUE
from analytics.reference.load import load_reference
from analytics.reference.refcheck import ReferenceDataError, indicator_ids

HEADER = "indicator,region,year,target,source\n"
ROWS = (
    "private_share_of_budget,,,0.05,sample\n"
    "private_share_of_budget,RBD,,0.08,sample\n"
    "new_partnerships,RBD,,10,sample\n"
    "new_partnerships,RBN,,4,sample\n"
    "new_partnerships,RBN,2024,6,sample\n"
    "received_usd,,2024,1000000,sample\n"
    "received_usd,RBD,2024,300000,sample\n"
)


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", path)
    (path / "targets.csv").write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_the_catalogue_and_its_messages_name_the_same_indicators():
    from analytics.indicators.catalogue import FOLLOW_UP

    # The agreement follow-up indicators (issue #10) are in the catalogue like the others, with
    # their names and definitions in the same messages.
    assert indicator_ids() == set(CATALOGUE)
    assert set(FOLLOW_UP) <= set(CATALOGUE)


def test_precedence_and_summing_by_hand(folder):
    ref = load_reference(str(folder))
    # A region's own row wins over the all-regions row; a year's row over the every-year row.
    assert tg.target_for(ref, "private_share_of_budget", ["RBD"], 2024) == 0.08
    assert tg.target_for(ref, "private_share_of_budget", ["RBN"], 2024) == 0.05
    assert tg.target_for(ref, "new_partnerships", ["RBN"], 2024) == 6
    assert tg.target_for(ref, "new_partnerships", ["RBN"], 2023) == 4
    # The organisation: no all-regions row for a count: the sum of the regions' (10 + 6).
    assert tg.target_for(ref, "new_partnerships", None, 2024) == 16
    assert tg.target_for(ref, "new_partnerships", ["RBD", "RBN"], 2023) == 14
    assert tg.target_for(ref, "new_partnerships", ["RBB"], 2024) is None
    # An all-regions row is the organisation's target; a share is never summed.
    assert tg.target_for(ref, "received_usd", None, 2024) == 1_000_000
    assert tg.target_for(ref, "received_usd", ["RBD"], 2024) == 300_000
    assert tg.target_for(ref, "received_usd", None, 2023) is None
    assert tg.target_for(ref, "private_share_of_budget", ["RBD", "RBN"], 2024) == 0.05
    assert tg.with_targets(ref) == ["new_partnerships", "received_usd", "private_share_of_budget"]


def test_an_unknown_indicator_id_is_named_with_its_row_and_column(folder):
    (folder / "targets.csv").write_text(HEADER + ROWS + "new_partners,RBD,,3,typo\n")
    with pytest.raises(ReferenceDataError) as bad:
        load_reference(str(folder))
    message = bad.value.message("en")
    assert "targets.csv" in message
    assert "Row 9: indicator = “new_partners” is not an indicator id of the catalogue" in message
    assert "Ligne 9\u00a0: indicator = « new_partners » n'est pas" in bad.value.message("fr")


def test_indicators_json_adds_the_targets(folder, monkeypatch, capsys, seeded, tmp_path):
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(folder))
    copy = tmp_path / "store.db"
    shutil.copy(seeded, copy)
    db = f"sqlite:///{copy}"
    assert cli.main(["indicators", "--db", db, "--year", "2024", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    keys = list(row)
    # Beside each indicator with a target, in the catalogue's order.
    assert keys[keys.index("new_partnerships") + 1] == "new_partnerships_target"
    assert (row["new_partnerships_target"], row["received_usd_target"]) == (16, 1_000_000)
    assert row["private_share_of_budget_target"] == 0.05
    args = ["indicators", "--db", db, "--year", "2024", "--by", "region", "--format", "json"]
    assert cli.main(args) == 0
    rows = {r["region"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["RBD"]["new_partnerships_target"] == 10
    assert rows["RBB"]["new_partnerships_target"] is None
    assert rows["RBD"]["received_usd_target"] == 300_000
    assert cli.main(["indicators", "--db", db, "--year", "2024"]) == 0
    assert "_target" not in capsys.readouterr().out  # CSV unchanged


def test_kpi_cards_show_the_target_and_the_share_reached(folder, monkeypatch, seeded, tmp_path):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from analytics.i18n import fmt_percent

    copy = tmp_path / "store.db"
    shutil.copy(seeded, copy)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{copy}")
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(folder))
    (tmp_path / "none").mkdir()
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "none"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    new = next(m for m in at.metric if m.label == "New partnerships")
    value = int(new.value.replace(",", ""))
    # Every year: RBD 10 + RBN 4 (RBN's 2024 row is for 2024 only).
    expected = f"Target: 14 · {fmt_percent(value / 14, 'en')} reached"
    assert expected in [c.value for c in at.caption]
