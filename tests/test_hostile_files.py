"""Hostile and odd workbooks (issue #18): refused before any reader sees them, or read right.

A stray cell at XFD1048576 makes python-calamine allocate 17 billion cells and abort the process,
so every test that could reach the reader on such a file runs it in a child process: the test
run survives, and the failure (exit status 134 instead of 2) is reported as a failure.
"""

import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analytics.config import Limits
from analytics.register.messages import message
from analytics.register.reading import load_workbook
from analytics.register.safety import RefusedFile, inspect_bytes
from tests.workbooks import (
    CONTRIBUTION_HEADER,
    PARTNER_HEADER,
    contribution,
    partner,
    valid_register,
    write,
)

ROOT = Path(__file__).resolve().parent.parent
PARTNERS_XML = "xl/worksheets/sheet1.xml"  # valid_register writes Partners first


def _rewrite(path: Path, member: str, edit) -> Path:
    """The workbook at `path` with `member` replaced by `edit(its text)`."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            dst.writestr(info, edit(data.decode()).encode() if info.filename == member else data)
    return path


def _with_rows(tmp_path: Path, rows_xml: str) -> bytes:
    """A valid register whose Partners sheet has `rows_xml` added after its own rows."""
    path = valid_register(tmp_path / "r.xlsx")
    _rewrite(path, PARTNERS_XML, lambda x: x.replace("</sheetData>", rows_xml + "</sheetData>"))
    return path.read_bytes()


def _validate_in_child(path: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m analytics validate` in a child process, its memory capped at 4 GB."""

    def cap():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    return subprocess.run(
        [sys.executable, "-m", "analytics", "validate", str(path), "--format", "json", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=cap,
    )


# --- #18.1: a sheet's size is checked in its XML, before any reader -------------------------


def _stray_cell(tmp_path: Path) -> Path:
    """A valid 6 KB register with one cell typed at XFD1048576 of its Partners sheet."""
    path = valid_register(tmp_path / "register.xlsx")
    book = openpyxl.load_workbook(path)  # openpyxl keeps cells sparse: safe to write it with
    book["Partners"]["XFD1048576"] = "stray"
    book.save(path)
    return path


def test_stray_cell_at_the_last_cell_is_refused_with_exit_2(tmp_path):
    path = _stray_cell(tmp_path)
    assert path.stat().st_size < 10_000
    run = _validate_in_child(path)
    assert run.returncode == 2, run.stderr[-2000:]
    (error,) = json.loads(run.stdout)["errors"]
    assert error["code"] == "sheet_too_large" and error["sheet"] == "Partners"
    assert "XFD1048576" in error["message"] and "200 columns" in error["message"]
    assert "Traceback" not in run.stderr


def test_stray_cell_message_in_french(tmp_path):
    run = _validate_in_child(_stray_cell(tmp_path), "--lang", "fr")
    assert run.returncode == 2
    message = json.loads(run.stdout)["errors"][0]["message"]
    assert "XFD1048576" in message and "Partners" in message and "200 colonnes" in message


def test_sparse_wide_sheet_is_refused_in_seconds(tmp_path):
    """One cell far right on each of 10,000 rows: gigabytes and a minute for a reader."""
    path = valid_register(tmp_path / "wide.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Contributions"]
    for row in range(4, 10_004):
        sheet.cell(row=row, column=16_000, value="x")
    book.save(path)
    started = time.perf_counter()
    run = _validate_in_child(path)
    assert run.returncode == 2, run.stderr[-2000:]
    (error,) = json.loads(run.stdout)["errors"]
    assert error["code"] == "sheet_too_large" and error["sheet"] == "Contributions"
    assert re.search(r"WQJ\d+", error["message"])  # column 16,000
    assert time.perf_counter() - started < 30


# Cells a plain `<c r="…">` search misses but python-calamine places (it reads any prefix,
# either quote, the last of two `r`, lower case, and counts cells and rows without a reference).
FAR_CELLS = {
    "namespace prefix": (
        '<row r="9"><x:c r="XFD9" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></row>',
        "XFD9",
    ),
    "attribute order": (
        '<row r="9"><c s="0" r="XFD9" t="inlineStr"><is><t>x</t></is></c></row>',
        "XFD9",
    ),
    "second r wins": (
        '<row r="9"><c r="A9" r="XFD9" t="inlineStr"><is><t>x</t></is></c></row>',
        "XFD9",
    ),
    "single quotes": ("<row r='9'><c r='XFD9' t='inlineStr'><is><t>x</t></is></c></row>", "XFD9"),
    "spaces around =": ('<row r="9"><c r = "XFD9"><v>1</v></c></row>', "XFD9"),
    "lower case": ('<row r="9"><c r="xfd9"><v>1</v></c></row>', "XFD9"),
    "no reference": ('<row r="9">' + "<c/>" * 300 + "<c><v>1</v></c></row>", "KO9"),
    "rows counted": ("<row/>" * 40 + "<row>" + "<c/>" * 300 + "<c><v>1</v></c></row>", "KO44"),
    "row past Excel's last": ('<row r="9"><c r="A2000000"><v>1</v></c></row>', "A2000000"),
}


@pytest.mark.parametrize(("rows_xml", "cell"), FAR_CELLS.values(), ids=FAR_CELLS.keys())
def test_far_cells_in_any_spelling_are_found(tmp_path, rows_xml, cell):
    data = _with_rows(tmp_path, rows_xml)
    with pytest.raises(RefusedFile) as refused:
        inspect_bytes(data, Limits(10**8, 10**9))
    assert refused.value.code == "sheet_too_large"
    assert (refused.value.values["sheet"], refused.value.values["cell"]) == ("Partners", cell)


def test_a_sheet_part_named_in_another_case_is_scanned(tmp_path):
    """python-calamine finds 'xl/worksheets/SHEET1.XML' for 'sheet1.xml': the scan does too."""
    data = _with_rows(tmp_path, '<row r="9"><c r="XFD9"><v>1</v></c></row>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            name = info.filename.upper() if info.filename == PARTNERS_XML else info.filename
            dst.writestr(name, src.read(info))
    with pytest.raises(RefusedFile) as refused:
        inspect_bytes(out.getvalue(), Limits(10**8, 10**9))
    assert refused.value.values["cell"] == "XFD9"


def test_registers_within_the_budget_are_accepted(tmp_path):
    """Long registers, wide ones (followed cell by cell), a far cell in a sheet not read."""
    long = "".join(f'<row r="{r}"><c r="Y{r}"><v>{r}</v></c></row>' for r in range(4, 120_001))
    long += '<row r="1048000"><c r="Y1048000"><v>1</v></c></row>'  # 1,048,000 × 25 cells
    inspection = inspect_bytes(_with_rows(tmp_path, long), Limits(10**8, 10**9))
    extent = inspection.extents["Partners"]
    assert (extent.rows, extent.row_cell) == (1_048_000, "Y1048000")
    wide = "".join(
        f'<row r="{r}">' + "".join(f"<c><v>{j}</v></c>" for j in range(60)) + "</row>"
        for r in range(4, 1_001)
    )
    inspection = inspect_bytes(_with_rows(tmp_path, wide), Limits(10**8, 10**9))
    extent = inspection.extents["Partners"]
    assert extent.exact and (extent.rows, extent.columns) == (1_000, 60)
    # Only the sheets read as a register are held to the budget.
    far = '<row r="9"><c r="XFD1048576"><v>1</v></c></row>'
    inspection = inspect_bytes(_with_rows(tmp_path, far), Limits(10**8, 10**9), wanted=lambda n: [])
    assert inspection.extents == {}


@pytest.mark.browser
def test_the_server_survives_an_upload_of_a_stray_cell(run_app, browser, tmp_path):
    """The upload page shows the refusal, and the server answers everyone afterwards."""
    from playwright.sync_api import expect

    expect.set_options(timeout=60_000)
    path = _stray_cell(tmp_path)
    (tmp_path / "no-samples").mkdir()
    with run_app(
        DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}",
        PARTNERSHIPS_SAMPLE_DIR=str(tmp_path / "no-samples"),
    ) as url:
        page = browser.new_page()
        page.set_default_timeout(60_000)
        page.goto(url)
        page.get_by_role("link", name="Upload a register").click()
        expect(page.get_by_text("Drop your workbook above.")).to_be_visible()
        name = page.get_by_role("textbox", name="Your name")
        name.fill("Awa Diop")
        name.press("Enter")
        page.locator("input[type=file]").set_input_files(str(path))
        expect(page.get_by_text("has a cell at XFD1048576")).to_be_visible()
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
            assert response.status == 200
        # …and a second visitor still gets the app.
        other = browser.new_page()
        other.goto(url)
        expect(other.get_by_role("link", name="Upload a register")).to_be_visible()


# --- #18.10: a decompression bomb is refused as a stream ----------------------------------


def _bomb(tmp_path: Path, inflated_mb: int) -> Path:
    """A real register whose Partners XML is padded with spaces to `inflated_mb` MB (~1000:1),
    written as a stream so that the test never holds it either."""
    source = valid_register(tmp_path / "ok.xlsx")
    out = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != PARTNERS_XML:
                dst.writestr(info, data)
                continue
            head, _, tail = data.partition(b"<sheetData>")
            with dst.open(PARTNERS_XML, "w") as member:
                member.write(head + b"<sheetData>")
                spaces = b" " * (1 << 20)  # whitespace is valid XML between elements
                for _ in range(inflated_mb):
                    member.write(spaces)
                member.write(tail)
    return out


def test_a_sheet_inflating_1000_times_is_refused_with_little_memory(tmp_path):
    path = _bomb(tmp_path, inflated_mb=300)
    info = zipfile.ZipFile(path).getinfo(PARTNERS_XML)
    assert info.file_size > 1000 * info.compress_size  # 300 MB from a few hundred KB
    probe = (
        "import json, resource, sys\n"
        "from analytics.register.messages import message\n"
        "from analytics.register.reading import load_workbook\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "result = load_workbook(sys.argv[1], region='RBD')\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'codes': [i.code for i in result.report.errors],"
        " 'message': message(result.report.errors[0], 'en') if result.report.errors else '',"
        " 'peak_mb': (after - before) / 1024}))\n"
    )
    env = {**os.environ, "PARTNERSHIPS_MAX_INFLATED_MB": "1000"}
    run = subprocess.run(
        [sys.executable, "-c", probe, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout)
    assert seen["codes"] == ["compression_ratio"]
    assert "more than 200 times" in seen["message"] and PARTNERS_XML in seen["message"]
    # Inflating the member whole would take 300 MB (twice that to join it); a stream, a few MB.
    assert seen["peak_mb"] < 64, seen


def test_ordinary_compression_is_accepted(tmp_path):
    """The sample registers (XML inflating about 10 times) pass the ratio check."""
    for sample in sorted((ROOT / "data" / "sample").glob("*.xlsx")):
        inspect_bytes(sample.read_bytes(), Limits(10**8, 10**9, ratio_check_bytes=0))


# --- #18.4: hidden sheets, control characters, duplicated headers ------------------------


def test_a_hidden_sheet_is_never_read(tmp_path):
    """A very hidden 'Partners' is ignored; the visible 'Partenaires' is the register."""
    path = write(
        tmp_path / "hidden.xlsx",
        {
            "Partners": [PARTNER_HEADER, partner("HIDDEN-1", partner_name="Old copy")],
            "Partenaires": [PARTNER_HEADER, partner("P1"), partner("P2")],
            "Contributions": [CONTRIBUTION_HEADER, contribution("C1", "P1")],
        },
    )
    book = openpyxl.load_workbook(path)
    book["Partners"].sheet_state = "veryHidden"
    book.save(path)
    result = load_workbook(path, region="RBD")
    assert result.report.ok, result.report.errors
    assert result.register.partners["partner_id"].tolist() == ["P1", "P2"]
    assert result.register.layouts["Partners"].name == "Partenaires"


def test_a_register_sheet_that_is_hidden_is_named_as_hidden(tmp_path):
    path = valid_register(tmp_path / "hidden.xlsx")
    book = openpyxl.load_workbook(path)
    book["Contributions"].sheet_state = "hidden"
    book.save(path)
    result = load_workbook(path, region="RBD")
    assert result.report.exit_code() == 2
    (error,) = result.report.errors
    assert (
        error.code == "hidden_sheet"
        and "hidden" in message(error, "en")
        and error.sheet == ("Contributions")
    )


# Text as typed (Excel's _xHHHH_ escapes are how the XML carries control characters; the reader
# decodes them): column, value, the character the message names.
CONTROLS = [
    ("p", "partner_name", "Sahel_x0001_ Logistics", "U+0001"),
    ("p", "partner_id", "P_x0000_1", "U+0000"),
    ("p", "category", "company_x0002_", "U+0002"),
    ("p", "country", "SEN_x001F_", "U+001F"),
    ("c", "currency", "USD_x0007_", "U+0007"),
    ("c", "description", "Meals_x000B_", "U+000B"),
    ("c", "description", "typed as _x005F_x0001_ in Excel", "U+0001"),  # the escape itself
]


@pytest.mark.parametrize(("sheet", "column", "value", "char"), CONTROLS)
def test_control_characters_are_errors_at_their_cell(tmp_path, sheet, column, value, char):
    if sheet == "p":
        rows = {"partners": [partner("P1", **{column: value})], "contributions": []}
    else:
        rows = {
            "partners": [partner("P1")],
            "contributions": [contribution("C1", "P1", **{column: value})],
        }
    path = valid_register(tmp_path / "ctrl.xlsx", **rows)
    result = load_workbook(path, region="RBD")
    assert result.report.exit_code() == 1
    header = PARTNER_HEADER if sheet == "p" else CONTRIBUTION_HEADER
    cell = f"{openpyxl.utils.get_column_letter(header.index(column) + 1)}2"
    issue = next(i for i in result.report.errors if i.cell == cell)
    assert issue.code == "control_character" and char in message(issue, "en")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", issue.value + message(issue, "en"))


def test_control_characters_in_extra_columns_and_the_annotated_copy(tmp_path):
    from analytics.register.annotate import annotated_workbook

    path = write(
        tmp_path / "extra.xlsx",
        {
            "Partners": [[*PARTNER_HEADER, "Notes"], [*partner("P1"), "call back_x0007_"]],
            "Contributions": [CONTRIBUTION_HEADER, contribution("C1", "P1")],
        },
    )
    result = load_workbook(path, region="RBD")
    (issue,) = result.report.errors
    assert (issue.code, issue.cell, issue.column) == ("control_character", "R2", "Notes")
    assert issue.value == "call back\u2407"  # shown as the visible symbol for BEL
    # The copy with its problems marked opens, and shows the cell and its comment.
    book = openpyxl.load_workbook(io.BytesIO(annotated_workbook(path.read_bytes(), result.report)))
    assert "U+0007" in book["Partners"]["R2"].comment.text


def test_a_nul_character_never_reaches_postgresql(postgres_url, tmp_path):
    """PostgreSQL refuses NUL in text at commit; validation stops it first, naming the cell."""
    from analytics.access.roles import ADMIN, User
    from analytics.services import ingest
    from analytics.store.versions import open_store
    from tests.postgres import fresh_schema

    path = valid_register(
        tmp_path / "nul.xlsx", partners=[partner("P1"), partner("P2", partner_name="Acme_x0000_")]
    )
    store = open_store(fresh_schema(postgres_url))
    try:
        prepared = ingest.prepare(
            store, path.read_bytes(), path.name, "RBD", "Awa", user=User("hq", ADMIN)
        )
        assert prepared.status == ingest.REJECTED
        (issue,) = prepared.report.errors
        assert (issue.code, issue.sheet, issue.cell) == ("control_character", "Partners", "B3")
        assert "U+0000" in message(issue, "en")
        with pytest.raises(ValueError):
            ingest.commit(store, prepared, "Awa", user=User("hq", ADMIN))
        assert store.current_version("RBD") is None and len(store.versions("RBD")) == 0
    finally:
        store.close()


def test_two_columns_for_one_header_name_both(tmp_path):
    """'partner_name' and 'Nom partenaire' both head partner names: which one is meant is unknown."""
    path = write(
        tmp_path / "dup.xlsx",
        {
            "Partners": [[*PARTNER_HEADER, "Nom partenaire"], [*partner("P1"), "Other name"]],
            "Contributions": [CONTRIBUTION_HEADER, contribution("C1", "P1")],
        },
    )
    result = load_workbook(path, region="RBD")
    assert result.report.exit_code() == 2 and result.register is None
    (error,) = result.report.errors
    assert error.code == "duplicate_column" and error.sheet == "Partners"
    assert "'partner_name' (column B)" in message(error, "en")
    assert "'Nom partenaire' (column R)" in message(error, "en")


# --- #18.10: headers too low (formulas never computed: tests/test_workbook.py) ---------------------------------------


def test_a_header_below_the_rows_searched_says_where_it_is(tmp_path):
    titles = [["Register of the Dakar bureau"]] + [[None]] * 48  # the header on row 50
    path = write(
        tmp_path / "low.xlsx",
        {
            "Partners": [*titles, PARTNER_HEADER, partner("P1")],
            "Contributions": [CONTRIBUTION_HEADER, contribution("C1", "P1")],
        },
    )
    result = load_workbook(path, region="RBD")
    assert result.report.exit_code() == 2
    (error,) = result.report.errors  # one error, not one per column
    assert error.code == "header_too_low" and error.row == 50
    assert "row 50" in message(error, "en") and "first 30 rows" in message(error, "en")


def test_no_header_at_all_says_only_the_first_rows_are_searched(tmp_path):
    path = write(
        tmp_path / "none.xlsx",
        {
            "Partners": [partner("P1"), partner("P2")],
            "Contributions": [CONTRIBUTION_HEADER, contribution("C1", "P1")],
        },
    )
    result = load_workbook(path, region="RBD")
    (error,) = result.report.errors
    assert error.code == "header_not_found" and "30 premières lignes" in message(error, "fr")
