"""The story and the evidence in the deck: the summary as its second slide (PowerPoint, PDF,
presentation mode), speaker notes on every chart slide, the evidence as the PDF's last page.

The store holds the register of tests/test_story.py (RBD and RBN, each uploaded once by Awa);
the four other regions have no register, so the period is 2 of 6 regions complete.
"""

from datetime import date

import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from analytics import cli
from analytics import indicators as ind
from analytics.board import slides
from analytics.board.pdf_deck import pdf_text
from analytics.i18n import fmt_date, t
from analytics.reference.load import load_reference
from analytics.store.versions import open_store
from tests.conftest import ROOT
from tests.test_story_cli import EN_2024, db, store_env  # noqa: F401 - fixtures


def _norm(text: str) -> str:
    return " ".join(pdf_text(text).split())


@pytest.fixture
def exported(db, tmp_path, capsys):  # noqa: F811
    """The deck of 2024 written by `export` as PowerPoint and PDF."""
    pptx, pdf = tmp_path / "deck.pptx", tmp_path / "deck.pdf"
    for out in (pptx, pdf):
        assert cli.main(["export", str(out), "--db", db, "--year", "2024"]) == 0
    capsys.readouterr()
    store = open_store(db)
    versions = store.current_versions()
    store.close()
    return Presentation(str(pptx)), PdfReader(str(pdf)), versions


def test_the_story_is_the_second_slide(exported):
    prs, reader, _ = exported
    story = prs.slides[1]
    assert story.shapes.title.text == t("story.title", "en", previous="2023")
    body = [s for s in story.shapes if s.has_text_frame and s != story.shapes.title]
    lines = [p.text for p in body[0].text_frame.paragraphs]
    assert lines == [f"• {x}" for x in EN_2024]
    page = _norm(reader.pages[1].extract_text())
    assert _norm(EN_2024[0]) in page and _norm(EN_2024[-1]) in page


def test_every_chart_slide_carries_the_evidence_in_its_notes(exported):
    """Definition of the chart's indicators, filters, each region's version, completeness."""
    prs, _, versions = exported
    on = fmt_date(versions["RBD"].created_at, "en")
    chart_slides = [s for s in prs.slides if any(x.has_chart for x in s.shapes)]
    assert len(chart_slides) == len(slides.CHARTS)
    for slide, spec in zip(chart_slides, slides.CHARTS, strict=True):
        assert slide.has_notes_slide, spec.key
        notes = slide.notes_slide.notes_text_frame.text
        for i in spec.indicators:
            assert f"{ind.name(i, 'en')}: {ind.definition(i, 'en')}" in notes
        assert f"Filters: {t('board.filter.everything', 'en')}" in notes
        assert "Period: 2024" in notes
        assert f"RBD: version 1, uploaded by Awa on {on}" in notes
        assert "RBN: version 1, uploaded by Awa on" in notes
        assert "RBB: no register in the store" in notes
        assert (
            "Completeness: 2 of 6 regions in scope have a register in the store; "
            "missing: RBB, RBC, RBJ, RBP." in notes
        )
    # The follow-up of agreements (no agreement in this store: a sentence, no chart) carries the
    # same evidence, which is what makes "no agreement" credible; no other slide has notes.
    follow_up = t("board.follow_up.title", "en", period="2024")
    [agreements] = [s for s in prs.slides if s.shapes.title.text == follow_up]
    assert "RBB: no register in the store" in agreements.notes_slide.notes_text_frame.text
    others = [s for s in prs.slides if s not in chart_slides and s != agreements]
    assert not any(s.has_notes_slide and s.notes_slide.notes_text_frame.text for s in others)


def test_the_pdf_ends_with_the_evidence(exported):
    prs, reader, versions = exported
    assert len(reader.pages) == len(prs.slides) + 1
    last = _norm(reader.pages[-1].extract_text())
    assert _norm(t("board.evidence.title", "en")) in last
    on = fmt_date(versions["RBN"].created_at, "en")
    assert _norm(f"RBN: version 1, uploaded by Awa on {on}") in last
    assert _norm("missing: RBB, RBC, RBJ, RBP") in last


def test_a_region_filter_is_complete_and_in_french(db, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "rbd.pptx"
    assert cli.main(["export", str(out), "--db", db, "--region", "RBD", "--lang", "fr"]) == 0
    capsys.readouterr()
    prs = Presentation(str(out))
    notes = next(s for s in prs.slides if s.has_notes_slide).notes_slide.notes_text_frame.text
    assert "RBD\u00a0: version 1, déposée par Awa le" in notes
    assert t("board.evidence.complete", "fr", count=1) in notes


def test_a_deck_built_without_the_store_says_the_vintage_is_unknown(db):  # noqa: F811
    store = open_store(db)
    prepared = ind.prepare(*store.load_current(), load_reference())
    store.close()
    deck = slides.build_deck(prepared, 2024, None, "en", date(2025, 1, 1))
    assert t("board.evidence.vintage_unknown", "en") in deck.evidence


def test_presentation_mode_shows_the_story(db, monkeypatch):  # noqa: F811
    monkeypatch.setenv("DATABASE_URL", db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "en", "present": "1", "slide": "2", "year": "2024"})
    at.switch_page("app_pages/dashboards/board.py")
    at.run()
    assert not at.exception and not at.error
    text = " ".join(str(h.proto.body) for h in at.get("html"))
    assert t("story.title", "en", previous="2023") in text
    assert "1 partner who gave in 2023 has not given in 2024 (LYBUNT): Partner C." in text
