"""The optional Agreements and Reports sheets, read from real .xlsx files: every rule located."""

import datetime as dt
import io

import openpyxl
import pytest

from analytics.register.annotate import annotated_workbook
from analytics.register.messages import message
from analytics.register.reading import load_workbook
from analytics.register.template import write_template
from tests.workbooks import CONTRIBUTION_HEADER, PARTNER_HEADER, contribution, partner, write

AGREEMENT_HEADER = [
    "agreement_id",
    "partner_id",
    "title",
    "status",
    "signed_on",
    "signed_by",
    "officer",
    "start_date",
    "end_date",
    "amount",
    "currency",
]
REPORT_HEADER = [
    "report_id",
    "agreement_id",
    "kind",
    "due_date",
    "submitted_on",
    "approved_on",
    "sent_on",
]


def agreement(aid="A1", pid="P1", **over) -> list:
    row = {
        "agreement_id": aid,
        "partner_id": pid,
        "title": f"Agreement {aid}",
        "status": "signed",
        "signed_on": dt.date(2024, 1, 10),
        "signed_by": "Country director",
        "officer": "Awa Diop",
        "start_date": dt.date(2024, 2, 1),
        "end_date": dt.date(2025, 1, 31),
        "amount": 50000.0,
        "currency": "USD",
    }
    row.update(over)
    return [row[c] for c in AGREEMENT_HEADER]


def report_row(rid="R1", aid="A1", **over) -> list:
    row = {
        "report_id": rid,
        "agreement_id": aid,
        "kind": "activity",
        "due_date": dt.date(2024, 7, 31),
        "submitted_on": dt.date(2024, 7, 20),
        "approved_on": dt.date(2024, 8, 5),
        "sent_on": dt.date(2024, 8, 10),
    }
    row.update(over)
    return [row[c] for c in REPORT_HEADER]


def book(tmp_path, agreements=None, reports=None, contributions=None, name="a.xlsx", **sheets):
    """A valid register of RBD with the two follow-up sheets (None: the default rows)."""
    c_header = [*CONTRIBUTION_HEADER, "agreement_id"]
    contributions = contributions or [[*contribution("C1", "P1"), "A1"]]
    content = {
        "Partners": [PARTNER_HEADER, partner("P1"), partner("P2")],
        "Contributions": [c_header, *contributions],
        "Agreements": [AGREEMENT_HEADER, *(agreements or [agreement()])],
        "Reports": [REPORT_HEADER, *(reports or [report_row()])],
        **sheets,
    }
    return write(tmp_path / name, content)


def errors(result) -> list[tuple]:
    return [(i.code, i.sheet, i.row, i.column, i.value) for i in result.report.errors]


def test_a_workbook_with_both_sheets_is_read_typed(tmp_path):
    result = load_workbook(book(tmp_path), region="RBD")
    assert result.report.ok, errors(result)
    a, r = result.register.agreements, result.register.reports
    assert a["agreement_id"].tolist() == ["A1"] and a["amount"].tolist() == [50000.0]
    assert a["end_date"].iat[0].date() == dt.date(2025, 1, 31)
    assert r["kind"].tolist() == ["activity"] and r["excel_row"].tolist() == [2]
    assert result.register.contributions["agreement_id"].tolist() == ["A1"]


def test_a_workbook_without_the_sheets_stays_valid(tmp_path):
    path = write(
        tmp_path / "old.xlsx",
        {
            "Partners": [PARTNER_HEADER, partner("P1")],
            "Contributions": [CONTRIBUTION_HEADER, contribution("C1", "P1")],
        },
    )
    result = load_workbook(path, region="RBD")
    assert result.report.ok and not result.report.warnings
    assert result.register.agreements.empty and result.register.reports.empty
    assert result.register.contributions["agreement_id"].isna().all()


def test_one_sheet_without_the_other_is_an_error(tmp_path):
    path = write(
        tmp_path / "half.xlsx",
        {
            "Partners": [PARTNER_HEADER, partner("P1")],
            "Contributions": [CONTRIBUTION_HEADER, contribution("C1", "P1")],
            "Agreements": [AGREEMENT_HEADER, agreement()],
        },
    )
    result = load_workbook(path, region="RBD")
    assert [(i.code, i.sheet) for i in result.report.errors] == [("missing_sheet", "Reports")]


def test_a_hidden_follow_up_sheet_is_never_read(tmp_path):
    path = book(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["Reports"].sheet_state = "hidden"
    wb.save(path)
    result = load_workbook(path, region="RBD")
    assert [(i.code, i.sheet) for i in result.report.errors] == [("hidden_sheet", "Reports")]


def test_french_sheets_headers_and_text_dates(tmp_path):
    fr_agreements = [
        "id_accord",
        "id_partenaire",
        "intitulé",
        "statut",
        "date_signature",
        "signataire",
        "chargé_partenariat",
        "date_debut",
        "date_fin",
        "montant",
        "devise",
    ]
    fr_reports = [
        "id_rapport",
        "id_accord",
        "nature",
        "date_échéance",
        "date_remise",
        "date_approbation",
        "date_envoi",
    ]
    path = write(
        tmp_path / "fr.xlsx",
        {
            "Partenaires": [PARTNER_HEADER, partner("P1")],
            "Contributions": [CONTRIBUTION_HEADER, contribution("C1", "P1")],
            " accords ": [
                fr_agreements,
                ["A1", "P1", "Cantines", "Signé", "10/01/2024", "", "Awa Diop"]
                + ["2024-02-01", "31/01/2025", "1 234,50", "EUR"],
            ],
            "RAPPORTS": [
                fr_reports,
                ["R1", "A1", "Rapport final", "31/01/2025", "", "", ""],
            ],
        },
    )
    result = load_workbook(path, region="RBD")
    assert result.report.ok, errors(result)
    a, r = result.register.agreements, result.register.reports
    assert a["status"].tolist() == ["signed"] and a["amount"].tolist() == [1234.5]
    assert a["signed_on"].iat[0].date() == dt.date(2024, 1, 10)
    assert r["kind"].tolist() == ["final"] and r["due_date"].iat[0].date() == dt.date(2025, 1, 31)


@pytest.mark.parametrize(
    ("agreements", "expected"),
    [
        ([agreement(), agreement()], ("duplicate_id", 3, "agreement_id", "A1")),
        ([agreement("A 1")], ("bad_id", 2, "agreement_id", "A 1")),
        ([agreement(pid="P9")], ("unknown_partner", 2, "partner_id", "P9")),
        ([agreement(title=None)], ("required", 2, "title", "")),
        ([agreement(status="ongoing")], ("unknown_code", 2, "status", "ongoing")),
        ([agreement(officer=None)], ("required", 2, "officer", "")),
        ([agreement(signed_on=None)], ("required", 2, "signed_on", "")),
        (
            [agreement(signed_on=dt.date(2024, 3, 1))],
            ("signed_after_start", 2, "signed_on", "2024-03-01"),
        ),
        (
            [agreement(end_date=dt.date(2024, 1, 31))],
            ("start_after_end", 2, "start_date", "2024-02-01"),
        ),
        ([agreement(end_date=None)], ("required", 2, "end_date", "")),
        ([agreement(amount=-5)], ("not_negative", 2, "amount", "-5")),
        ([agreement(currency=None)], ("currency_required", 2, "currency", "")),
        ([agreement(currency="XAU")], ("no_rate", 2, "currency", "XAU")),
        ([agreement(currency="ZZZ")], ("bad_currency", 2, "currency", "ZZZ")),
        ([agreement(signed_on="31/02/2024")], ("bad_date", 2, "signed_on", "31/02/2024")),
    ],
)
def test_every_agreement_rule_is_located(tmp_path, agreements, expected):
    result = load_workbook(book(tmp_path, agreements=agreements), region="RBD")
    found = [e for e in errors(result) if e[1] == "Agreements"]
    assert (expected[0], "Agreements", *expected[1:]) in found, errors(result)
    assert result.report.exit_code() == 1


def test_an_amount_of_zero_and_no_amount_are_allowed(tmp_path):
    agreements = [agreement("A1", amount=0), agreement("A2", amount=None, currency=None)]
    result = load_workbook(book(tmp_path, agreements=agreements), region="RBD")
    assert result.report.ok, errors(result)


@pytest.mark.parametrize(
    ("reports", "expected"),
    [
        ([report_row(), report_row()], ("duplicate_id", 3, "report_id", "R1")),
        ([report_row(aid="A9")], ("unknown_agreement", 2, "agreement_id", "A9")),
        ([report_row(kind="monthly")], ("unknown_code", 2, "kind", "monthly")),
        ([report_row(due_date=None)], ("required", 2, "due_date", "")),
        (
            [report_row(submitted_on=None, sent_on=None)],
            ("approved_not_submitted", 2, "approved_on", "2024-08-05"),
        ),
        (
            [report_row(approved_on=dt.date(2024, 7, 1))],
            ("approved_before_submitted", 2, "approved_on", "2024-07-01"),
        ),
        (
            [report_row(sent_on=dt.date(2024, 7, 1))],
            ("sent_before_submitted", 2, "sent_on", "2024-07-01"),
        ),
    ],
)
def test_every_report_rule_is_located(tmp_path, reports, expected):
    result = load_workbook(book(tmp_path, reports=reports), region="RBD")
    found = [e for e in errors(result) if e[1] == "Reports"]
    assert (expected[0], "Reports", *expected[1:]) in found, errors(result)


def test_contribution_agreement_rules(tmp_path):
    contributions = [
        [*contribution("C1", "P1"), "A9"],  # no such agreement
        [*contribution("C2", "P2"), "A1"],  # A1 is P1's agreement
        [*contribution("C3", "P1"), None],  # no agreement named: fine
    ]
    result = load_workbook(book(tmp_path, contributions=contributions), region="RBD")
    assert errors(result) == [
        ("unknown_agreement", "Contributions", 2, "agreement_id", "A9"),
        ("agreement_other_partner", "Contributions", 3, "agreement_id", "A1"),
    ]
    other = result.report.errors[1]
    assert other.cell == "M3" and other.params == {"partner": "P1"}
    assert "P1" in message(other, "en") and "P1" in message(other, "fr")


def test_a_contribution_naming_an_agreement_without_the_sheets_is_an_error(tmp_path):
    path = write(
        tmp_path / "c.xlsx",
        {
            "Partners": [PARTNER_HEADER, partner("P1")],
            "Contributions": [
                [*CONTRIBUTION_HEADER, "agreement_id"],
                [*contribution("C1", "P1"), "A1"],
            ],
        },
    )
    result = load_workbook(path, region="RBD")
    assert errors(result) == [("unknown_agreement", "Contributions", 2, "agreement_id", "A1")]


def test_the_two_warnings_do_not_block(tmp_path):
    agreements = [agreement("A1"), agreement("A2", status="closed")]
    reports = [report_row("R1", due_date=dt.date(2025, 3, 15), submitted_on=None)]
    reports[0][5:] = [None, None]
    result = load_workbook(book(tmp_path, agreements=agreements, reports=reports), region="RBD")
    assert result.report.ok, errors(result)
    warned = [(i.code, i.sheet, i.row, i.column) for i in result.report.warnings]
    assert ("report_after_agreement_end", "Reports", 2, "due_date") in warned
    assert ("closed_without_final", "Agreements", 3, "status") in warned
    late = next(i for i in result.report.warnings if i.code == "report_after_agreement_end")
    assert "31/01/2025" in message(late, "fr") or "2025" in message(late, "fr")


def test_a_report_due_within_30_days_of_the_end_is_no_warning(tmp_path):
    reports = [report_row("R1", kind="final", due_date=dt.date(2025, 3, 2))]  # end + 30 days
    result = load_workbook(book(tmp_path, reports=reports), region="RBD")
    assert result.report.ok and not result.report.warnings


def test_messages_in_both_languages_and_marked_in_the_annotated_workbook(tmp_path):
    path = book(tmp_path, agreements=[agreement(officer=None, pid="P9")])
    result = load_workbook(path, region="RBD")
    for issue in result.report.errors:
        assert message(issue, "en") and message(issue, "fr")
        assert message(issue, "en") != message(issue, "fr")
    annotated = openpyxl.load_workbook(
        io.BytesIO(annotated_workbook(path.read_bytes(), result.report, "fr"))
    )
    sheet = annotated["Agreements"]
    assert sheet["B2"].comment is not None and "P9" in sheet["B2"].comment.text
    assert sheet["G2"].comment is not None
    assert sheet["G2"].fill.fgColor.rgb.endswith("FFC7CE")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_template_has_both_sheets_with_dropdowns_and_dates(tmp_path, lang):
    target = tmp_path / f"t-{lang}.xlsx"
    write_template(target, lang)
    wb = openpyxl.load_workbook(target)
    names = {"en": ("Agreements", "Reports"), "fr": ("Accords", "Rapports")}[lang]
    assert set(names) <= set(wb.sheetnames)
    agreements = wb[names[0]]
    heads = [c.value for c in agreements[1]]
    assert heads[0] == ("agreement_id" if lang == "en" else "id_accord")
    assert heads[6] == ("officer" if lang == "en" else "charge_partenariat")
    ranges = {
        str(dv.sqref).split(":")[0][0]: dv for dv in agreements.data_validations.dataValidation
    }
    assert ranges["D"].type == "list"  # status drop-down
    assert ranges["E"].type == "date"
    assert agreements.column_dimensions["E"].number_format != "General"
    reports = wb[names[1]]
    kinds = {str(dv.sqref).split(":")[0][0]: dv for dv in reports.data_validations.dataValidation}
    assert kinds["C"].type == "list"
    contributions = wb["Contributions"]
    assert [c.value for c in contributions[1]][-1] == (
        "agreement_id" if lang == "en" else "id_accord"
    )
    instructions = "\n".join(
        str(c.value) for row in wb[wb.sheetnames[4]].iter_rows() for c in row if c.value
    )
    assert names[0] in instructions and names[1] in instructions
    # The blank template reads back as a valid (empty) register with the two sheets.
    result = load_workbook(target, region="RBD")
    assert result.report.ok and "Agreements" in result.register.layouts
