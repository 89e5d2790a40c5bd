"""Counting approved data only: the dashboards' switch kept in the URL, the badges, the caches
across approvals made elsewhere, `indicators --approved` and `export --approved`."""

import json
import re
import shutil

import pytest
import streamlit as st
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from analytics import cli
from analytics.access.roles import DIRECTOR, User
from analytics.config import ROOT
from analytics.services import review
from analytics.store.versions import open_store

DIANE = User("diane", DIRECTOR)


@pytest.fixture
def sample_store(seeded, tmp_path, monkeypatch) -> str:
    """A copy of the six sample registers (all submitted), used by the app."""
    copy = tmp_path / "store.db"
    shutil.copy(seeded, copy)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("DATABASE_URL", url)
    (tmp_path / "no-samples").mkdir()
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "no-samples"))
    st.cache_resource.clear()
    st.cache_data.clear()
    return url


def approve(url: str, region: str) -> None:
    """An approval made by another process's store (its own engine)."""
    other = open_store(url)
    try:
        review.approve(other, region, user=DIANE)
    finally:
        other.close()


def badges(at: AppTest) -> list[str]:
    found = []
    for m in at.markdown:
        found += re.findall(r":orange-badge\[(.*?)\]", m.value)
    return [b.replace("\\", "") for b in found]


def overview(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception and not at.error
    return at


def test_badges_follow_approvals_made_in_another_process(sample_store):
    at = overview()
    assert badges(at) == [
        f"{r}: version 1 submitted" for r in ("RBB", "RBC", "RBD", "RBJ", "RBN", "RBP")
    ]
    approve(sample_store, "RBD")
    at.run()
    assert "RBD: version 1 submitted" not in badges(at) and len(badges(at)) == 5


def test_the_switch_counts_approved_versions_only_and_goes_to_the_url(sample_store):
    at = overview()
    before = {m.label: m.value for m in at.metric}
    (switch,) = [w for w in at.sidebar.toggle if w.label == "Approved data only"]
    at = switch.set_value(True).run()
    assert at.query_params["approved"] in ("1", ["1"])
    # Nothing approved yet: every region says it is not counted, and the numbers change.
    assert badges(at) == [
        f"{r}: no approved version, not counted" for r in ("RBB", "RBC", "RBD", "RBJ", "RBN", "RBP")
    ]
    assert {m.label: m.value for m in at.metric} != before
    approve(sample_store, "RBD")
    at.run()
    assert len(badges(at)) == 5
    from ui.data import current_register

    partners, contributions = current_register(approved=True)
    assert set(contributions["region"]) == {"RBD"}  # the cache followed the approval
    at.switch_page("app_pages/dashboards/by_type.py").run()
    (switch,) = [w for w in at.sidebar.toggle if w.label == "Approved data only"]
    assert switch.value is True  # kept across pages
    at.sidebar.button(key="flt_clear").click().run()
    assert "approved" not in at.query_params


def test_a_link_with_approved_opens_the_approved_view(sample_store):
    approve(sample_store, "RBN")
    at = overview(approved="1", lang="fr")
    assert badges(at) == [
        f"{r}\u00a0: aucune version approuvée, non comptée"
        for r in ("RBB", "RBC", "RBD", "RBJ", "RBP")
    ]


def test_indicators_and_export_count_approved_versions(sample_store, tmp_path, capsys):
    assert cli.main(["indicators", "--db", sample_store, "--by", "region", "--format", "json"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert len(everything) == 6
    approve(sample_store, "RBD")
    assert (
        cli.main(
            ["indicators", "--db", sample_store, "--by", "region", "--format", "json", "--approved"]
        )
        == 0
    )
    approved = json.loads(capsys.readouterr().out)
    counted = {row["region"]: row for row in approved}
    assert counted["RBD"] == next(row for row in everything if row["region"] == "RBD")
    assert all(row["active_partners"] in (0, None) for r, row in counted.items() if r != "RBD")
    assert all(row["active_partners"] > 0 for row in everything)

    for flag, said in (
        ([], "Counts the latest version of each region, approved or not"),
        (["--approved"], "Counts each region's latest approved version only"),
    ):
        out = tmp_path / f"deck{len(flag)}.pptx"
        assert cli.main(["export", str(out), "--db", sample_store, *flag]) == 0
        title = Presentation(out).slides[0]
        text = " ".join(s.text_frame.text for s in title.shapes if s.has_text_frame)
        assert said in text
    capsys.readouterr()


def test_nothing_approved_counts_nothing(sample_store, capsys):
    assert cli.main(["indicators", "--db", sample_store, "--format", "json", "--approved"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert cli.main(["indicators", "--db", sample_store, "--format", "json"]) == 0
    (everything,) = json.loads(capsys.readouterr().out)
    assert everything["active_partners"] > 0 and row["active_partners"] in (0, None)
