"""The deck's evidence (issue #12): each version counted says whether it is approved, the
approved data's deck lists the approved versions, and an empty store's deck gives the vintage of
the samples it shows."""

import subprocess
import sys

from pptx import Presentation

from analytics import indicators as ind
from analytics.board import evidence
from analytics.i18n import fmt_date
from analytics.reference.load import load_reference
from analytics.services import review
from tests.conftest import ROOT
from tests.test_review import DIANE, _upload


def _lines(store, lang, approved=False):
    prepared = ind.prepare(*store.load_current(), load_reference())
    filters = ind.Filters(regions=("RBD",))
    vintage = evidence.vintages(store, approved=approved)
    return evidence.evidence_lines(prepared, (2024, 2024), filters, vintage, lang)


def test_each_version_counted_says_approved_or_not(store, tmp_path):
    first = _upload(store, tmp_path)
    on = fmt_date(first.created_at, "en")
    assert f"RBD: version 1, uploaded by awa on {on}; not approved yet (submitted)" in _lines(
        store, "en"
    )
    review.approve(store, "RBD", user=DIANE)
    assert f"RBD: version 1, uploaded by awa on {on}; approved" in _lines(store, "en")
    assert (
        f"RBD\u00a0: version 1, déposée par awa le {fmt_date(first.created_at, 'fr')}\u202f; approuvée"
        in (_lines(store, "fr"))
    )
    second = _upload(store, tmp_path, amount=250.0)
    review.return_version(store, "RBD", "the totals do not add up", user=DIANE)
    later = fmt_date(second.created_at, "en")
    assert f"RBD: version 2, uploaded by awa on {later}; returned to the region, not approved" in (
        _lines(store, "en")
    )
    # Counting the approved data, the deck's vintage is the approved version, not the latest.
    assert [(v.region, v.number, v.review) for v in evidence.vintages(store, approved=True)] == [
        ("RBD", 1, "approved")
    ]
    assert f"RBD: version 1, uploaded by awa on {on}; approved" in _lines(store, "en", True)


def test_an_empty_store_deck_gives_the_samples_vintage(tmp_path):
    out = tmp_path / "deck.pptx"
    db = f"sqlite:///{tmp_path / 'none' / 'store.db'}"
    run = subprocess.run(
        [sys.executable, "-m", "analytics", "export", str(out), "--db", db, "--year", "2024"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert not (tmp_path / "none").exists()  # nothing written to the user's store
    prs = Presentation(str(out))
    notes = next(s for s in prs.slides if s.has_notes_slide).notes_slide.notes_text_frame.text
    assert "not known" not in notes
    for region in ("RBB", "RBC", "RBD", "RBJ", "RBN", "RBP"):
        assert f"{region}: sample data (the sample workbook, read on " in notes
    assert (
        "Completeness: the sample data has all 6 regions in scope; nothing is stored yet." in notes
    )
