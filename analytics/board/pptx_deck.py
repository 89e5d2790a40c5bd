"""The board deck as PowerPoint (python-pptx): native, editable charts carrying their data.

Renders an `analytics.board.slides.Deck` as it is: a title slide, the story (what changed), the
key indicators as a table, one
slide per chart (a real PowerPoint chart with its embedded data sheet, so the board secretary
can restyle or edit it, with the evidence in its speaker notes), and the appendix of definitions. Only python-pptx's own writers are
used, and text is stripped of characters XML forbids, so PowerPoint opens it without a repair.
"""

import math
import re
from io import BytesIO

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from analytics.board.slides import Chart, Deck, Slide
from analytics.i18n import t

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9, the projector's shape
MARGIN = Inches(0.5)
TITLE_SIZE, BODY_SIZE, SMALL_SIZE = Pt(30), Pt(18), Pt(12)
DARK = RGBColor(0x1F, 0x1F, 0x1F)
GREY = RGBColor(0x59, 0x59, 0x59)
ACCENT = RGBColor(0x00, 0x72, 0xB2)  # the deck's first series colour
SAMPLE = RGBColor(0x8A, 0x5A, 0x00)  # the sample-data label stands out, as on the pages
CHART_TYPES = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked_column": XL_CHART_TYPE.COLUMN_STACKED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
}
_LAYOUT_TITLE_ONLY = 5  # in python-pptx's default template
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text safe in the deck's XML (control characters dropped)."""
    return _XML_ILLEGAL.sub("", str(text))


def number_format(unit: str, lang: str) -> str:
    """An Excel number format for a chart's values: $1.2M / 1,2 M $, 12.5%, 1,234.

    Format codes are locale-independent; PowerPoint shows them with the reader's separators.
    Where the currency goes is the language's: `board.number_format.usd` in locales/<lang>.
    """
    if unit == "share":
        return "0.0%"
    if unit == "usd":
        return t("board.number_format.usd", lang)
    return "#,##0"


def _text(
    slide, text: str, left, top, width, height, size=BODY_SIZE, bold=False, colour=DARK, align=None
):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for n, line in enumerate(str(text).split("\n")):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = clean(line)
        run.font.size, run.font.bold, run.font.color.rgb = size, bold, colour
        if align is not None:
            paragraph.alignment = align
    return box


def _title(slide, text: str) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = (
        MARGIN,
        Inches(0.3),
        WIDTH - 2 * MARGIN,
        Inches(0.9),
    )
    shape.text_frame.text = clean(text)
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    paragraph.runs[0].font.size, paragraph.runs[0].font.bold = TITLE_SIZE, True


def _footer(slide, deck: Deck, n: int, total: int) -> None:
    _text(
        slide,
        deck.footer,
        MARGIN,
        HEIGHT - Inches(0.55),
        WIDTH - 2 * MARGIN - Inches(1.5),
        Inches(0.4),
        SMALL_SIZE,
        colour=GREY,
    )
    _text(
        slide,
        f"{n} / {total}",
        WIDTH - MARGIN - Inches(1.5),
        HEIGHT - Inches(0.55),
        Inches(1.5),
        Inches(0.4),
        SMALL_SIZE,
        colour=GREY,
        align=PP_ALIGN.RIGHT,
    )


def _table(
    slide, header: list[str], rows: list[list[str]], widths: list[float], top, size=BODY_SIZE
) -> None:
    height = Inches(0.5) * (len(rows) + 1)
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), MARGIN, top, WIDTH - 2 * MARGIN, height
    )
    table = shape.table
    total = sum(widths)
    for col, w in enumerate(widths):
        table.columns[col].width = Emu(int((WIDTH - 2 * MARGIN) * w / total))
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = clean(value)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size, run.font.bold = size, r == 0


def _title_slide(prs, deck: Deck, slide: Slide) -> None:
    """The cover, its block centred on the slide's height: an accent rule, the organisation,
    the title in large type, the view, which data it counts, the sample-data label, the date."""
    s = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE_ONLY])
    left, width = MARGIN + Inches(0.45), WIDTH - 2 * MARGIN - Inches(0.45)
    rule = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(1.35), Inches(0.12), Inches(4.8))
    rule.fill.solid()
    rule.fill.fore_color.rgb = ACCENT
    rule.line.fill.background()
    _text(s, slide.subtitle.upper(), left, Inches(1.35), width, Inches(0.5), Pt(20), True, ACCENT)
    title = s.shapes.title
    title.left, title.top, title.width, title.height = left, Inches(1.9), width, Inches(1.6)
    title.text_frame.text = clean(slide.title)
    title.text_frame.word_wrap = True
    title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = title.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    paragraph.runs[0].font.size, paragraph.runs[0].font.bold = Pt(48), True
    sample = t("board.sample_note", deck.lang)
    *lines, prepared_on = slide.items
    top = Inches(3.7)
    for line in lines:
        sampled = line == sample
        _text(s, line, left, top, width, Inches(0.5), Pt(20), sampled, SAMPLE if sampled else GREY)
        top += Inches(0.48)
    _text(s, prepared_on, left, top + Inches(0.25), width, Inches(0.45), Pt(16), colour=GREY)


def _cards_slide(s, deck: Deck, slide: Slide) -> None:
    """The key indicators as a summary table (value, previous period, change)."""
    lang = deck.lang
    header = [
        t(f"board.kpi_{k}", lang) for k in ("indicator", "value", "previous", "change", "target")
    ]
    rows = [[c.label, c.text, c.previous, c.change, c.target] for c in slide.cards]
    _text(
        s,
        slide.subtitle,
        MARGIN,
        Inches(1.15),
        WIDTH - 2 * MARGIN,
        Inches(0.45),
        BODY_SIZE,
        colour=GREY,
    )
    _table(s, header, rows, [4, 2, 2, 3, 4], Inches(1.7), BODY_SIZE)


def _none_if_nan(values) -> list:
    return [None if v is None or math.isnan(v) else v for v in values]


def add_chart(s, chart: Chart, lang: str, left, top, width, height):
    """A native PowerPoint chart of the slide's series (python-pptx writes its data sheet)."""
    data = CategoryChartData(number_format=number_format(chart.unit, lang))
    data.categories = [clean(c) for c in chart.categories]
    for series in chart.series:
        data.add_series(clean(series.name), _none_if_nan(series.values))
    frame = s.shapes.add_chart(CHART_TYPES[chart.kind], left, top, width, height, data)
    native = frame.chart
    native.font.size = Pt(14)
    native.has_legend = len(chart.series) > 1
    if native.has_legend:
        native.legend.position = XL_LEGEND_POSITION.TOP
        native.legend.include_in_layout = False
    plot = native.plots[0]
    if chart.stacked:
        plot.overlap = 100
    plot.gap_width = 60
    for series, drawn in zip(chart.series, plot.series, strict=True):
        drawn.format.fill.solid()
        drawn.format.fill.fore_color.rgb = RGBColor.from_string(series.colour.lstrip("#").upper())
    if not chart.stacked:  # values on the bars; a stack shows its parts on the axis instead
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format, labels.number_format_is_linked = (
            number_format(chart.unit, lang),
            False,
        )
        labels.font.size = Pt(12)
    axis = native.value_axis
    axis.has_major_gridlines = True
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = (
        number_format(chart.unit, lang),
        False,
    )
    if chart.kind == "bar":  # horizontal bars read top to bottom in the slide's order
        native.category_axis.reverse_order = True
    return native


def _story_slide(s, deck: Deck, slide: Slide) -> None:
    # One paragraph a sentence, largest movement first; the text box grows with PowerPoint's
    # autofit if a long list of names needs it.
    text = "\n".join(f"• {line}" for line in slide.items)
    box = _text(s, text, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(5.4), Pt(20))
    for paragraph in box.text_frame.paragraphs:
        paragraph.space_after = Pt(10)


def _chart_slide(s, deck: Deck, slide: Slide) -> None:
    add_chart(s, slide.chart, deck.lang, MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, Inches(4.9))
    _text(
        s,
        slide.note,
        MARGIN,
        Inches(6.15),
        WIDTH - 2 * MARGIN,
        Inches(0.7),
        SMALL_SIZE,
        colour=GREY,
    )


def _follow_up_slide(s, deck: Deck, slide: Slide) -> None:
    """The on-time reporting rate by region (a native chart) beside the overdue reports and the
    agreements ending soon; a sentence when the view has no agreement."""
    full = WIDTH - 2 * MARGIN
    if not slide.facts:
        _text(s, " ".join(slide.items), MARGIN, Inches(1.8), full, Inches(3.0), Pt(24))
        return
    _text(s, slide.subtitle, MARGIN, Inches(1.15), full, Inches(0.45), BODY_SIZE, colour=GREY)
    chart_width = Inches(7.7)
    if slide.chart is not None:
        add_chart(s, slide.chart, deck.lang, MARGIN, Inches(1.7), chart_width, Inches(4.35))
    left, width = MARGIN + chart_width + Inches(0.4), full - chart_width - Inches(0.4)
    top = Inches(1.8)
    for fact in slide.facts:
        _text(s, fact.label, left, top, width, Inches(0.7), Pt(16), colour=GREY)
        # The label may take two lines (French): the number sits below them.
        _text(s, fact.text, left, top + Inches(0.75), width, Inches(0.8), Pt(40), True)
        _text(s, fact.detail, left, top + Inches(1.5), width, Inches(0.5), Pt(15))
        top += Inches(2.2)
    _text(s, slide.note, MARGIN, Inches(6.15), full, Inches(0.7), SMALL_SIZE, colour=GREY)


def _definitions_slide(s, deck: Deck, slide: Slide) -> None:
    header = [t("board.definition_name", deck.lang), t("board.definition_text", deck.lang)]
    _table(s, header, [list(r) for r in slide.rows], [1, 3], Inches(1.2), Pt(13))


_RENDER = {
    "story": _story_slide,
    "cards": _cards_slide,
    "chart": _chart_slide,
    "follow_up": _follow_up_slide,
    "definitions": _definitions_slide,
}


def write_pptx(deck: Deck) -> bytes:
    """The deck as a .pptx file's bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = clean(deck.title)
    prs.core_properties.subject = clean(deck.footer)
    prs.core_properties.language = deck.lang
    total = len(deck.slides)
    for n, slide in enumerate(deck.slides, start=1):
        if slide.kind == "title":
            _title_slide(prs, deck, slide)
            continue
        s = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE_ONLY])
        _title(s, slide.title)
        _RENDER[slide.kind](s, deck, slide)
        _footer(s, deck, n, total)
        if slide.notes:  # the evidence, for the presenter's eyes only
            s.notes_slide.notes_text_frame.text = clean(slide.notes)
    out = BytesIO()
    prs.save(out)
    return out.getvalue()
