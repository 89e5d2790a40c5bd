"""The parts a board deck is made of, as plain data: slides, their charts, cards and facts.

Built by analytics/board/slides.py (and follow_up_slide.py for the agreements' slide); drawn by
the presentation mode (ui/board_view.py), pptx_deck.py and pdf_deck.py.
"""

from dataclasses import dataclass

from analytics.reference.load import Reference

INDICATOR_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")


@dataclass(frozen=True)
class Card:
    indicator: str
    label: str
    value: float
    text: str  # the value formatted for the language
    previous: str  # the previous period's value, formatted
    previous_line: str  # "Previous period: $1.2M", or "Same period of 2025: $1.2M" like for like
    change: str  # "+3 (+12.5%)", "+1.2 pts" or "" when unknown
    good: bool | None  # the change is good news (colour of the change); None: no change or no data
    target: str = ""  # "Target: 5.0 % · 83 % reached", "" when the view has no target for it


@dataclass(frozen=True)
class Fact:
    """A number said large on a slide, with what it is made of ("RBC 5 · RBD 4")."""

    label: str
    text: str
    detail: str = ""


@dataclass(frozen=True)
class Series:
    code: str  # a partnership type, an indicator id or "target"
    name: str
    values: tuple[float, ...]  # one per category; NaN is "no data"
    colour: str  # "#RRGGBB"


@dataclass(frozen=True)
class Chart:
    kind: str
    unit: str  # "count", "usd" or "share": how values and axes are formatted
    categories: tuple[str, ...]  # labels, in the language
    codes: tuple[str, ...]  # the codes (or years, indicator ids) of the categories
    series: tuple[Series, ...]
    stacked: bool


@dataclass(frozen=True)
class Slide:
    key: str
    kind: str  # "title", "story", "cards", "chart", "follow_up" or "definitions"
    title: str
    subtitle: str = ""
    note: str = ""  # what the slide's numbers mean (the main indicator's definition)
    cards: tuple[Card, ...] = ()
    chart: Chart | None = None
    rows: tuple[tuple[str, str], ...] = ()  # definitions: (indicator name, definition)
    items: tuple[str, ...] = ()  # story: its sentences, largest movement first; title: its lines
    facts: tuple[Fact, ...] = ()  # follow_up: the overdue reports, the agreements ending soon
    notes: str = ""  # the speaker notes (chart slides): definitions, filters, vintage, completeness


@dataclass(frozen=True)
class Deck:
    lang: str
    organisation: str
    title: str
    period: tuple[int, int]
    period_label: str
    filters_label: str
    date_label: str
    slides: tuple[Slide, ...]
    evidence: tuple[str, ...] = ()  # period, filters, vintage, completeness: the PDF's last page

    @property
    def footer(self) -> str:
        return f"{self.organisation} · {self.period_label} · {self.filters_label}"


def region_short(reference: Reference, code: str) -> str:
    """ "RBD Dakar": a region's code and its bureau, as charts label it."""
    rows = reference.regions[reference.regions["code"] == code]
    return f"{code} {rows['bureau'].iloc[0]}" if len(rows) else str(code)
