"""The command line's contract (spec, "Command line") and the template written from the schema."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from analytics.cli import main as cli_main
from analytics.i18n import catalogue
from analytics.reference.load import load_reference
from analytics.register.parsing import decimal_separator
from analytics.register.reading import load_workbook
from schemas.workbook import Contributions, Partners, columns_of
from tests.workbooks import contribution, partner, valid_register

ROOT = Path(__file__).resolve().parent.parent
ITEM_KEYS = {"sheet", "row", "column", "value", "code", "message"}


def run_cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_validate_json_shape_on_a_workbook_with_errors(tmp_path):
    path = valid_register(
        tmp_path / "r.xlsx",
        partners=[
            partner("P1"),
            partner("P2", due_diligence="in_progress", due_diligence_date=None),
        ],
        contributions=[contribution("C1", "P1", amount="abc"), contribution("C2", "P9")],
    )
    run = run_cli("validate", str(path), "--region", "RBD", "--format", "json")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert set(report) == {"errors", "warnings"}
    assert report["errors"] and report["warnings"]
    for item in report["errors"] + report["warnings"]:
        assert set(item) == ITEM_KEYS
    by_code = {e["code"]: e for e in report["errors"]}
    # Row numbers are Excel's: the header is row 1, so C1 is row 2 and C2 row 3.
    assert by_code["bad_number"] == {
        **by_code["bad_number"],
        "sheet": "Contributions",
        "row": 2,
        "column": "amount",
        "value": "abc",
    }
    assert by_code["unknown_partner"]["row"] == 3 and by_code["unknown_partner"]["value"] == "P9"


def test_validate_exit_0_with_warnings_and_text_report(tmp_path):
    path = valid_register(
        tmp_path / "r.xlsx",
        partners=[
            partner("P1"),
            partner("P2", due_diligence="in_progress", due_diligence_date=None),
        ],
    )
    run = run_cli("validate", str(path), "--region", "RBD")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 warning" in run.stdout and "Partners" in run.stdout


def test_validate_region_mismatch_is_an_error(tmp_path, capsys):
    path = valid_register(tmp_path / "r.xlsx")  # rows are for RBD
    assert cli_main(["validate", str(path), "--region", "RBN", "--format", "json"]) == 1
    codes = {e["code"] for e in json.loads(capsys.readouterr().out)["errors"]}
    assert "region_mismatch" in codes


@pytest.mark.parametrize(
    "lang, sheets",
    [("en", ["Partners", "Contributions"]), ("fr", ["Partenaires", "Contributions"])],
)
def test_template_has_the_schema_columns_dropdowns_and_instructions(tmp_path, lang, sheets):
    out = tmp_path / f"template-{lang}.xlsx"
    assert cli_main(["template", str(out), "--lang", lang]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == sheets
    assert len(book.sheetnames) >= 3  # instructions (and the hidden lists)
    reference = load_reference()
    for model, name in zip((Partners, Contributions), sheets, strict=True):
        sheet = book[name]
        columns = columns_of(model)
        header = [c.value for c in sheet[1]][: len(columns)]
        assert header == [
            catalogue("fr")[f"headers.{c.name}"] if lang == "fr" else c.name for c in columns
        ]
        assert lang != "fr" or header[0] in ("id_partenaire", "id_contribution")
        assert sheet.freeze_panes == "A2"
        assert all(sheet.cell(1, i + 1).comment is not None for i in range(len(columns)))
        validated = {
            str(r).split(":")[0].rstrip("0123456789")
            for dv in sheet.data_validations.dataValidation
            for r in dv.sqref.ranges
        }
        for i, col in enumerate(columns, start=1):
            if col.kind in ("code", "bool", "date", "number"):
                assert openpyxl.utils.get_column_letter(i) in validated, col.name
    # The drop-down of partner categories offers the labels in the template's language.
    lists = book[book.sheetnames[-1]]
    values = {c.value for row in lists.iter_rows() for c in row if c.value}
    assert set(reference.labels("category", lang).values()) <= values


def test_blank_template_reads_back_as_an_empty_register(tmp_path):
    out = tmp_path / "t.xlsx"
    assert cli_main(["template", str(out), "--lang", "fr"]) == 0
    result = load_workbook(out, region="RBD", decimal=decimal_separator("fr"))
    assert not result.report.errors and not result.report.unreadable
    assert {w.code for w in result.report.warnings} == {"empty_register"}


def test_template_to_an_unwritable_path_is_exit_2(tmp_path, capsys):
    assert cli_main(["template", str(tmp_path / "no" / "such" / "dir" / "t.xlsx")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_each_language_s_template_offers_its_own_labels_only(tmp_path):
    import openpyxl

    from analytics.i18n import t
    from analytics.register.template import write_template

    path = tmp_path / "modele.xlsx"
    write_template(path, "fr")
    book = openpyxl.load_workbook(path)
    lists = book[t("template.lists_sheet", "fr")]
    columns = {col[0].value: [c.value for c in col[1:] if c.value] for col in lists.iter_cols()}
    # The status list: "Promis, Reçu", never the codes "pledged, received" beside them.
    assert columns["status"] == ["Promis", "Reçu"]
    assert "resource_mobilization" not in columns["partnership_type"]
    assert "Mobilisation de ressources" in columns["partnership_type"]
