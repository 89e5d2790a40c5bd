"""The user's own workbook handed back with its problems marked, in the reader's language."""

import io

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from analytics.downloads import neutralise_value
from analytics.i18n import labelled, t
from analytics.reference.load import Reference
from analytics.register.messages import message, report_frame
from analytics.register.report import ERROR, Report


def _inert(value):
    """A value safe to write in a cell: no formula, no character XML cannot hold."""
    if isinstance(value, str):
        return neutralise_value(
            ILLEGAL_CHARACTERS_RE.sub(lambda m: f"U+{ord(m.group()):04X}", value)
        )
    return value


def annotated_workbook(
    data: bytes, report: Report, lang: str = "en", reference: Reference | None = None
) -> bytes:
    """The user's workbook with each erroneous cell in red with a comment, and an Errors sheet."""
    from openpyxl import load_workbook as open_xlsx
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    book = open_xlsx(io.BytesIO(data))
    red = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
    amber = PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C")
    for issue in report.issues:
        if issue.cell and issue.sheet in book.sheetnames:
            cell = book[issue.sheet][issue.cell]
            if issue.severity == ERROR or cell.fill != red:
                cell.fill = red if issue.severity == ERROR else amber
            label = t(f"severity.{issue.severity}", lang)
            previous = cell.comment.text + "\n" if cell.comment else ""
            text = message(issue, lang, reference)
            cell.comment = Comment(
                previous + labelled(label, text, lang), "Validation", width=300, height=120
            )
    title = t("report.errors_sheet", lang)
    if title in book.sheetnames:
        del book[title]
    sheet = book.create_sheet(title, 0)
    frame = report_frame(report, lang, reference)
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        # Values are as the user typed them: '=HYPERLINK(…)' is written as text, never a formula.
        sheet.append(
            [
                None if (isinstance(v, float) and np.isnan(v)) or v is pd.NA else _inert(v)
                for v in row
            ]
        )
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (12, 16, 8, 22, 22, 90, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
