"""The board deck, defined once: which slides, in which order, with which numbers.

The presentation mode (app_pages/dashboards/board.py) and the PowerPoint and PDF exports (analytics/board/exports.py)
all render the `Deck` that `build_deck` returns. No indicator is computed here: every number
comes from the catalogue (`analytics.indicators.compute`, `timeseries`, `targets`) for the same
period and filters, so the slides, the decks and the dashboards agree. No Streamlit here.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from analytics import config
from analytics import indicators as ind
from analytics.board import story
from analytics.board.deck_parts import (
    INDICATOR_COLOURS,
    Card,
    Chart,
    Deck,
    Series,
    Slide,
    region_short,
)
from analytics.board.evidence import SAMPLE_READ, Vintage, chart_notes, evidence_lines
from analytics.board.follow_up_slide import INDICATORS as FOLLOW_UP_INDICATORS
from analytics.board.follow_up_slide import follow_up_slide
from analytics.charts import colour as code_colour
from analytics.i18n import fmt_date, t
from analytics.indicators import Filters, Prepared, views
from analytics.indicators.format import (
    describe_filters,
    format_change,
    format_value,
    good_news,
    period_label,
)
from analytics.reference.load import Reference

TREND_YEARS = 6  # the trend slide shows at most this many years up to the period's last
DEFINITIONS_PER_SLIDE = 8  # appendix rows that stay readable on a projector
KPIS = ind.OVERVIEW  # the director's key indicators, as on the overview page
TARGET_COLOUR = "#AAAAAA"  # the target stands behind the values, in grey


@dataclass(frozen=True)
class ChartSpec:
    """One chart slide: indicators, what the categories and the series are, and how it is drawn."""

    key: str
    indicators: tuple[str, ...]
    category: str  # "region", "partnership_type", "year" or "indicator"
    series: str  # "partnership_type" or "indicator"
    kind: str  # "column", "stacked_column", "bar" (horizontal)
    target: bool = False  # add the reference target of the indicator as a series


# The chart slides, in order. Each becomes one slide in every rendering.
CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("by_region", ("contributions_usd",), "region", "partnership_type", "stacked_column"),
    ChartSpec(
        "by_type",
        ("received_usd", "pledged_usd"),
        "partnership_type",
        "indicator",
        "stacked_column",
    ),
    ChartSpec("trend", ("contributions_usd",), "year", "partnership_type", "stacked_column"),
    ChartSpec(
        "share_of_budget",
        ("private_share_of_budget",),
        "region",
        "indicator",
        "column",
        target=True,
    ),
    ChartSpec(
        "partners",
        ("active_partners", "new_partnerships"),
        "partnership_type",
        "indicator",
        "column",
    ),
    ChartSpec("governance", ind.GOVERNANCE, "indicator", "indicator", "bar"),
)


def _category_labels(spec: ChartSpec, codes: list, reference: Reference, lang: str) -> list[str]:
    if spec.category == "region":
        return [region_short(reference, c) for c in codes]
    if spec.category == "partnership_type":
        return [reference.label("partnership_type", c, lang) for c in codes]
    if spec.category == "indicator":
        return [ind.short(c, lang) for c in codes]
    return [str(c) for c in codes]


def _values(column) -> tuple[float, ...]:
    # ±inf (a sum that overflowed) is no data, like NaN: no renderer can draw it.
    return tuple(float(v) if np.isfinite(v) else math.nan for v in np.asarray(column, float))


def _chart(
    prepared: Prepared, spec: ChartSpec, period, filters: Filters, today, lang: str
) -> Chart:
    """The chart's categories and series, read from the catalogue for the period and filters."""
    reference = prepared.reference
    by = tuple(d for d in ("region", "partnership_type") if d in (spec.category, spec.series))
    if spec.category == "year":
        last = period[1]
        years = [y for y in ind.years_with_data(prepared) if y <= last][-TREND_YEARS:] or [last]
        frame = ind.timeseries(prepared, years, by, filters, today, list(spec.indicators))
    else:
        frame = ind.compute(prepared, period, by, filters, today, list(spec.indicators))
    series: list[Series] = []
    if spec.category == "indicator":  # one row (no grouping): the indicators are the categories
        codes = list(spec.indicators)
        row = frame.iloc[0]
        name = t(f"board.chart.{spec.key}.series", lang)
        series.append(Series("value", name, _values([row[i] for i in codes]), INDICATOR_COLOURS[0]))
    else:
        category_col = "year" if spec.category == "year" else spec.category
        codes = list(dict.fromkeys(frame[category_col].tolist()))
        if spec.series == "partnership_type":
            for code in dict.fromkeys(frame["partnership_type"].tolist()):
                part = frame[frame["partnership_type"] == code].set_index(category_col)
                values = part[spec.indicators[0]].reindex(codes)
                label = reference.label("partnership_type", code, lang)
                series.append(
                    Series(code, label, _values(values), code_colour("partnership_type", code))
                )
        else:
            table = frame.set_index(category_col)
            for n, i in enumerate(spec.indicators):
                series.append(
                    Series(
                        i,
                        ind.short(i, lang),
                        _values(table[i].reindex(codes)),
                        INDICATOR_COLOURS[n],
                    )
                )
        if spec.target:
            targets = ind.targets(prepared, period, by, filters).set_index(category_col)
            for i in spec.indicators:
                values = _values(targets[i].reindex(codes))
                if not all(math.isnan(v) for v in values):
                    series.append(Series("target", t("board.target", lang), values, TARGET_COLOUR))
    return Chart(
        kind=spec.kind,
        unit=ind.unit(spec.indicators[0]),
        categories=tuple(_category_labels(spec, codes, reference, lang)),
        codes=tuple(str(c) for c in codes),
        series=tuple(series),
        stacked=spec.kind.startswith("stacked"),
    )


def _cards(prepared: Prepared, period, filters: Filters, today, lang: str) -> tuple[Card, ...]:
    # The same values, changes and words as the overview's cards (ui/dashboard.py).
    table = views.cards(prepared, period, KPIS, filters, today).set_index("indicator")
    goals = ind.targets(prepared, period, (), filters).iloc[0]  # the view's target of each
    compared = ind.comparison(period, today)
    cards = []
    for i in KPIS:
        row = table.loc[i]
        previous = format_value(i, row["previous"], lang)
        if compared.like_for_like and ind.CATALOGUE[i].flow:  # a flow: the same days of Y-1
            line = ind.previous_value_text(compared, previous, lang, "board.previous_value")
        else:
            line = t("board.previous_value", lang, value=previous)
        cards.append(
            Card(
                indicator=i,
                label=ind.short(i, lang),
                value=float(row["value"]),
                text=format_value(i, row["value"], lang),
                previous=previous,
                previous_line=line,
                change=format_change(i, row["change"], row["change_pct"], lang, unknown=""),
                good=good_news(i, row["value"], row["previous"]),
                target=ind.target_text(i, row["value"], goals.get(i), lang),
            )
        )
    return tuple(cards)


def used_indicators() -> list[str]:
    """Every indicator the deck shows, in order of appearance (the appendix defines them)."""
    ids = list(KPIS) + [i for spec in CHARTS for i in spec.indicators]
    ids += [i for i in FOLLOW_UP_INDICATORS if i != "reports_due"]  # due: in the rate's words
    return list(dict.fromkeys(ids))


def _title_lines(deck_lines: tuple[str, str, str], vintage, lang: str) -> tuple[str, ...]:
    """Below the title: the view, the sample-data label when samples are counted, the date."""
    view, where, prepared_on = deck_lines
    samples = vintage is not None and any(v.status in ("sample", SAMPLE_READ) for v in vintage)
    return (view, where, *([t("board.sample_note", lang)] if samples else []), prepared_on)


def resolve_period(prepared: Prepared, year=None, today: date | None = None) -> tuple[int, int]:
    """The year or range asked for, else the latest year with data (else this year)."""
    if year is None:
        year = ind.latest_year(prepared, today) or (today or config.today()).year
    return ind.period_bounds(year)


def build_deck(
    prepared: Prepared,
    year=None,
    filters: Filters | None = None,
    lang: str = "en",
    today: date | None = None,
    vintage: Sequence[Vintage] | None = None,
    removals: Sequence = (),
) -> Deck:
    """Every slide of the board deck for a period (a year or a range) and filters; `vintage`,
    the store's current versions, for the evidence (None: not known); `removals`, for the story's
    sentences on removals (story.summary; the overdue reports' come from `prepared`)."""
    filters = filters or ind.NO_FILTERS
    today = today or config.today()
    period = resolve_period(prepared, year, today)
    reference = prepared.reference
    plabel = period_label(period)
    flabel = describe_filters(filters, reference, lang, "board.filter")
    organisation = t("board.organisation", lang)
    title = t("board.deck_title", lang, period=plabel)
    compared = ind.comparison(period, today)  # like for like in today's unfinished year
    previous = period_label(compared.previous)
    kpis_key = "subtitle_year_to_date" if compared.like_for_like else "subtitle"
    told = story.summary(prepared, period, filters, lang, today, removals)
    sentences = [i.text for i in told]
    evidence = evidence_lines(prepared, period, filters, vintage, lang)
    lines = (
        t("board.period_line", lang, period=plabel),
        t("board.filters_line", lang, filters=flabel),
        t("board.prepared_on", lang, date=fmt_date(today, lang)),
    )
    slides = [
        Slide(
            "title", "title", title, subtitle=organisation, items=_title_lines(lines, vintage, lang)
        ),
        Slide(
            "story",
            "story",
            story.title(period, lang, today),
            items=tuple(sentences or [story.nothing_changed(period, lang, today)]),
        ),
        Slide(
            "kpis",
            "cards",
            t("board.kpis.title", lang, period=plabel),
            subtitle=t(f"board.kpis.{kpis_key}", lang, previous=previous),
            cards=_cards(prepared, period, filters, today, lang),
        ),
    ]
    for spec in CHARTS:
        slides.append(
            Slide(
                spec.key,
                "chart",
                t(f"board.chart.{spec.key}.title", lang, period=plabel),
                note=t(f"board.chart.{spec.key}.note", lang),
                chart=_chart(prepared, spec, period, filters, today, lang),
                notes=chart_notes(spec.indicators, evidence, lang),
            )
        )
    slides.append(follow_up_slide(prepared, period, filters, today, evidence, lang))
    rows = [(ind.name(i, lang), ind.definition(i, lang)) for i in used_indicators()]
    pages = math.ceil(len(rows) / DEFINITIONS_PER_SLIDE)
    for n in range(pages):
        chunk = rows[n * DEFINITIONS_PER_SLIDE : (n + 1) * DEFINITIONS_PER_SLIDE]
        slides.append(
            Slide(
                f"definitions_{n + 1}",
                "definitions",
                t("board.definitions", lang, page=n + 1, pages=pages),
                rows=tuple(chunk),
            )
        )
    return Deck(
        lang=lang,
        organisation=organisation,
        title=title,
        period=period,
        period_label=plabel,
        filters_label=flabel,
        date_label=fmt_date(today, lang),
        slides=tuple(slides),
        evidence=evidence,
    )
