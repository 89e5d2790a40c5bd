"""What the upload page shows of a file: the same report as the CLI, and the annotated workbook."""

import io

import openpyxl

from analytics.register.checking import check_upload
from analytics.register.parsing import decimal_separator
from tests.workbooks import contribution, valid_register


def test_errors_are_marked_in_the_annotated_copy(tmp_path):
    data = valid_register(
        tmp_path / "r.xlsx", contributions=[contribution("C1", "P1", amount="12,5,0")]
    ).read_bytes()
    checked = check_upload("r.xlsx", data, "RBD", decimal_separator("fr"))
    assert checked.counts == {"errors": 1, "warnings": 0, "partners": 2, "contributions": 1}
    assert "1 erreur" in checked.summary("fr")
    assert list(checked.table("fr").columns)[:4] == ["Gravité", "Feuille", "Ligne", "Colonne"]
    book = openpyxl.load_workbook(io.BytesIO(checked.annotated("fr")))
    cell = book["Contributions"]["F2"]  # amount is the 6th column, first data row is Excel row 2
    assert cell.value == "12,5,0"
    assert cell.fill.fgColor.rgb.endswith("FFC7CE") and cell.comment is not None
    errors_sheet = book.worksheets[-1]
    assert errors_sheet.max_row == 2  # its header and the one error


def test_valid_file_has_no_annotated_copy_and_unreadable_file_says_why(tmp_path):
    good = check_upload("r.xlsx", valid_register(tmp_path / "r.xlsx").read_bytes(), "RBD")
    assert good.annotated("en") is None and good.counts["contributions"] == 2
    bad = check_upload("r.xlsx", b"%PDF-1.4", "RBD")
    assert (
        bad.result.report.unreadable
        and "not an Excel workbook" in bad.summary("en")
        and bad.annotated("en") is None
    )
