"""Reading a register workbook: file safety checks, sheets and headers found, values understood.

`load_workbook` is the one entry point for the app, the command line and the tests: it reads
with python-calamine, parses every column by its declared kind (schemas.workbook) and hands the
typed frames to analytics.register.validation, which adds the rule and cross-sheet checks.
"""

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from analytics.config import Limits
from analytics.config import limits as configured_limits
from analytics.reference.load import Reference, load_reference
from analytics.register import parsing
from analytics.register.agreements import empty_frame
from analytics.register.codelists import lookups
from analytics.register.headers import find_header, header_problems, match_sheets, sheet_names
from analytics.register.report import ERROR, WARNING, Issue, Report
from analytics.register.safety import Inspection, RefusedFile, inspect_bytes
from analytics.register.sheet_scan import letters as column_letters
from analytics.register.validation import validate_register
from schemas.workbook import OPTIONAL_SHEETS, SHEETS, Agreements, Column, Reports, columns_of


@dataclass
class SheetLayout:
    """Where a sheet's data sits in the user's workbook, to point at cells as Excel shows them."""

    name: str  # as typed in the workbook
    headers: dict[str, str]  # column name -> header as typed
    letters: dict[str, str]  # column name -> column letter
    raw: dict[str, np.ndarray] = field(default_factory=dict)  # column name -> cell values as read

    def cell(self, column: str | None, excel_row: int | None) -> str | None:
        if column not in self.letters or excel_row is None:
            return None
        return f"{self.letters[column]}{excel_row}"


@dataclass
class Register:
    """One region's register as read from a workbook.

    `partners` has the Partners model's columns (schemas.Partners) in order, `contributions` the
    Contributions model's, `agreements` and `reports` those of the optional sheets (no rows when
    the workbook has not them); each adds `excel_row` (the row number as Excel shows it) and
    `extra` (a JSON object of the extra columns' values, or None). Text and code columns are
    pandas `str` with NaN for empty, dates `datetime64`, yes/no `boolean`, amounts `float64`.
    """

    region: str | None
    partners: pd.DataFrame
    contributions: pd.DataFrame
    layouts: dict[str, SheetLayout] = field(
        default_factory=dict, repr=False
    )  # model name -> layout
    agreements: pd.DataFrame | None = None
    reports: pd.DataFrame | None = None

    def __post_init__(self):
        if self.agreements is None:
            self.agreements = empty_frame(Agreements)
        if self.reports is None:
            self.reports = empty_frame(Reports)
        if "agreement_id" not in self.contributions.columns:  # a frame built before the column
            self.contributions = self.contributions.assign(agreement_id=pd.Series(dtype="str"))


@dataclass
class LoadResult:
    register: Register | None  # None when the file could not be read as a register
    report: Report


def _read_source(source, limits: Limits) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    path = Path(source)
    size = path.stat().st_size
    if size > limits.max_upload_bytes:  # refuse before reading a huge file into memory
        raise RefusedFile(
            "file_too_large",
            size_mb=round(size / 1024 / 1024, 1),
            limit_mb=limits.max_upload_bytes // (1024 * 1024),
        )
    return path.read_bytes()


def _refuse(report: Report, code: str, sheet=None, column=None, **values) -> LoadResult:
    report.unreadable = True
    if sheet is not None:
        values["sheet"] = sheet
    report.add(Issue(ERROR, sheet, None, column, None, code, values))
    return LoadResult(None, report)


def _parse_column(column: Column, raw: np.ndarray, codes: dict, decimal: str) -> parsing.Parsed:
    kind = column.kind
    if kind in ("text", "id"):
        return parsing.parse_text(raw)
    if kind == "code":
        return parsing.parse_code(raw, codes[column.codelist], column.codelist)
    if kind == "codes":
        return parsing.parse_codes(raw, codes[column.codelist], column.codelist)
    if kind == "country":
        return parsing.parse_country(raw)
    if kind == "currency":
        return parsing.parse_currency(raw)
    if kind == "date":
        return parsing.parse_date(raw)
    if kind == "bool":
        return parsing.parse_bool(raw)
    if kind == "number":
        return parsing.parse_number(raw, decimal)
    raise ValueError(f"unknown column kind {kind!r}")


def _flagged_cells(inspection: Inspection, sheet_name: str) -> dict[tuple[int, str], tuple]:
    """(excel_row, letters) -> (code, value) of the cells the XML scan found a reader hides."""
    flagged = {
        cell: ("formula_no_value", "") for cell in inspection.formula_cells.get(sheet_name, ())
    }
    for cell, text in inspection.error_cells.get(sheet_name, {}).items():
        flagged[cell] = ("excel_error", text)
    return flagged


def _read_sheet(
    rows, model, sheet_name, codes, decimal, report, inspection
) -> tuple[pd.DataFrame, SheetLayout] | None:
    """Parse one sheet into the model's typed columns; None if its header row cannot be read."""
    columns = columns_of(model)
    header_row, matched = find_header(rows, columns)
    problems = header_problems(rows, columns, sheet_name, header_row, matched)
    if problems:
        report.unreadable = True
        for issue in problems:
            report.add(issue)
        return None
    found = {name: indexes[0] for name, indexes in matched.items()}

    header = rows[header_row]
    width = max(map(len, rows), default=0)
    body = rows[header_row + 1 :]
    # Excel row numbers: the header's row is header_row + 1 (1-based); data follows it.
    excel_rows = np.arange(header_row + 2, header_row + 2 + len(body))
    matrix = np.full((len(body), width), "", dtype=object)
    if body and min(map(len, body)) == width:  # every row as wide as the widest
        matrix[:, :] = body  # calamine's rows are usually rectangular: one copy in C
    else:
        for i, r in enumerate(body):
            matrix[i, : len(r)] = r
    del rows, body  # the cells live on in the matrix; the row lists are the largest objects here
    # Rows with nothing typed are not rows of the register (python-calamine reads empty as "").
    non_empty = np.not_equal(matrix, "").any(axis=1)
    flagged = _flagged_cells(inspection, sheet_name)
    if flagged:
        letters_all = {column_letters(j + 1): j for j in range(width)}
        for row, letter in flagged:
            if letter in letters_all and header_row + 2 <= row < header_row + 2 + len(matrix):
                non_empty[row - header_row - 2] = True
    if not non_empty.all():  # a copy of every cell otherwise, for nothing
        matrix, excel_rows = matrix[non_empty], excel_rows[non_empty]

    layout = SheetLayout(
        name=sheet_name,
        headers={name: str(header[j]).strip() for name, j in found.items()},
        letters={name: column_letters(j + 1) for name, j in found.items()},
    )
    frame = {}
    for c in columns:
        if c.name not in found:
            frame[c.name] = pd.Series(
                [None] * len(matrix), dtype="boolean" if c.kind == "bool" else "str"
            )
            if c.kind == "date":
                frame[c.name] = pd.Series(pd.NaT, index=range(len(matrix)), dtype="datetime64[us]")
            elif c.kind == "number":
                frame[c.name] = pd.Series(np.nan, index=range(len(matrix)))
            continue
        raw = matrix[:, found[c.name]]
        layout.raw[c.name] = raw
        parsed = _parse_column(c, raw, codes, decimal)
        frame[c.name] = parsed.values
        letter = layout.letters[c.name]
        for (row, flagged_letter), (code, text) in flagged.items():
            if flagged_letter == letter:
                pos = np.searchsorted(excel_rows, row)
                if pos < len(excel_rows) and excel_rows[pos] == row:
                    report.add(
                        Issue(
                            ERROR,
                            sheet_name,
                            row,
                            layout.headers[c.name],
                            text,
                            code,
                            {},
                            f"{letter}{row}",
                        )
                    )
        for severity, cells in ((ERROR, parsed.problems), (WARNING, parsed.notes)):
            for pos, code, values in cells:
                row = int(excel_rows[pos])
                typed = parsing.shown(raw[pos])
                shown_as = layout.headers[c.name]  # not `header`: the header row, read below
                report.add(
                    Issue(
                        severity, sheet_name, row, shown_as, typed, code, values, f"{letter}{row}"
                    )
                )

    df = pd.DataFrame(frame)
    df["excel_row"] = excel_rows.astype("int64")
    extra_cols = [j for j in range(width) if j not in found.values() and str(header[j]).strip()]
    if extra_cols:
        names = [str(header[j]).strip() for j in extra_cols]
        # Extra columns are kept (and shown, and downloaded): their text is held to the same rule.
        for j, name in zip(extra_cols, names, strict=True):
            for pos, code, values in parsing.control_problems(matrix[:, j]):
                typed, row = parsing.shown(matrix[pos, j]), int(excel_rows[pos])
                cell = f"{column_letters(j + 1)}{row}"
                report.add(Issue(ERROR, sheet_name, row, name, typed, code, values, cell))
        df["extra"] = [
            json.dumps(
                {
                    n: parsing.display(v)
                    for n, v in zip(names, vals, strict=True)
                    if v not in ("", None)
                },
                ensure_ascii=False,
            )
            for vals in matrix[:, extra_cols]
        ]
    else:
        df["extra"] = None
    return df, layout


def load_workbook(
    source,
    region: str | None = None,
    reference: Reference | None = None,
    limits: Limits | None = None,
    decimal: str = ".",
) -> LoadResult:
    """Read and validate a workbook (path or bytes); never raises on bad input, reports instead.

    `decimal`: how an amount typed '1,234' is read when nothing else tells (see
    parsing.decimal_separator). The report holds codes, not text: see analytics.register.messages.
    """
    report = Report()
    reference = reference or load_reference()
    limits = limits or configured_limits()
    try:
        data = _read_source(source, limits)
        # Before any reader: only the sheets to be read are scanned and held to the budget.
        inspection = inspect_bytes(data, limits, wanted=lambda names: match_sheets(names).values())
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except RefusedFile as exc:
        return _refuse(report, exc.code, **exc.values)
    except PasswordError:
        return _refuse(report, "encrypted")
    except FileNotFoundError:
        return _refuse(report, "file_not_found", path=str(source))
    except (CalamineError, OSError, ValueError) as exc:
        return _refuse(report, "corrupt", detail=type(exc).__name__)

    found = match_sheets(inspection.visible_sheets)  # a hidden sheet is never read (spec)
    hidden = match_sheets(inspection.hidden_sheets)
    expected = ", ".join(model.Config.name for model in SHEETS)
    frames, layouts = {}, {}
    codes = lookups(reference)
    try:
        sheets_rows = {
            model: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for model, name in found.items()
        }
    except (CalamineError, ValueError) as exc:
        return _refuse(report, "corrupt", detail=type(exc).__name__)
    if not any(any(v not in ("", None) for r in rows for v in r) for rows in sheets_rows.values()):
        if not found or all(len(r) == 0 for r in sheets_rows.values()):
            return _refuse(report, "empty_workbook", sheets=expected)
    # The follow-up sheets are optional, but when one is there both are read and checked.
    wanted = SHEETS + (OPTIONAL_SHEETS if any(m in found for m in OPTIONAL_SHEETS) else ())
    for model in wanted:
        if model not in found:
            report.unreadable = True
            accepted = sheet_names(model)
            if model in hidden:
                code, sheet = "hidden_sheet", hidden[model]
            else:
                code, sheet = "missing_sheet", accepted[0]
            params = {"sheet": sheet, "names": ", ".join(accepted)}
            report.add(Issue(ERROR, sheet, None, None, None, code, params))
            continue
        result = _read_sheet(
            sheets_rows.pop(model),  # its rows are freed once parsed: the largest object
            model,
            found[model],
            codes,
            decimal,
            report,
            inspection,
        )
        if result is not None:
            frames[model.Config.name], layouts[model.Config.name] = result
    if report.unreadable:
        return LoadResult(None, report)

    register = Register(
        region=region,
        partners=frames["Partners"],
        contributions=frames["Contributions"],
        layouts=layouts,
        agreements=frames.get("Agreements"),
        reports=frames.get("Reports"),
    )
    validate_register(register, reference, report)
    return LoadResult(register, report)
