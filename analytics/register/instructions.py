"""The Instructions sheet of the template: how to fill the workbook, its columns and code lists."""

import math

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from analytics.i18n import t
from analytics.reference.load import Reference
from analytics.register.template_text import MODELS, header, help_text, sheet_name
from schemas.workbook import Agreements, Contributions, Partners, Reports, columns_of

TABLE_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="8EA9C1")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def write_instructions(wb: Workbook, reference: Reference, lang: str) -> None:
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
    agreements, reports = sheet_name(Agreements, lang), sheet_name(Reports, lang)
    example = f"{reference.region_codes[0]}-P0001" if reference.region_codes else "P0001"
    title(t("template.title", lang), 14)
    rows.append([])
    for text in (
        t("template.intro", lang),
        t("template.rule_sheets", lang, partners=partners, contributions=contributions),
        t("template.rule_agreements", lang, agreements=agreements, reports=reports),
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
            pairs = reference.labels(col.codelist, lang).items()
            for code, label in pairs:
                rows.append([header(col, lang), code, label])

    for row in rows:
        ws.append(row)
    for r in merged:
        ws.merged_cells.add(f"A{r}:E{r}")
