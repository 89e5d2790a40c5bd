"""The register workbook written from the schema: the blank template, and registers filled with rows.

Sheets, headers, help comments, drop-downs and formats all derive from `schemas.workbook`, the
code lists from the reference data and every visible word from the message catalogues, so that a
column or a code added there appears here without code changes.
"""

import io
import math
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pandera.pandas as pa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from analytics.i18n import has, t
from analytics.reference.load import Reference, load_reference, normalise
from schemas.workbook import SHEETS, Column, Contributions, Partners, columns_of

MODELS: tuple[type[pa.DataFrameModel], ...] = SHEETS
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
WIDE_TEXT = {"partner_name": 34, "description": 48, "focal_point": 22, "sector": 18}

REQUIRED_FILL = PatternFill("solid", fgColor="1F4E79")
OPTIONAL_FILL = PatternFill("solid", fgColor="BDD7EE")
TABLE_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="8EA9C1")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def sheet_name(model: type[pa.DataFrameModel], lang: str) -> str:
    """The sheet name of a model in a language (locales/xx/core.toml `sheets.*`)."""
    return t(f"sheets.{model.Config.name}", lang)


def header(column: Column, lang: str) -> str:
    """The header of a column as the template writes it in a language (`headers.*`)."""
    return t(f"headers.{column.name}", lang)


def help_text(model: type[pa.DataFrameModel], column: Column, lang: str) -> str:
    """The help of a column; Contributions columns shared with Partners have their own wording."""
    if model is Contributions and has(f"column_help.contribution_{column.name}", lang):
        return t(f"column_help.contribution_{column.name}", lang)
    return t(f"column_help.{column.name}", lang)


def code_lists(reference: Reference, lang: str) -> dict[str, list[str]]:
    """The values each drop-down offers: labels in `lang`, then the codes that differ from them."""
    lists: dict[str, list[str]] = {}
    for model in MODELS:
        for col in columns_of(model):
            if col.kind != "code" or not col.codelist or col.codelist in lists:
                continue
            if col.codelist == "region":
                lists[col.codelist] = list(reference.region_codes)
                continue
            labels = list(reference.labels(col.codelist, lang).values())
            seen = {normalise(x) for x in labels}
            lists[col.codelist] = labels + [
                c for c in reference.codes(col.codelist) if normalise(c) not in seen
            ]
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
) -> None:
    """Write a register workbook (path or binary file); `created` fixed makes the bytes reproducible."""
    reference = reference or load_reference()
    wb = Workbook(write_only=True)
    lists = code_lists(reference, lang)
    lists_title = t("template.lists_sheet", lang)
    ranges = _list_ranges(lists, lists_title)
    for model, frame in ((Partners, partners), (Contributions, contributions)):
        _write_sheet(wb, model, frame, lang, title_lines or [], ranges)
    _write_instructions(wb, reference, lang)
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


def _write_instructions(wb: Workbook, reference: Reference, lang: str) -> None:
    ws = wb.create_sheet(t("template.instructions_sheet", lang))
    for letter, width in zip("ABCDE", (18, 26, 34, 14, 80), strict=True):
        ws.column_dimensions[letter].width = width
    yes, no = t("template.yes", lang), t("template.no", lang)
    rows: list[list] = []
    merged: list[int] = []

    def title(text: str, size: int = 12) -> None:
        cell = WriteOnlyCell(ws, text)
        cell.font = Font(bold=True, size=size, color="1F4E79")
        rows.append([cell])

    def paragraph(text: str) -> None:
        cell = WriteOnlyCell(ws, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        rows.append([cell])
        merged.append(len(rows))
        ws.row_dimensions[len(rows)].height = 15 * math.ceil(len(text) / 150)

    def table_head(*texts: str) -> None:
        heads = []
        for text in texts:
            cell = WriteOnlyCell(ws, text)
            cell.font = Font(bold=True)
            cell.fill = TABLE_FILL
            cell.border = HEADER_BORDER
            heads.append(cell)
        rows.append(heads)

    partners, contributions = sheet_name(Partners, lang), sheet_name(Contributions, lang)
    example = f"{reference.region_codes[0]}-P0001" if reference.region_codes else "P0001"
    title(t("template.title", lang), 14)
    rows.append([])
    for text in (
        t("template.intro", lang),
        t("template.rule_sheets", lang, partners=partners, contributions=contributions),
        t("template.rule_header", lang),
        t("template.rule_required", lang),
        t("template.rule_ids", lang, example=example),
        t("template.rule_dates", lang),
        t("template.rule_amounts", lang),
        t("template.rule_codes", lang, yes=yes, no=no),
        t("template.rule_countries", lang),
        t("template.rule_objectives", lang),
        t("template.rule_errors", lang),
    ):
        paragraph(text)
    rows.append([])

    title(t("template.columns_title", lang))
    table_head(
        *(t(f"template.head_{k}", lang) for k in ("sheet", "column", "meaning", "required", "help"))
    )
    for model in MODELS:
        for col in columns_of(model):
            rows.append(
                [
                    sheet_name(model, lang),
                    header(col, lang),
                    t(f"columns.{col.name}", lang),
                    yes if col.required else no,
                    help_text(model, col, lang),
                ]
            )
    rows.append([])

    title(t("template.codes_title", lang))
    table_head(*(t(f"template.head_{k}", lang) for k in ("list", "code", "label")))
    done: set[str] = set()
    for model in MODELS:
        for col in columns_of(model):
            if col.codelist is None or col.codelist in done:
                continue
            done.add(col.codelist)
            if col.codelist == "region":
                pairs = [(c, reference.region_name(c, lang)) for c in reference.region_codes]
            elif col.codelist == "strategic_objective":
                name = (
                    f"name_{lang}" if f"name_{lang}" in reference.objectives.columns else "name_en"
                )
                pairs = list(
                    zip(reference.objectives["code"], reference.objectives[name], strict=True)
                )
            else:
                pairs = list(reference.labels(col.codelist, lang).items())
            for code, label in pairs:
                rows.append([header(col, lang), code, label])

    for row in rows:
        ws.append(row)
    for r in merged:
        ws.merged_cells.add(f"A{r}:E{r}")


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
