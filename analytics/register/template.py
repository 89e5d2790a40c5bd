"""The register workbook written from the schema: the blank template, and registers filled with rows.

Sheets, headers, help comments, drop-downs and formats all derive from `schemas.workbook`, the
code lists from the reference data and every visible word from the message catalogues, so that a
column or a code added there appears here without code changes.
"""

import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from analytics.i18n import t
from analytics.reference.load import NAMED_BY_CODE, Reference, load_reference, normalise
from analytics.register.instructions import HEADER_BORDER, write_instructions
from analytics.register.template_text import MODELS, header, help_text, sheet_name
from schemas.workbook import Agreements, Column, Contributions, Partners, Reports, columns_of

DATE_FORMAT = "DD/MM/YYYY"
AMOUNT_FORMAT = "#,##0.00"
LAST_ROW = 1_048_576  # drop-downs and formats cover the whole column, below the header
BOOL_LIST = "yes_no"

# Column widths in characters, by kind (a header longer than this widens its column).
WIDTHS = {
    "id": 14,
    "text": 26,
    "code": 22,
    "codes": 20,
    "country": 10,
    "currency": 10,
    "date": 13,
    "bool": 11,
    "number": 15,
}
WIDE_TEXT = {
    "partner_name": 34,
    "description": 48,
    "focal_point": 22,
    "sector": 18,
    "title": 40,
    "officer": 22,
    "signed_by": 22,
}

REQUIRED_FILL = PatternFill("solid", fgColor="1F4E79")
OPTIONAL_FILL = PatternFill("solid", fgColor="BDD7EE")


def code_lists(reference: Reference, lang: str, with_codes: bool = False) -> dict[str, list[str]]:
    """The values each drop-down offers: the labels in `lang` only (a French template lists
    "Promis, Reçu", not "pledged" beside them; every label and code is still read). With
    `with_codes`, the codes that differ from them follow: a workbook written with rows (samples,
    the annotated copy) holds codes, which its drop-downs must accept."""
    lists: dict[str, list[str]] = {}
    for model in MODELS:
        for col in columns_of(model):
            if col.kind != "code" or not col.codelist or col.codelist in lists:
                continue
            if col.codelist in NAMED_BY_CODE:
                lists[col.codelist] = reference.codes(col.codelist)
                continue
            labels = list(reference.labels(col.codelist, lang).values())
            seen = {normalise(x) for x in labels}
            codes = [c for c in reference.codes(col.codelist) if normalise(c) not in seen]
            lists[col.codelist] = labels + (codes if with_codes else [])
    lists[BOOL_LIST] = [t("template.yes", lang), t("template.no", lang)]
    return lists


def write_workbook(
    target: str | Path | BinaryIO,
    partners: pd.DataFrame | None,
    contributions: pd.DataFrame | None,
    lang: str = "en",
    title_lines: list[str] | None = None,
    reference: Reference | None = None,
    *,
    created: datetime | None = None,
    agreements: pd.DataFrame | None = None,
    reports: pd.DataFrame | None = None,
) -> None:
    """Write a register workbook (path or binary file); `created` fixed makes the bytes reproducible."""
    reference = reference or load_reference()
    wb = Workbook(write_only=True)
    with_rows = any(f is not None for f in (partners, contributions, agreements, reports))
    lists = code_lists(reference, lang, with_codes=with_rows)
    lists_title = t("template.lists_sheet", lang)
    ranges = _list_ranges(lists, lists_title)
    sheets = (
        (Partners, partners),
        (Contributions, contributions),
        (Agreements, agreements),
        (Reports, reports),
    )
    for model, frame in sheets:
        _write_sheet(wb, model, frame, lang, title_lines or [], ranges)
    write_instructions(wb, reference, lang)
    _write_lists(wb, lists, lists_title)
    if created is not None:
        wb.properties.created = created
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue() if created is None else _freeze_timestamps(buffer.getvalue(), created)
    if isinstance(target, (str, Path)):
        Path(target).write_bytes(data)
    else:
        target.write(data)


def write_template(target: str | Path | BinaryIO, lang: str = "en") -> None:
    """Write the blank template: headers, help, drop-downs and instructions, no rows."""
    write_workbook(target, None, None, lang=lang)


def cli_template(args) -> int:
    """`python -m analytics template OUT.xlsx [--lang]`: 0 written, 2 the path cannot be written."""
    lang = getattr(args, "lang", None) or "en"
    try:
        write_template(args.out, lang)
    except OSError as exc:
        print(
            t("template.cannot_write", lang, path=args.out, detail=exc.strerror or exc),
            file=sys.stderr,
        )
        return 2
    print(args.out)
    return 0


# --- sheets -----------------------------------------------------------------------------------


def _list_ranges(lists: dict[str, list[str]], lists_title: str) -> dict[str, str]:
    """code list -> absolute range of its values on the hidden lists sheet."""
    sheet = quote_sheetname(lists_title)
    return {
        name: f"{sheet}!${get_column_letter(i)}$2:${get_column_letter(i)}${len(values) + 1}"
        for i, (name, values) in enumerate(lists.items(), start=1)
    }


def _write_lists(wb: Workbook, lists: dict[str, list[str]], title: str) -> None:
    ws = wb.create_sheet(title)
    ws.sheet_state = "hidden"
    longest = max(len(v) for v in lists.values())
    ws.append(list(lists))
    for i in range(longest):
        ws.append([values[i] if i < len(values) else None for values in lists.values()])


def _validation(col: Column, ranges: dict[str, str], lang: str) -> DataValidation | None:
    """The Excel data validation of a column, or None for free text."""
    if col.kind == "code" and col.codelist in ranges:
        source, kind = ranges[col.codelist], "list"
    elif col.kind == "bool":
        source, kind = ranges[BOOL_LIST], "list"
    elif col.kind == "date":
        return DataValidation(
            type="date",
            operator="between",
            formula1="DATE(1900,1,1)",
            formula2="DATE(2100,12,31)",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=t("template.date_error_title", lang),
            error=t("template.date_error", lang),
        )
    elif col.kind == "number":
        return DataValidation(
            type="decimal",
            operator="greaterThan",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=t("template.amount_error_title", lang),
            error=t("template.amount_error", lang),
        )
    else:
        return None
    return DataValidation(
        type=kind,
        formula1=source,
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=True,
        errorTitle=t("template.list_error_title", lang),
        error=t("template.list_error", lang),
    )


def _write_sheet(wb, model, frame, lang, title_lines, ranges) -> None:
    ws = wb.create_sheet(sheet_name(model, lang))
    cols = columns_of(model)
    header_row = len(title_lines) + 1
    # Write-only sheets take their layout before the first row.
    for i, col in enumerate(cols, start=1):
        letter = get_column_letter(i)
        dim = ws.column_dimensions[letter]
        dim.width = max(
            WIDE_TEXT.get(col.name, WIDTHS.get(col.kind, 16)), len(header(col, lang)) + 4
        )
        if col.kind == "date":
            dim.number_format = DATE_FORMAT
        elif col.kind == "number":
            dim.number_format = AMOUNT_FORMAT
        dv = _validation(col, ranges, lang)
        if dv is not None:
            dv.add(f"{letter}{header_row + 1}:{letter}{LAST_ROW}")
            ws.data_validations.append(dv)
    ws.freeze_panes = f"A{header_row + 1}"

    for n, line in enumerate(title_lines):
        cell = WriteOnlyCell(ws, line)
        cell.font = Font(
            bold=n == 0, italic=n > 0, size=12 if n == 0 else 11, color="C00000" if n == 0 else None
        )
        ws.append([cell])

    author = t("template.comment_author", lang)
    heads = []
    for col in cols:
        cell = WriteOnlyCell(ws, header(col, lang))
        cell.font = Font(bold=True, color="FFFFFF" if col.required else "1F2D3D")
        cell.fill = REQUIRED_FILL if col.required else OPTIONAL_FILL
        cell.border = HEADER_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.comment = Comment(
            f"{t(f'columns.{col.name}', lang)}\n{help_text(model, col, lang)}",
            author,
            height=110,
            width=260,
        )
        heads.append(cell)
    ws.append(heads)

    if frame is not None and len(frame):
        _write_rows(ws, cols, frame, lang)


def _column_values(series: pd.Series | None, col: Column, lang: str, n: int) -> list:
    """A frame column as the Python values openpyxl writes (None for empty)."""
    if series is None:
        return [None] * n
    if col.kind == "date":
        s = pd.to_datetime(series, errors="coerce")
        return [None if pd.isna(d) else d.date() for d in s]
    if col.kind == "bool":
        yes, no = t("template.yes", lang), t("template.no", lang)
        return [
            v if isinstance(v, str) else (None if pd.isna(v) else (yes if v else no))
            for v in series.astype(object)
        ]
    if col.kind == "number":
        return [None if pd.isna(v) else v for v in series.astype(object)]
    values = series.astype(object).where(series.notna(), None).tolist()
    return [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]


def _write_rows(ws, cols: list[Column], frame: pd.DataFrame, lang: str) -> None:
    n = len(frame)
    columns = [
        _column_values(frame[c.name] if c.name in frame.columns else None, c, lang, n) for c in cols
    ]
    # One styled cell per formatted column, reused row after row: openpyxl writes a row as soon
    # as it is appended, and creating a styled cell per value would double the writing time.
    styled = {}
    for i, col in enumerate(cols):
        if col.kind in ("date", "number"):
            cell = WriteOnlyCell(ws)
            cell.number_format = DATE_FORMAT if col.kind == "date" else AMOUNT_FORMAT
            styled[i] = cell
    texts = [i for i, c in enumerate(cols) if c.kind not in ("date", "number", "bool")]
    for values in zip(*columns, strict=True):
        row = list(values)
        for i, cell in styled.items():
            if row[i] is not None:
                cell.value = row[i]
                row[i] = cell
        for i in texts:
            v = row[i]
            if isinstance(v, str) and v.startswith("="):  # typed text, never a formula
                cell = WriteOnlyCell(ws, v)
                cell.data_type = "s"
                row[i] = cell
        ws.append(row)


def _freeze_timestamps(data: bytes, when: datetime) -> bytes:
    """The same package with its modified date and zip entry times set to `when`."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content
                )
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, content)
    return out.getvalue()
