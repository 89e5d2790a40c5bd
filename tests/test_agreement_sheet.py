"""The accountability sheet of one agreement: built from a real store, printed on one A4 page
(read back with pypdf), from `python -m analytics agreement-sheet` and from the agreements page."""

import datetime as dt
import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from analytics.access.roles import ADMIN, User
from analytics.board import agreement_sheet
from analytics.board.agreement_sheet_pdf import write_pdf
from analytics.cli import main
from analytics.i18n import fmt_number, fmt_percent, t
from analytics.reference.load import load_reference
from analytics.services import ingest
from analytics.store.versions import open_store
from analytics.text import plain
from tests.conftest import ROOT
from tests.test_agreements_register import book, report_row
from tests.test_pages import _use_store, open_page
from tests.workbooks import PARTNER_HEADER, contribution, partner

HQ = User("hq", ADMIN)
PAGE = "app_pages/dashboards/agreements.py"
TODAY = dt.date.today()
# R2 (financial) was due on 31 Dec 2024 and never came: overdue by this many days today.
R2_LATE = (TODAY - dt.date(2024, 12, 31)).days

# Under A1 (50 000 USD committed, signed in 2024: 50 000 USD at 1 USD per USD):
#   C1 received 10 000 USD on 15 Mar 2024                   -> 10 000.00 USD
#   C2 received  2 000 EUR on 10 Jun 2024 (1.04079 in 2024)  ->  2 081.58 USD
#   C3 pledged   5 000 USD                                   -> not received, not counted
#   received 12 081.58 / committed 50 000 = 0.2416316 -> 24.2 % (24,2 % in French)
RECEIVED_SHARE = 12_081.58 / 50_000


def _contributions(region_partner="P1"):
    c = [
        contribution("C1", region_partner, amount=10_000.0),
        contribution("C2", region_partner, date=dt.date(2024, 6, 10), amount=2000.0),
        contribution("C3", region_partner, date=dt.date(2024, 9, 1), status="pledged"),
    ]
    c[1][6] = "EUR"  # currency
    c[2][5] = 5000.0  # amount
    return [[*row, "A1"] for row in c]


def _commit(store, path: Path, region: str = "RBD"):
    prepared = ingest.prepare(store, path.read_bytes(), path.name, region, "Awa", user=HQ)
    assert prepared.report.ok, prepared.report.errors
    return ingest.commit(store, prepared, "Awa", user=HQ, reason="test")


@pytest.fixture
def sheet_store(tmp_path) -> str:
    """RBD's register: partner P1, agreement A1 with an on-time and an overdue report, three
    contributions under it; committed twice, so that the current version is number 2."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    reports = [
        report_row("R1"),  # activity, due 31 Jul 2024, submitted 20 Jul 2024: on time
        report_row(
            "R2",
            kind="financial",
            due_date=dt.date(2024, 12, 31),
            submitted_on=None,
            approved_on=None,
            sent_on=None,
        ),  # fmt: skip
    ]
    store = open_store(url)
    try:
        _commit(store, book(tmp_path, reports=reports, name="v1.xlsx"))
        path = book(tmp_path, reports=reports, contributions=_contributions(), name="v2.xlsx")
        _commit(store, path)
    finally:
        store.close()
    return url


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def _plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_sheet_prints_on_one_page_with_its_reports_and_money(sheet_store, lang):
    sheet = agreement_sheet.sheet_from_store(sheet_store, "A1", None, lang, TODAY)
    assert sheet.received_share == pytest.approx(RECEIVED_SHARE)
    pages, text = _text(write_pdf(sheet))
    assert pages == 1
    assert "Partner P1" in text and "A1" in text
    assert _plain(t("agreement_sheet.heading", lang, title="Agreement A1")) in text
    overdue = t("agreement_sheet.overdue", lang, count=R2_LATE, days=fmt_number(R2_LATE, lang))
    assert _plain(overdue) in text
    assert _plain(t("agreement_sheet.on_time", lang)) in text
    assert _plain(fmt_percent(RECEIVED_SHARE, lang)) in text  # 24.2% / 24,2 %
    assert ("24.2%" if lang == "en" else "24,2 %") in text
    # The kinds and statuses are the code lists' labels, in the language.
    kind = {"en": "Financial report", "fr": "Rapport financier"}[lang]
    assert kind in text
    as_of = t("agreement_sheet.as_of", lang, date="", version=2, region="RBD")
    assert _plain(as_of.split(",")[-1]) in text  # "data version 2 of region RBD"


def test_the_reports_states_and_the_contributions_rows(sheet_store):
    sheet = agreement_sheet.sheet_from_store(sheet_store, "A1", "rbd", "en", TODAY)
    states = [row[-1] for row in sheet.reports.rows]
    assert states == ["On time", f"Overdue by {fmt_number(R2_LATE, 'en')} days"]
    # Each is the first of its kind: it covers the agreement's start (1 Feb 2024) to its due date.
    assert [row[1] for row in sheet.reports.rows] == [
        "Feb 1, 2024 – Jul 31, 2024",
        "Feb 1, 2024 – Dec 31, 2024",
    ]
    assert [row[5] for row in sheet.reports.rows] == ["Aug 10, 2024", "—"]  # sent to the partner
    assert [row[0] for row in sheet.contributions.rows] == [
        "Mar 15, 2024",
        "Jun 10, 2024",
        "Sep 1, 2024",
    ]
    assert [row[3] for row in sheet.contributions.rows] == ["$10,000", "$2,081.58", "$5,000"]
    assert [row[4] for row in sheet.contributions.rows] == ["Received", "Received", "Pledged"]
    assert sheet.money_line == "Received $12,081.58 of $50,000 committed (24.2%)."


def test_late_and_not_yet_due_reports():
    # Submitted on 5 Aug for a report due on 31 Jul: 5 days late; due tomorrow: not yet due.
    assert agreement_sheet.report_state(dt.date(2024, 7, 31), dt.date(2024, 8, 5), TODAY, "fr") == (
        "En retard de 5 jours"
    )
    tomorrow = TODAY + dt.timedelta(days=1)
    assert agreement_sheet.report_state(tomorrow, None, TODAY, "en") == "Not yet due"
    assert agreement_sheet.report_state(TODAY, None, TODAY, "en") == "Not yet due"


def test_an_id_in_two_regions_needs_the_region(sheet_store, tmp_path, capsys):
    """Agreement ids are unique per region: RBN also has an A1, so the command asks which."""
    rbn = book(
        tmp_path,
        name="rbn.xlsx",
        contributions=[[*contribution("C1", "P1", country="KEN"), "A1"]],
        Partners=[
            PARTNER_HEADER,
            partner("P1", region="RBN", country="KEN", partner_name="Nairobi Partner"),
        ],
    )
    store = open_store(sheet_store)
    try:
        _commit(store, rbn, "RBN")
    finally:
        store.close()
    out = tmp_path / "a1.pdf"
    assert main(["agreement-sheet", "A1", str(out), "--db", sheet_store]) == 1
    err = capsys.readouterr().err
    assert "'A1'" in err and "RBD, RBN" in err and "--region" in err
    assert main(["agreement-sheet", "A1", str(out), "--db", sheet_store, "--region", "RBN"]) == 0
    _, text = _text(out.read_bytes())
    assert "Nairobi Partner" in text and "Partner P1" not in text


def test_the_command_writes_the_sheet(sheet_store, tmp_path):
    out = tmp_path / "sheet.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "agreement-sheet", "A1", str(out), "--lang", "fr",
         "--db", sheet_store],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages, text = _text(out.read_bytes())
    assert pages == 1 and "Partner P1" in text and "24,2 %" in text


def test_an_unknown_agreement_is_exit_1_naming_it(sheet_store, tmp_path, capsys):
    assert main(["agreement-sheet", "NOPE-9", str(tmp_path / "x.pdf"), "--db", sheet_store]) == 1
    assert "'NOPE-9'" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_bad_usage_is_exit_2(sheet_store, tmp_path, capsys):
    assert main(["agreement-sheet", "A1", str(tmp_path / "x.pptx"), "--db", sheet_store]) == 2
    assert "'x.pptx'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["agreement-sheet", "A1"])
    assert stop.value.code == 2


def test_the_page_opens_the_profile_from_the_link(sheet_store, tmp_path, monkeypatch):
    _use_store(monkeypatch, sheet_store, tmp_path / "no-samples")
    at = open_page(PAGE, agreement="A1")
    # The heading holds the title as typed, shown as text (Markdown escaped).
    assert plain(t("agreement_sheet.heading", "en", title="Agreement A1")) in [
        s.value for s in at.subheader
    ]
    shown = " ".join(str(m.value) for m in at.markdown)
    assert "Partner P1" in shown and "24.2%" in shown
    frames = [d.value for d in at.dataframe]
    states = next(f for f in frames if "State" in f.columns)["State"].tolist()
    assert states == ["On time", f"Overdue by {fmt_number(R2_LATE, 'en')} days"]
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == [t("pages.agreements.download_sheet", "en")]


def test_the_page_in_french_and_a_pick_from_the_list_goes_to_the_link(
    sheet_store, tmp_path, monkeypatch
):
    _use_store(monkeypatch, sheet_store, tmp_path / "no-samples")
    at = open_page(PAGE, lang="fr")
    assert "agreement" not in at.query_params
    assert t("pages.agreements.pick_hint", "fr") in [c.value for c in at.caption]
    at.selectbox(key="agreement_pick").select("RBD:A1").run()
    assert not at.exception
    assert at.query_params["agreement"] in ("RBD:A1", ["RBD:A1"])
    shown = " ".join(str(m.value) for m in at.markdown)
    assert "24,2 %" in _plain(shown)
    frames = [d.value for d in at.dataframe]
    states = next(f for f in frames if "État" in f.columns)["État"].tolist()
    assert states == ["À temps", f"Non remis, {fmt_number(R2_LATE, 'fr')} jours de retard"]
    assert [b.proto.label for b in at.get("download_button")] == [
        t("pages.agreements.download_sheet", "fr")
    ]
    # Back to "choose an agreement": the profile closes and the link forgets it.
    at.selectbox(key="agreement_pick").select("").run()
    assert "agreement" not in at.query_params
    assert not at.get("download_button")


def test_an_unknown_agreement_in_the_link_is_a_warning(sheet_store, tmp_path, monkeypatch):
    _use_store(monkeypatch, sheet_store, tmp_path / "no-samples")
    at = open_page(PAGE, agreement="RBD:NOPE")
    assert [w.value for w in at.warning] == [t("pages.agreements.not_found", "en", ref="NOPE")]


def test_a_long_agreement_still_prints_on_one_page(sheet_store):
    """60 reports and 60 contributions: the first rows, and a line saying how many are left out."""
    sheet = agreement_sheet.sheet_from_store(sheet_store, "A1", "RBD", "en", TODAY)
    many = replace(
        sheet,
        reports=replace(sheet.reports, rows=sheet.reports.rows * 30),
        contributions=replace(sheet.contributions, rows=sheet.contributions.rows * 20),
    )
    pages, text = _text(write_pdf(many))
    assert pages == 1
    assert "more rows" in text and "Partner P1" in text


def test_links_name_an_agreement_with_or_without_its_region():
    assert agreement_sheet.parse_ref("rbd:A-01") == ("RBD", "A-01")
    assert agreement_sheet.parse_ref("A-01") == (None, "A-01")
    assert agreement_sheet.parse_ref("") is None
    refs = ["RBD:A1", "RBN:A1", "RBN:A2"]
    assert agreement_sheet.match_ref(refs, (None, "A2")) == "RBN:A2"
    assert agreement_sheet.match_ref(refs, (None, "A1")) is None  # in two regions
    assert agreement_sheet.match_ref(refs, ("RBD", "A1")) == "RBD:A1"


def test_a_final_report_covers_the_whole_agreement(sheet_store):
    store = open_store(sheet_store)
    try:
        partners, contributions = store.load_current()
        agreements, reports = store.load_follow_up()
    finally:
        store.close()
    final = reports.iloc[[0]].assign(
        report_id="R3", kind="final", due_date=pd.Timestamp("2025-03-31"), submitted_on=pd.NaT
    )
    reports = pd.concat([reports, final], ignore_index=True)
    frames = (partners, contributions, agreements, reports)
    sheet = agreement_sheet.build_sheet(*frames, load_reference(), "A1", "RBD", "en", TODAY)
    # A1 runs from 1 Feb 2024 to 31 Jan 2025; R3, due 31 Mar 2025, was never submitted.
    assert sheet.reports.rows[-1][:3] == (
        "Final report",
        "Feb 1, 2024 – Jan 31, 2025",
        "Mar 31, 2025",
    )
    assert sheet.reports.rows[-1][-1].startswith("Overdue by ")
    assert sheet.as_of.endswith("data version — of region RBD")  # no versions given


def test_approved_counts_the_approved_version_only(sheet_store, tmp_path, capsys):
    """`--approved` reads each region's latest approved version (store.reviews, as `indicators
    --approved` and the app's switch): nothing approved yet is "no such agreement" (exit 1); with
    RBD's version 1 approved the sheet is written from it (v1 holds only book()'s default
    contribution C1 under A1); A2, added only in a version 3 not yet approved, is exit 1 again."""
    from analytics.services import review
    from tests.test_agreements_register import agreement
    from tests.test_review_counting import DIANE

    out = tmp_path / "approved.pdf"
    argv = ["agreement-sheet", "A1", str(out), "--db", sheet_store, "--approved"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert t("agreement_sheet.not_found_approved", "en", id="A1", where="") in err
    assert "--approved" in err and not out.exists()

    store = open_store(sheet_store)
    try:
        review.approve(store, "RBD", user=DIANE, number=1)
        path = book(
            tmp_path,
            agreements=[agreement(), agreement("A2", title="Only in version 3")],
            contributions=_contributions(),
            name="v3.xlsx",
        )
        _commit(store, path)
    finally:
        store.close()
    assert main(argv) == 0
    pages, text = _text(out.read_bytes())
    # Version 1: only C1, 1 000 USD received under A1 -> $1,000 of $50,000 = 0.02 -> 2.0%.
    assert pages == 1 and "Partner P1" in text
    assert "data version 1 of region RBD" in text
    assert "Received $1,000 of $50,000 committed (2.0%)." in text
    latest = tmp_path / "latest.pdf"
    assert main(["agreement-sheet", "A1", str(latest), "--db", sheet_store]) == 0
    _, text = _text(latest.read_bytes())
    assert "data version 3 of region RBD" in text and "24.2%" in text  # v3's contributions

    capsys.readouterr()
    a2 = tmp_path / "a2.pdf"
    assert main(["agreement-sheet", "A2", str(a2), "--db", sheet_store, "--approved"]) == 1
    assert t("agreement_sheet.not_found_approved", "en", id="A2", where="") in (
        capsys.readouterr().err
    )
    assert not a2.exists()
    assert main(["agreement-sheet", "A2", str(a2), "--db", sheet_store]) == 0  # the latest has it
    assert "Only in version 3" in _text(a2.read_bytes())[1]
