"""Reading and validating real .xlsx registers through load_workbook, the app's entry point."""

import datetime as dt
import re

import pandas as pd
import pytest

from analytics.register.messages import message
from analytics.register.parsing import decimal_separator
from analytics.register.reading import load_workbook
from tests.workbooks import (
    CONTRIBUTION_HEADER,
    PARTNER_HEADER,
    contribution,
    partner,
    valid_register,
    write,
)


def codes(result) -> list[str]:
    return [i.code for i in result.report.errors]


def test_valid_register_reads_typed_frames(tmp_path):
    """A clean workbook gives no error and typed frames."""
    result = load_workbook(valid_register(tmp_path / "ok.xlsx"), region="RBD")
    assert result.report.ok and result.report.exit_code() == 0
    p, c = result.register.partners, result.register.contributions
    assert p["partner_id"].tolist() == ["P1", "P2"]
    assert p["start_date"].iloc[0] == pd.Timestamp(2023, 1, 5)
    assert p["has_kpis"].iloc[0] is True or bool(p["has_kpis"].iloc[0]) is True
    assert c["amount"].tolist() == [1000.0, 250.5]
    assert c["excel_row"].tolist() == [2, 3]
    assert result.register.region == "RBD"


def test_french_messy_register_is_understood(tmp_path):
    """French sheet and headers, title rows, labels, oui/x, text dates and amounts as people type them."""
    fr_partners = [
        "id_partenaire",
        "Nom du partenaire",
        "Catégorie",
        "secteur",
        "Type de partenariat",
        "Région",
        "pays",
        "étape",
        "date_debut",
        "date_fin",
        "DILIGENCE",
        "date diligence",
        "référent",
        "indicateurs_suivi",
        "dernière_revue",
        "évalué",
        "objectifs stratégiques",
        "Notes internes",
    ]
    fr_contribs = [
        "id_contribution",
        "id_partenaire",
        "date",
        "statut",
        "nature",
        "montant",
        "devise",
        "pays",
        "type_partenariat",
        "domaine",
        "pluriannuel",
        "description",
    ]
    path = write(
        tmp_path / "fr.xlsx",
        {
            "Consignes": [["lisez-moi"]],
            "  partenaires ": [
                ["Registre des partenariats — Bureau de Dakar"],
                [],
                fr_partners,
                [
                    " P-01 ",
                    "Sahel Logistics",
                    "Entreprise",
                    "Banque",
                    "Mobilisation de ressources",
                    "rbd",
                    "Sénégal",
                    "Actif",
                    "05/01/2023",
                    None,
                    "Validée",
                    "2022-12-01",
                    "Awa",
                    "oui",
                    dt.date.today(),
                    "x",
                    "SO1; so2",
                    "à relancer",
                ],
            ],
            "CONTRIBUTIONS": [
                fr_contribs,
                [
                    "C-1",
                    "P-01",
                    "15/03/2024",
                    "Reçu",
                    "En nature",
                    "1 234,50",
                    "xof",
                    "SEN",
                    None,
                    "Repas scolaires",
                    "Oui",
                    "Cantines",
                ],
                [
                    "C-2",
                    "P-01",
                    "2024-04-01",
                    "promis",
                    "financière",
                    "1,234.50",
                    "EUR",
                    None,
                    "plaidoyer",
                    None,
                    "non",
                    None,
                ],
            ],
        },
    )
    result = load_workbook(path, region="RBD", decimal=decimal_separator("fr"))
    assert result.report.errors == [], result.report.errors
    p, c = result.register.partners, result.register.contributions
    row = p.iloc[0]
    assert (
        row.partner_id,
        row.category,
        row.partnership_type,
        row.region,
        row.country,
        row.stage,
    ) == ("P-01", "company", "resource_mobilization", "RBD", "SEN", "active")
    assert row.due_diligence == "cleared" and row.due_diligence_date == pd.Timestamp(2022, 12, 1)
    assert row.strategic_objectives == "SO1;SO2"
    assert bool(row.has_kpis) and bool(row.evaluated)
    assert p["excel_row"].tolist() == [4]  # two title rows, header on row 3
    assert '"Notes internes": "à relancer"' in row.extra
    assert c["amount"].tolist() == [1234.5, 1234.5]
    assert c["date"].tolist() == [pd.Timestamp(2024, 3, 15), pd.Timestamp(2024, 4, 1)]
    assert c["status"].tolist() == ["received", "pledged"] and c["kind"].tolist() == [
        "in_kind",
        "financial",
    ]
    assert c["currency"].tolist() == ["XOF", "EUR"]
    assert c["partnership_type"].isna().tolist() == [True, False]
    assert c["multi_year"].tolist() == [True, False]


def test_formulas_give_their_cached_values(tmp_path):
    """A formula cell is read as the value Excel computed and saved with it."""
    src = valid_register(tmp_path / "f.xlsx")
    # openpyxl cannot compute formulas, so write the cached value into the sheet XML as Excel does.
    import zipfile

    data = {}
    with zipfile.ZipFile(src) as z:
        for n in z.namelist():
            data[n] = z.read(n)
    sheet = "xl/worksheets/sheet2.xml"
    xml = data[sheet].decode()
    start = xml.index('<c r="F2"')
    end = xml.index("</c>", start) + 4
    xml = xml[:start] + '<c r="F2"><f>400*2.5</f><v>1000</v></c>' + xml[end:]
    data[sheet] = xml.encode()
    out = tmp_path / "formula.xlsx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in data.items():
            z.writestr(n, b)
    result = load_workbook(out, region="RBD")
    assert result.report.ok
    assert result.register.contributions["amount"].iloc[0] == 1000.0


# One row per rule: (sheet, column, good value, bad value, expected error code).
RULES = [
    ("p", "partner_id", "ABC-1.x_2", "has space", "bad_id"),
    ("p", "partner_id", "P9", "X" * 41, "bad_id"),
    ("p", "partner_name", "Acme", None, "required"),
    ("p", "category", "Fondation", "Entreprize", "unknown_code"),
    ("p", "partnership_type", "innovation", "lobbying", "unknown_code"),
    ("p", "region", "RBD", "RBN", "region_mismatch"),
    ("p", "country", "KEN", "ZZZ", "bad_country"),
    ("p", "stage", "closed", "paused", "unknown_code"),
    ("p", "start_date", "2023-01-05", "31/02/2023", "bad_date"),
    ("p", "start_date", dt.date(2023, 1, 5), None, "start_date_required"),
    ("p", "end_date", dt.date(2025, 1, 1), dt.date(2020, 1, 1), "start_after_end"),
    ("p", "due_diligence", "in_progress", "done", "unknown_code"),
    ("p", "due_diligence_date", dt.date(2022, 1, 1), None, "due_diligence_date_required"),
    ("p", "has_kpis", "non", "maybe", "bad_bool"),
    ("p", "last_review", "01/06/2026", "yesterday", "bad_date"),
    ("p", "evaluated", "1", "perhaps", "bad_bool"),
    ("p", "strategic_objectives", "SO1;SO3", "SO1;SO99", "unknown_code"),
    ("c", "contribution_id", "C-9", "C 9", "bad_id"),
    ("c", "partner_id", "P1", "P404", "unknown_partner"),
    ("c", "date", "15/03/2024", "2024-13-01", "bad_date"),
    ("c", "date", 45292, 2024, "number_in_date"),  # a serial day count; a year is not a date
    ("c", "status", "Promis", "paid", "unknown_code"),
    ("c", "kind", "en nature", "cash", "unknown_code"),
    ("c", "amount", "1 234,50", "12abc", "bad_number"),
    ("c", "amount", 5, -5, "not_positive"),
    ("c", "amount", 10**12, 10**12 + 1, "amount_too_large"),
    ("c", "amount", 5, None, "required"),
    ("c", "currency", "EUR", "EURO", "bad_currency"),
    ("c", "currency", "EUR", "XAU", "no_rate"),
    ("c", "country", "SEN", "Atlantis", "bad_country"),
    ("c", "partnership_type", "advocacy", "charity", "unknown_code"),
    ("c", "thematic_area", "nutrition", "space", "unknown_code"),
    ("c", "multi_year", "oui", "sometimes", "bad_bool"),
]


def _register_with(tmp_path, sheet, column, value):
    if sheet == "p":
        row = partner("P1", **{column: value})
        pid = value if column == "partner_id" else "P1"
        return valid_register(
            tmp_path / "r.xlsx", partners=[row], contributions=[contribution("C1", pid)]
        )
    return valid_register(
        tmp_path / "r.xlsx",
        partners=[partner("P1")],
        contributions=[contribution("C1", "P1", **{column: value})],
    )


@pytest.mark.parametrize(("sheet", "column", "good", "bad", "code"), RULES)
def test_each_rule_accepts_good_and_rejects_bad(tmp_path, sheet, column, good, bad, code):
    """The good value passes; the bad one is an error located on its cell with the typed value."""
    ok = load_workbook(_register_with(tmp_path, sheet, column, good), region="RBD")
    assert ok.report.errors == [], ok.report.errors
    bad_result = load_workbook(_register_with(tmp_path, sheet, column, bad), region="RBD")
    assert code in codes(bad_result)
    issue = next(i for i in bad_result.report.errors if i.code == code)
    header = PARTNER_HEADER if sheet == "p" else CONTRIBUTION_HEADER
    expected_column = {"no_rate": "currency", "start_after_end": "start_date"}.get(code, column)
    assert issue.row == 2 and issue.sheet == ("Partners" if sheet == "p" else "Contributions")
    assert issue.column == expected_column and issue.column in header
    assert message(issue, "en") and not message(issue, "en").startswith("errors.")
    if bad is not None and code not in ("start_after_end", "no_rate"):
        assert issue.value == str(bad)
    assert bad_result.report.exit_code() == 1


def test_duplicate_ids_are_reported_on_each_row(tmp_path):
    """Two partners with one id: both rows named."""
    result = load_workbook(
        valid_register(tmp_path / "d.xlsx", partners=[partner("P1"), partner("P1")]), region="RBD"
    )
    dup = [i for i in result.report.errors if i.code == "duplicate_id"]
    assert [i.row for i in dup] == [2, 3]


def test_warnings_do_not_block(tmp_path):
    """Beneficiary outside the region, old review, gift after the end, no due diligence: warnings only."""
    old = dt.date.today() - dt.timedelta(days=400)
    path = valid_register(
        tmp_path / "w.xlsx",
        partners=[
            partner(
                "P1",
                last_review=old,
                end_date=dt.date(2024, 1, 31),
                due_diligence="in_progress",
                due_diligence_date=None,
            )
        ],
        contributions=[contribution("C1", "P1", country="KEN", date=dt.date(2024, 3, 1))],
    )
    result = load_workbook(path, region="RBD")
    assert result.report.errors == []
    assert result.report.exit_code() == 0
    assert sorted(i.code for i in result.report.warnings) == [
        "after_partnership_end",
        "country_outside_region",
        "no_due_diligence",
        "review_overdue",
    ]


def test_ambiguous_amount_is_read_and_flagged(tmp_path):
    """'1,500' is 1500 in English and 1.5 in French, with a warning either way."""
    path = valid_register(
        tmp_path / "a.xlsx",
        partners=[partner("P1")],
        contributions=[contribution("C1", "P1", amount="1,500")],
    )
    en = load_workbook(path, region="RBD", decimal=decimal_separator("en"))
    fr = load_workbook(path, region="RBD", decimal=decimal_separator("fr"))
    assert en.register.contributions["amount"].iloc[0] == 1500.0
    assert fr.register.contributions["amount"].iloc[0] == 1.5
    assert [i.code for i in en.report.warnings] == ["ambiguous_number"]


def test_region_is_inferred_when_not_given(tmp_path):
    """Without --region the workbook's own region is used; two regions in one workbook is an error."""
    ok = load_workbook(valid_register(tmp_path / "i.xlsx"))
    assert ok.register.region == "RBD" and ok.report.ok
    mixed = load_workbook(
        valid_register(tmp_path / "m.xlsx", partners=[partner("P1"), partner("P2", region="RBN")])
    )
    assert "mixed_regions" in codes(mixed)


def test_messages_follow_the_language(tmp_path):
    """The same error in English and in French."""
    path = _register_with(tmp_path, "c", "amount", "12abc")
    en = message(load_workbook(path, region="RBD").report.errors[0], "en")
    fr = message(load_workbook(path, region="RBD").report.errors[0], "fr")
    assert "is not a number" in en and "n'est pas un nombre" in fr


# Cells a reader shows as empty but that hold something: column, as typed, error code.
HIDDEN_VALUES = [
    ("amount", "#N/A", "excel_error"),
    ("description", "#REF!", "excel_error"),
    ("amount", "=400*2.5", "formula_no_value"),  # openpyxl, as any script, saves no value
    ("description", "=A2&B2", "formula_no_value"),
]


@pytest.mark.parametrize(("column", "typed", "code"), HIDDEN_VALUES)
def test_cells_read_as_empty_are_named(tmp_path, column, typed, code):
    """#N/A, #REF! and formulas never computed are errors at their cell, not 'required' or blank."""
    path = valid_register(
        tmp_path / "e.xlsx",
        partners=[partner("P1")],
        contributions=[contribution("C1", "P1", **{column: typed})],
    )
    result = load_workbook(path, region="RBD")
    (error,) = result.report.errors  # one error per cell
    letter = "ABCDEFGHIJKL"[CONTRIBUTION_HEADER.index(column)]
    assert (error.cell, error.row, error.column, error.code) == (f"{letter}2", 2, column, code)
    if code == "excel_error":
        assert error.value == typed
    else:
        assert "formula with no computed value" in message(error, "en")


def test_trailing_blank_rows_and_extra_sheets_are_ignored(tmp_path):
    """Empty rows below the data and unrelated sheets are not rows of the register."""
    path = write(
        tmp_path / "b.xlsx",
        {
            "Notes": [["anything"]],
            "Partners": [PARTNER_HEADER, partner("P1"), [None] * 5, [""] * 3],
            "Contributions": [CONTRIBUTION_HEADER, contribution("C1", "P1"), [None]],
        },
    )
    result = load_workbook(path, region="RBD")
    assert result.report.ok
    assert len(result.register.partners) == 1 and len(result.register.contributions) == 1


def test_a_number_in_a_date_column_is_a_date_only_when_plausible(tmp_path):
    """45292 is 2024-01-01; 2024 (a year typed as a number) is not read as 1905-07-16."""
    path = valid_register(
        tmp_path / "n.xlsx",
        partners=[partner("P1")],
        contributions=[contribution("C1", "P1", date=45292), contribution("C2", "P1", date=2024)],
    )
    result = load_workbook(path, region="RBD")
    (error,) = result.report.errors
    assert (error.cell, error.code, error.value) == ("C3", "number_in_date", "2024")
    assert message(error, "en") == "2024 is a number, not a date: type a date such as 31/12/2024."
    assert result.register.contributions["date"].iloc[0] == pd.Timestamp(2024, 1, 1)
    fr = message(load_workbook(path, region="RBD").report.errors[0], "fr")
    assert fr == "2024 est un nombre, pas une date\u00a0: saisissez une date comme 31/12/2024."


def test_amounts_must_be_finite_numbers(tmp_path):
    """inf, NaN and 1e309 never pass, whether the cell is a number or text."""
    import zipfile

    typed = ["inf", "1e309", "NaN", "1" + "0" * 400]
    rows = [contribution(f"C{i}", "P1", amount=v) for i, v in enumerate([*typed, 1, 2, 3], 1)]
    path = valid_register(tmp_path / "inf.xlsx", partners=[partner("P1")], contributions=rows)
    # Number cells holding what no one can type in Excel but a file can say (F6 to F8).
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet2.xml"].decode()
    for ref, value in (("F6", "1e309"), ("F7", "NaN"), ("F8", "-INF")):
        xml = re.sub(rf'<c r="{ref}"[^>]*>.*?</c>', f'<c r="{ref}"><v>{value}</v></c>', xml)
    parts["xl/worksheets/sheet2.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    result = load_workbook(path, region="RBD")
    found = {i.cell: i.code for i in result.report.errors}
    assert found == {
        "F2": "bad_number",
        "F3": "bad_number",
        "F4": "bad_number",
        "F5": "not_finite",
        "F6": "not_finite",
        "F7": "not_finite",
        "F8": "not_finite",
    }
    assert result.report.exit_code() == 1


def test_extra_column_next_to_a_cell_not_understood_is_kept(tmp_path):
    """A sheet with an extra column and a cell not understood: the error is located, the extra
    column keeps its own header (the header row was once replaced by the cell's column header
    when a cell was not understood, and reading the extra columns then failed)."""
    path = write(
        tmp_path / "extra.xlsx",
        {
            "Partners": [PARTNER_HEADER, partner("P1")],
            "Contributions": [
                [*CONTRIBUTION_HEADER, "Notes"],
                [*contribution("C1", "P1", date="soon"), "call back"],
            ],
        },
    )
    result = load_workbook(path, region="RBD")
    assert codes(result) == ["bad_date"]
    error = result.report.errors[0]
    # date is the third column (C); the only row is row 2, under the header.
    assert (error.sheet, error.column, error.cell) == ("Contributions", "date", "C2")
    assert result.register.contributions["extra"].tolist() == ['{"Notes": "call back"}']
