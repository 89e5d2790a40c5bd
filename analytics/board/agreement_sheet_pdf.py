"""The accountability sheet (analytics.board.agreement_sheet) on one A4 page, with reportlab.

The standard PDF fonts, as the deck's PDF (analytics.board.pdf_deck.pdf_text maps the text to
them): no font file, no internet. A table longer than the page has room for keeps its first rows
and says how many more there are, so the sheet stays one page whatever the agreement holds.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from analytics.board.agreement_sheet import Sheet
from analytics.board.agreement_sheet import Table as SheetTable
from analytics.board.pdf_deck import BOLD, DARK, FONT, GREY, pdf_text
from analytics.i18n import t

WIDTH, HEIGHT = A4
MARGIN = 40
INNER = WIDTH - 2 * MARGIN
BLUE, PALE = colors.HexColor("#1F5F9F"), colors.HexColor("#DDE6F0")
RULE = colors.HexColor("#BBBBBB")


def _style(size: float, bold: bool = False, colour=DARK) -> ParagraphStyle:
    return ParagraphStyle(
        "s", fontName=BOLD if bold else FONT, fontSize=size, leading=size * 1.25, textColor=colour
    )


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(pdf_text(text)).replace("\n", "<br/>"), style)


def _draw(c: Canvas, flowable, top: float, x: float = MARGIN, width: float = INNER) -> float:
    """Draw a paragraph or table whose top is at `top`; the height it took."""
    _, h = flowable.wrap(width, HEIGHT)
    flowable.drawOn(c, x, top - h)
    return h


def _facts(pairs, width: float) -> Table:
    rows = [[_para(k, _style(8.5, bold=True)), _para(v, _style(8.5))] for k, v in pairs]
    table = Table(rows, colWidths=[width * 0.42, width * 0.58])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
            ]
        )
    )
    return table


def _grid(table: SheetTable, widths: list[float], rows: int, lang: str) -> Table:
    """The table's header and first `rows` rows, and a last line for the ones left out."""
    shown = [list(table.header), *[list(r) for r in table.rows[:rows]]]
    more = len(table.rows) - rows
    if more > 0:
        shown.append([t("agreement_sheet.more", lang, count=more)] + [""] * (len(widths) - 1))
    cells = [[_para(v, _style(8, bold=(n == 0))) for v in row] for n, row in enumerate(shown)]
    grid = Table(cells, colWidths=[INNER * w / sum(widths) for w in widths], repeatRows=1)
    style = [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if more > 0:
        style.append(("SPAN", (0, len(shown) - 1), (-1, len(shown) - 1)))
    grid.setStyle(TableStyle(style))
    return grid


def _fitting(table: SheetTable, widths: list[float], room: float, lang: str) -> Table:
    """As many rows as fit in `room` points (at least the header and the 'more' line)."""
    rows = len(table.rows)
    grid = _grid(table, widths, rows, lang)
    while rows > 0 and grid.wrap(INNER, HEIGHT)[1] > room:
        rows -= 1
        grid = _grid(table, widths, rows, lang)
    return grid


def _money_bar(sheet: Sheet) -> Drawing:
    """Received against committed: a bar the width of the commitment, filled to the share."""
    drawing = Drawing(INNER, 16)
    drawing.add(Rect(0, 2, INNER, 10, fillColor=PALE, strokeColor=None))
    share = min(max(sheet.received_share or 0.0, 0.0), 1.0)
    if share > 0:
        drawing.add(Rect(0, 2, INNER * share, 10, fillColor=BLUE, strokeColor=None))
    if sheet.received_share is not None and sheet.received_share > 1:
        drawing.add(String(INNER - 2, 4, "+", fontName=BOLD, fontSize=8, textAnchor="end"))
    return drawing


def _section(c: Canvas, text: str, top: float) -> float:
    return _draw(c, _para(text, _style(11, bold=True, colour=BLUE)), top) + 4


def write_pdf(sheet: Sheet) -> bytes:
    """The sheet as a one-page A4 PDF file's bytes."""
    lang = sheet.lang
    out = BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(pdf_text(sheet.heading))
    c.setSubject(pdf_text(sheet.as_of))
    top = HEIGHT - MARGIN
    top -= _draw(c, _para(sheet.heading, _style(15, bold=True)), top) + 3
    top -= _draw(c, _para(sheet.as_of, _style(8.5, colour=GREY)), top) + 10
    half = (INNER - 16) / 2
    left = _draw(c, _para(t("agreement_sheet.partner", lang), _style(11, True, BLUE)), top)
    _draw(
        c,
        _para(t("agreement_sheet.agreement", lang), _style(11, True, BLUE)),
        top,
        MARGIN + half + 16,
        half,
    )
    top -= left + 4
    h1 = _draw(c, _facts(sheet.partner, half), top, MARGIN, half)
    h2 = _draw(c, _facts(sheet.agreement, half), top, MARGIN + half + 16, half)
    top -= max(h1, h2) + 12

    top -= _section(c, t("agreement_sheet.money", lang), top)
    top -= _draw(c, _para(sheet.money_line, _style(9)), top) + 2
    _money_bar(sheet).drawOn(c, MARGIN, top - 16)
    top -= 16 + 12

    bottom = MARGIN + 14  # the footer's line
    top -= _section(c, t("agreement_sheet.reports", lang), top)
    if sheet.reports.rows:
        # Half of what is left for the reports, the rest for the contributions.
        room = (top - bottom - 40) / 2 if sheet.contributions.rows else top - bottom - 30
        top -= _draw(
            c, _fitting(sheet.reports, [2.2, 3.4, 1.7, 1.7, 1.7, 1.7, 2.2], room, lang), top
        )
    else:
        top -= _draw(c, _para(t("agreement_sheet.no_reports", lang), _style(9, colour=GREY)), top)
    top -= 12
    top -= _section(c, t("agreement_sheet.contributions", lang), top)
    if sheet.contributions.rows:
        room = top - bottom - 6
        top -= _draw(c, _fitting(sheet.contributions, [2, 2, 1.2, 2.2, 1.8], room, lang), top)
    else:
        text = t("agreement_sheet.no_contributions", lang)
        top -= _draw(c, _para(text, _style(9, colour=GREY)), top)
    c.setFont(FONT, 7.5)
    c.setFillColor(GREY)
    c.drawString(MARGIN, MARGIN - 6, pdf_text(f"{sheet.region} · {sheet.agreement_id}"))
    c.drawRightString(WIDTH - MARGIN, MARGIN - 6, pdf_text(sheet.as_of)[:120])
    c.showPage()
    c.save()
    return out.getvalue()
