"""The board deck as PDF (reportlab): one 16:9 page per slide, charts as vector graphics.

Renders the same `analytics.board.slides.Deck` as the PowerPoint and the presentation mode. The
standard PDF fonts need no file on the server; text is mapped to their character set (the thin
spaces and the minus sign Babel uses become a no-break space and a hyphen).
"""

import sys
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from analytics.board.slides import Chart, Deck, Slide
from analytics.i18n import t
from analytics.indicators.format import format_unit_value

WIDTH, HEIGHT = 960, 540  # points: 13.33 × 7.5 in, 16:9 like the PowerPoint
MARGIN = 36
FONT, BOLD = "Helvetica", "Helvetica-Bold"
DARK, GREY = colors.HexColor("#1F1F1F"), colors.HexColor("#595959")
ACCENT, SAMPLE = colors.HexColor("#0072B2"), colors.HexColor("#8A5A00")
_CHARS = {"\u202f": "\xa0", "\u2212": "-", "\u2011": "-", "\u200f": "", "\u200e": ""}


def pdf_text(text: str) -> str:
    """Text the standard PDF fonts can draw (WinAnsi); anything else becomes '?'."""
    text = "".join(_CHARS.get(ch, ch) for ch in str(text))
    return text.encode("cp1252", "replace").decode("cp1252")


def _style(
    size: float, bold: bool = False, colour=DARK, leading: float | None = None
) -> ParagraphStyle:
    return ParagraphStyle(
        "s",
        fontName=BOLD if bold else FONT,
        fontSize=size,
        leading=leading or size * 1.25,
        textColor=colour,
    )


def _paragraph(
    c: Canvas, text: str, x: float, top: float, width: float, style: ParagraphStyle
) -> float:
    """Draw wrapped text whose top is at `top`; the height it took."""
    para = Paragraph(escape(pdf_text(text)).replace("\n", "<br/>"), style)
    _, h = para.wrap(width, HEIGHT)
    para.drawOn(c, x, top - h)
    return h


def _title(c: Canvas, text: str) -> None:
    _paragraph(c, text, MARGIN, HEIGHT - MARGIN, WIDTH - 2 * MARGIN, _style(26, bold=True))


def _footer(c: Canvas, deck: Deck, n: int, total: int) -> None:
    c.setFont(FONT, 10)
    c.setFillColor(GREY)
    c.drawString(MARGIN, MARGIN / 2, pdf_text(deck.footer)[:170])
    c.drawRightString(WIDTH - MARGIN, MARGIN / 2, f"{n} / {total}")


def _table(
    c: Canvas,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    top: float,
    size: float,
) -> None:
    total = sum(widths)
    col_widths = [(WIDTH - 2 * MARGIN) * w / total for w in widths]
    cells = [
        [Paragraph(escape(pdf_text(v)), _style(size, bold=(r == 0))) for v in row]
        for r, row in enumerate([header, *rows])
    ]
    table = Table(cells, colWidths=col_widths)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#BBBBBB")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    _, h = table.wrap(WIDTH - 2 * MARGIN, HEIGHT)
    table.drawOn(c, MARGIN, top - h)


def _cover_parts(deck: Deck, slide: Slide, width: float) -> list[tuple[Paragraph, float]]:
    """The cover's paragraphs, each with the space left above it."""
    sample = t("board.sample_note", deck.lang)
    *lines, prepared_on = slide.items
    parts = [(slide.subtitle.upper(), _style(15, bold=True, colour=ACCENT), 0)]
    parts.append((slide.title, _style(44, bold=True, leading=50), 10))
    for n, line in enumerate(lines):
        style = _style(17, bold=True, colour=SAMPLE) if line == sample else _style(17, colour=GREY)
        parts.append((line, style, 22 if n == 0 else 6))
    parts.append((prepared_on, _style(13, colour=GREY), 18))
    out = []
    for text, style, gap in parts:
        para = Paragraph(escape(pdf_text(text)), style)
        para.wrap(width, HEIGHT)
        out.append((para, gap))
    return out


def _title_slide(c: Canvas, deck: Deck, slide: Slide) -> None:
    """The cover, its block centred on the page's height beside an accent rule."""
    left, width = MARGIN + 30, WIDTH - 2 * MARGIN - 30
    parts = _cover_parts(deck, slide, width)
    height = sum(p.height + gap for p, gap in parts)
    top = (HEIGHT + height) / 2
    c.setFillColor(ACCENT)
    c.rect(MARGIN, top - height - 6, 8, height + 12, stroke=0, fill=1)
    for para, gap in parts:
        top -= gap + para.height
        para.drawOn(c, left, top)


def _cards_slide(c: Canvas, deck: Deck, slide: Slide) -> None:
    lang = deck.lang
    _paragraph(c, slide.subtitle, MARGIN, HEIGHT - 84, WIDTH - 2 * MARGIN, _style(16, colour=GREY))
    header = [
        t(f"board.kpi_{k}", lang) for k in ("indicator", "value", "previous", "change", "target")
    ]
    _table(
        c,
        header,
        [[x.label, x.text, x.previous, x.change, x.target] for x in slide.cards],
        [4, 2, 2, 3, 4],
        HEIGHT - 116,
        16,
    )


def chart_drawing(chart: Chart, lang: str, width: float, height: float) -> Drawing:
    """The chart as reportlab vector graphics, with a legend when there are several series."""
    drawing = Drawing(width, height)
    legend_h = 28 if len(chart.series) > 1 else 0
    horizontal = chart.kind == "bar"
    bars = HorizontalBarChart() if horizontal else VerticalBarChart()
    label_room = 160 if horizontal else 0
    bars.x, bars.y = 80 + label_room, 40
    bars.width, bars.height = width - bars.x - 20, height - bars.y - legend_h - 16
    # NaN -> no bar. Values so large that their stack overflows (only a register that bypassed
    # validation has them) are capped so that the axis stays finite: the page is drawn anyway.
    cap = sys.float_info.max / (2 * max(1, len(chart.series)))
    bars.data = [
        tuple(None if v != v else max(min(v, cap), -cap) for v in s.values) for s in chart.series
    ]
    names = [pdf_text(x) for x in chart.categories]
    bars.categoryAxis.categoryNames = list(reversed(names)) if horizontal else names
    if horizontal:  # reportlab draws the first category at the bottom; the slide reads top down
        bars.data = [tuple(reversed(d)) for d in bars.data]
    bars.categoryAxis.labels.fontName = bars.valueAxis.labels.fontName = FONT
    bars.categoryAxis.labels.fontSize = bars.valueAxis.labels.fontSize = 13
    if horizontal:
        bars.categoryAxis.labels.boxAnchor = "e"
    if chart.stacked:
        bars.categoryAxis.style = "stacked"
    values = [v for d in bars.data for v in d if v is not None]
    top = max(values, default=0.0)
    if chart.stacked:
        top = max(
            (sum(v for v in col if v is not None) for col in zip(*bars.data, strict=True)),
            default=0.0,
        )
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = top * 1.1 if top > 0 else 1
    bars.valueAxis.labelTextFormat = lambda v: pdf_text(format_unit_value(chart.unit, v, lang))
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    bars.barSpacing = 2
    bars.groupSpacing = 12
    for n, s in enumerate(chart.series):
        bars.bars[n].fillColor = colors.HexColor(s.colour)
        bars.bars[n].strokeColor = None
    if not chart.stacked:
        bars.barLabelFormat = lambda v: pdf_text(format_unit_value(chart.unit, v, lang))
        bars.barLabels.fontName, bars.barLabels.fontSize = FONT, 12
        bars.barLabels.boxAnchor = "w" if horizontal else "s"
        bars.barLabels.nudge = 6
    drawing.add(bars)
    if legend_h:
        legend = Legend()
        legend.x, legend.y = bars.x, height - 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.fontName, legend.fontSize = FONT, 13
        legend.colorNamePairs = [
            (colors.HexColor(s.colour), pdf_text(s.name)) for s in chart.series
        ]
        legend.deltax = max(100, 10 + max(len(s.name) for s in chart.series) * 7)
        drawing.add(legend)
    return drawing


def _chart_slide(c: Canvas, deck: Deck, slide: Slide) -> None:
    drawing = chart_drawing(slide.chart, deck.lang, WIDTH - 2 * MARGIN, HEIGHT - 190)
    drawing.drawOn(c, MARGIN, 92)
    _paragraph(c, slide.note, MARGIN, 84, WIDTH - 2 * MARGIN, _style(12, colour=GREY))


def _follow_up_slide(c: Canvas, deck: Deck, slide: Slide) -> None:
    """The on-time reporting rate by region beside the overdue reports and the agreements
    ending soon; a sentence when the view has no agreement."""
    full = WIDTH - 2 * MARGIN
    if not slide.facts:
        _paragraph(c, " ".join(slide.items), MARGIN, HEIGHT - 130, full * 0.8, _style(20))
        return
    _paragraph(c, slide.subtitle, MARGIN, HEIGHT - 84, full, _style(16, colour=GREY))
    chart_width = 600  # the horizontal bars' axis keeps room for "100.0%" between ticks
    if slide.chart is not None:
        drawing = chart_drawing(slide.chart, deck.lang, chart_width, HEIGHT - 220)
        drawing.drawOn(c, MARGIN, 92)
    left, width = MARGIN + chart_width + 30, full - chart_width - 30
    top = HEIGHT - 130
    for fact in slide.facts:
        top -= _paragraph(c, fact.label, left, top, width, _style(14, colour=GREY)) + 4
        top -= _paragraph(c, fact.text, left, top, width, _style(34, bold=True)) + 4
        top -= _paragraph(c, fact.detail, left, top, width, _style(13)) + 26
    _paragraph(c, slide.note, MARGIN, 84, full, _style(12, colour=GREY))


def _story_slide(c: Canvas, deck: Deck, slide: Slide) -> None:
    top = HEIGHT - 96
    for line in slide.items:
        top -= _paragraph(c, f"• {line}", MARGIN, top, WIDTH - 2 * MARGIN, _style(17)) + 12


def _evidence_page(c: Canvas, deck: Deck) -> None:
    """The speaker notes of the PowerPoint, on paper: period, filters, vintage, completeness."""
    _title(c, t("board.evidence.title", deck.lang))
    text = "\n".join(deck.evidence)
    _paragraph(c, text, MARGIN, HEIGHT - 96, WIDTH - 2 * MARGIN, _style(13, leading=18))


def _definitions_slide(c: Canvas, deck: Deck, slide: Slide) -> None:
    header = [t("board.definition_name", deck.lang), t("board.definition_text", deck.lang)]
    _table(c, header, [list(r) for r in slide.rows], [1, 3], HEIGHT - 90, 12.5)


_RENDER = {
    "story": _story_slide,
    "cards": _cards_slide,
    "chart": _chart_slide,
    "follow_up": _follow_up_slide,
    "definitions": _definitions_slide,
}


def write_pdf(deck: Deck) -> bytes:
    """The deck as a PDF file's bytes: one page per slide, then the evidence."""
    out = BytesIO()
    c = Canvas(out, pagesize=(WIDTH, HEIGHT), pageCompression=1)
    c.setTitle(pdf_text(deck.title))
    c.setSubject(pdf_text(deck.footer))
    total = len(deck.slides) + 1  # the evidence is the last page
    for n, slide in enumerate(deck.slides, start=1):
        if slide.kind == "title":
            _title_slide(c, deck, slide)
        else:
            _title(c, slide.title)
            _RENDER[slide.kind](c, deck, slide)
            _footer(c, deck, n, total)
        c.showPage()
    _evidence_page(c, deck)
    _footer(c, deck, total, total)
    c.showPage()
    c.save()
    return out.getvalue()
