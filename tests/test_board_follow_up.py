"""The deck's "Follow-up of agreements" slide (issue #10): PowerPoint (a native chart), PDF and
presentation mode, hand-worked on a small store; and the sentence of a view with no agreement.

The partners are those of tests/test_exports.py (RBD: A innovation, B resource mobilisation;
RBN: G advocacy). Today is 1 March 2025, so the period is 2024 and the cut-off 31 December 2024;
"ending soon" is after the cut-off and on or before 31 March 2025 (90 days later).

agreement  partner status      end         ending soon?
RBD GA1    A       signed      2025-02-15  yes
RBD GA2    B       signed      2026-12-31  no
RBN GN1    G       signed      2025-03-31  yes (the 90th day)
RBN GN2    G       terminated  2025-01-31  no (not signed)

report  agreement  due         submitted   in 2024's reports due?  on time?  overdue?
R1      GA1        2024-03-31  2024-03-30  yes                     yes       no
R2      GA1        2024-06-30  2024-07-15  yes                     no (late) no (before the cut-off)
R3      GA2        2024-09-30  -           yes                     no        yes
R4      GA2        2024-12-31  2025-01-10  yes (on the cut-off)    no        yes (after the cut-off)
R5      GA2        2025-03-31  -           no (due in 2025)
R6      GN1        2024-11-30  2024-11-30  yes                     yes       no
R7      GN1        2024-12-15  2024-12-01  yes                     yes       no

RBD: 1 on time of 4 due = 25 %, 2 overdue, 1 ending soon. RBN: 2 of 2 = 100 %, 0 overdue,
1 ending soon. In all: 6 due, 2 overdue (RBD 2), 2 ending soon (RBD 1 · RBN 1).
"""

import json
from dataclasses import replace

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from analytics import cli
from analytics import indicators as ind
from analytics.access.roles import ADMIN, User
from analytics.board import slides
from analytics.board.pdf_deck import pdf_text
from analytics.i18n import labelled, t
from analytics.indicators.format import format_unit_value
from analytics.reference.load import load_reference
from analytics.store.versions import open_store
from schemas import Agreements, Reports
from tests.conftest import ROOT
from tests.registers import typed
from tests.test_exports import _registers

T = pd.Timestamp
TODAY = "2025-03-01"
POSITION = 10  # title, story, key indicators, 6 charts, then the follow-up of agreements


def _agreement(aid, pid, end, status="signed", start="2023-01-01") -> dict:
    return {
        "agreement_id": aid,
        "partner_id": pid,
        "title": f"Agreement {aid}",
        "status": status,
        "signed_on": T(start),
        "officer": "Awa Ndiaye",
        "start_date": T(start),
        "end_date": T(end),
    }


def _report(rid, aid, due, submitted=None, kind="activity") -> dict:
    return {
        "report_id": rid,
        "agreement_id": aid,
        "kind": kind,
        "due_date": T(due),
        "submitted_on": None if submitted is None else T(submitted),
    }


FOLLOW_UP = {
    "RBD": (
        [
            _agreement("GA1", "A", "2025-02-15"),
            _agreement("GA2", "B", "2026-12-31", start="2024-02-01"),
        ],
        [
            _report("R1", "GA1", "2024-03-31", "2024-03-30"),
            _report("R2", "GA1", "2024-06-30", "2024-07-15", "financial"),
            _report("R3", "GA2", "2024-09-30"),
            _report("R4", "GA2", "2024-12-31", "2025-01-10"),
            _report("R5", "GA2", "2025-03-31", kind="financial"),
        ],
    ),
    "RBN": (
        [
            _agreement("GN1", "G", "2025-03-31", start="2024-05-01"),
            _agreement("GN2", "G", "2025-01-31", "terminated", start="2024-05-01"),
        ],
        [
            _report("R6", "GN1", "2024-11-30", "2024-11-30"),
            _report("R7", "GN1", "2024-12-15", "2024-12-01", "financial"),
        ],
    ),
}
RATES = {"RBD Dakar": 0.25, "RBN Nairobi": 1.0}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('follow_up') / 'store.db'}"
    store = open_store(url)
    hq = User("hq", ADMIN)
    for reg in _registers():
        agreements, reports = FOLLOW_UP[reg.region]
        reg = replace(
            reg, agreements=typed(agreements, Agreements), reports=typed(reports, Reports)
        )
        upload = store.record_upload(reg.region, f"{reg.region}.xlsx", b"x", "Awa", user=hq)
        store.commit(reg.region, reg, upload_id=upload, uploader="Awa", expected_number=0, user=hq)
    store.close()
    return url


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_TODAY", TODAY)


def _slide_text(slide) -> str:
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pptx_slide_has_the_rate_by_region_as_a_native_chart(db, tmp_path, capsys, today, lang):
    out = tmp_path / "deck.pptx"
    assert cli.main(["export", str(out), "--db", db, "--lang", lang]) == 0
    capsys.readouterr()
    slide = Presentation(str(out)).slides[POSITION - 1]
    assert slide.shapes.title.text == t("board.follow_up.title", lang, period="2024")
    [chart] = [s.chart for s in slide.shapes if s.has_chart]
    plot = chart.plots[0]
    assert list(plot.categories) == list(RATES)
    [series] = plot.series
    assert series.name == ind.short("on_time_reporting_rate", lang)
    assert list(series.values) == pytest.approx(list(RATES.values()))  # 1/4 and 2/2
    text = _slide_text(slide)
    cut = "Dec 31, 2024" if lang == "en" else "31 déc. 2024"
    assert t("board.follow_up.overdue", lang, date=cut) in text
    assert t("board.follow_up.ending", lang, date=cut, days=90) in text
    assert "RBD 2" in text  # the two overdue reports, both in RBD
    assert "RBD 1 · RBN 1" in text  # the agreements ending soon
    assert t("board.follow_up.subtitle", lang, count=6, year=2024, date=cut) in text
    notes = slide.notes_slide.notes_text_frame.text
    for i in ("on_time_reporting_rate", "reports_overdue", "agreements_ending_soon"):
        assert labelled(ind.name(i, lang), ind.definition(i, lang), lang) in notes
    assert t("board.follow_up.notes_cut_off", lang, date=cut) in notes
    assert labelled(t("board.filters", lang), t("board.filter.everything", lang), lang) in notes
    assert labelled("RBD", "version 1", lang) in notes


def _norm(text: str) -> str:
    return " ".join(pdf_text(text).split())


def test_pdf_page_has_the_numbers(db, tmp_path, capsys, today):
    out = tmp_path / "deck.pdf"
    assert cli.main(["export", str(out), "--db", db, "--lang", "fr"]) == 0
    capsys.readouterr()
    page = _norm(PdfReader(str(out)).pages[POSITION - 1].extract_text())
    assert _norm(t("board.follow_up.title", "fr", period="2024")) in page
    assert _norm(t("board.follow_up.overdue", "fr", date="31 déc. 2024")) in page
    for rate in RATES.values():  # the bars' labels: 25,0 % and 100,0 %
        assert _norm(format_unit_value("share", rate, "fr")) in page
    assert "RBD 2" in page and "RBD 1 · RBN 1" in page


def test_filters_narrow_the_slide(db, today):
    """RBN only: 2 of 2 on time, nothing overdue; an implementation partnership: no agreement."""
    store = open_store(db)
    prepared = ind.prepare(*store.load_current(), load_reference(), *store.load_follow_up())
    store.close()
    deck = slides.build_deck(prepared, None, ind.Filters(regions=("RBN",)))
    slide = next(s for s in deck.slides if s.kind == "follow_up")
    assert slide.chart.categories == ("RBN Nairobi",) and slide.chart.series[0].values == (1.0,)
    assert [(f.text, f.detail) for f in slide.facts] == [
        ("0", t("board.follow_up.none_by_region", "en")),
        ("1", "RBN 1"),
    ]
    none = ind.Filters(partnership_types=("implementation",))
    deck = slides.build_deck(prepared, None, none)
    slide = next(s for s in deck.slides if s.kind == "follow_up")
    assert slide.items == (t("board.follow_up.none", "en"),) and slide.chart is None


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_store_without_agreements_says_so_in_a_sentence(tmp_path, capsys, lang):
    """The registers of tests/test_exports.py, without agreements: the slide stays, saying so
    (slide numbers do not move, and the board sees that no agreement is followed)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    hq = User("hq", ADMIN)
    for reg in _registers():
        upload = store.record_upload(reg.region, f"{reg.region}.xlsx", b"x", "Awa", user=hq)
        store.commit(reg.region, reg, upload_id=upload, uploader="Awa", expected_number=0, user=hq)
    store.close()
    pptx, pdf = tmp_path / "d.pptx", tmp_path / "d.pdf"
    for out in (pptx, pdf):
        assert cli.main(["export", str(out), "--db", url, "--year", "2024", "--lang", lang]) == 0
    capsys.readouterr()
    slide = Presentation(str(pptx)).slides[POSITION - 1]
    assert slide.shapes.title.text == t("board.follow_up.title", lang, period="2024")
    assert not any(s.has_chart for s in slide.shapes)
    assert t("board.follow_up.none", lang) in _slide_text(slide)
    page = _norm(PdfReader(str(pdf)).pages[POSITION - 1].extract_text())
    assert _norm(t("board.follow_up.none", lang)) in page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_presentation_mode_shows_the_slide(db, monkeypatch, today, lang):
    monkeypatch.setenv("DATABASE_URL", db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": lang, "present": "1", "slide": str(POSITION)})
    at.switch_page("app_pages/dashboards/board.py")
    at.run()
    assert not at.exception and not at.error
    text = " ".join(str(h.proto.body) for h in at.get("html"))
    assert t("board.follow_up.title", lang, period="2024") in text
    cut = "Dec 31, 2024" if lang == "en" else "31 déc. 2024"
    assert t("board.follow_up.overdue", lang, date=cut) in text
    assert "RBD 1 · RBN 1" in text
    [chart] = at.get("plotly_chart")
    [bars] = json.loads(chart.proto.spec)["data"]
    assert bars["orientation"] == "h"
    assert bars["y"] == list(RATES) and bars["x"] == pytest.approx(list(RATES.values()))


def test_presented_title_slide_fills_the_screen_and_says_what_it_counts(db, monkeypatch, today):
    monkeypatch.setenv("DATABASE_URL", db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "fr", "present": "1", "slide": "1"})
    at.switch_page("app_pages/dashboards/board.py")
    at.run()
    assert not at.exception and not at.error
    cover = next(str(h.proto.body) for h in at.get("html") if "bd-cover" in str(h.proto.body))
    assert "min-height: calc(100vh" in cover  # the block is centred in the slide's height
    assert t("board.deck_title", "fr", period="2024") in cover
    assert t("board.period_line", "fr", period="2024") in cover
    assert t("review.counts_latest", "fr") in cover
    # Uploaded registers, not samples: no sample-data label.
    assert t("board.sample_note", "fr").replace("'", "&#x27;") not in cover
