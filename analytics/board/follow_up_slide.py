"""The numbers of the deck's "Follow-up of agreements" slide, per region of the view.

The follow-up indicators (analytics.indicators.follow_up) of the period's last year, counted on
the agreements of the partners the view keeps, as the story's overdue sentence counts them
(story_follow_up.by_region): the on-time reporting rate, the reports due and overdue, and the
signed agreements ending within 90 days of the cut-off (the earlier of 31 December and today).
`follow_up_slide` makes the slide of them (slides.py places it after the charts).
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics.board.deck_parts import INDICATOR_COLOURS, Chart, Fact, Series, Slide, region_short
from analytics.board.evidence import chart_notes
from analytics.board.story_follow_up import by_region
from analytics.i18n import fmt_date, fmt_number, t
from analytics.indicators.follow_up import ENDING_SOON_DAYS
from analytics.indicators.format import short
from analytics.indicators.scope import scope
from analytics.indicators.views import regions_in_scope

# The indicators the slide shows, in the order its speaker notes define them.
INDICATORS = ("on_time_reporting_rate", "reports_due", "reports_overdue", "agreements_ending_soon")


@dataclass(frozen=True)
class RegionFollowUp:
    region: str
    due: int
    on_time: int
    rate: float  # on time / due; NaN when no report was due
    overdue: int
    ending: int


@dataclass(frozen=True)
class FollowUp:
    year: int
    cut_off: date
    agreements: int  # agreements of the partners the view keeps, any year, any status
    regions: tuple[RegionFollowUp, ...]  # the regions in scope with a kept agreement, in order

    @property
    def due(self) -> int:
        return sum(r.due for r in self.regions)

    @property
    def overdue(self) -> int:
        return sum(r.overdue for r in self.regions)

    @property
    def ending(self) -> int:
        return sum(r.ending for r in self.regions)


def _kept_agreements(prepared, agreements: pd.DataFrame, filters) -> pd.DataFrame:
    kept = scope(prepared, (), filters).partner_group >= 0
    partners = prepared.partners.loc[kept, ["region", "partner_id"]].astype(str)
    return agreements.merge(partners.drop_duplicates(), on=["region", "partner_id"])


def follow_up_numbers(prepared, period, filters, today: date) -> FollowUp:
    """The slide's numbers for the period's last year, from the agreements and reports of the
    prepared register (the counted versions)."""
    year = int(period[1])
    cut = min(date(year, 12, 31), today)  # the catalogue's cut-off (Context.cut_off)
    agreements = prepared.agreements
    if agreements.empty:
        return FollowUp(year, cut, 0, ())
    kept = _kept_agreements(prepared, agreements, filters)
    if kept.empty:
        return FollowUp(year, cut, 0, ())
    ids = (
        "reports_due",
        "reports_on_time",
        "on_time_reporting_rate",
        "reports_overdue",
        "agreements_ending_soon",
    )
    table = by_region(prepared, year, today, filters, ids)
    with_agreements = set(kept["region"])
    regions = []
    for code in regions_in_scope(prepared, filters):
        if code not in with_agreements or code not in table.index:
            continue
        row = table.loc[code]
        regions.append(
            RegionFollowUp(
                code,
                int(row["reports_due"]),
                int(row["reports_on_time"]),
                float(row["on_time_reporting_rate"]),
                int(row["reports_overdue"]),
                int(row["agreements_ending_soon"]),
            )
        )
    return FollowUp(year, cut, len(kept), tuple(regions))


def _by_region_text(counts: list[tuple[str, int]], lang: str) -> str:
    """ "RBC 5 · RBD 4": the regions with some, the most first."""
    some = sorted(((code, n) for code, n in counts if n > 0), key=lambda x: (-x[1], x[0]))
    if not some:
        return t("board.follow_up.none_by_region", lang)
    return " · ".join(f"{code} {fmt_number(n, lang)}" for code, n in some)


def _slide(prepared, numbers: FollowUp, evidence, lang: str) -> Slide:
    """On-time reporting rate by region (the regions with a report due), the overdue reports
    and the agreements ending soon, by region; a sentence when the view has no agreement."""
    year, cut = numbers.year, fmt_date(numbers.cut_off, lang)
    title = t("board.follow_up.title", lang, period=str(year))
    notes = chart_notes(INDICATORS, evidence, lang)
    notes = t("board.follow_up.notes_cut_off", lang, date=cut) + "\n" + notes
    if not numbers.agreements:
        return Slide(
            "follow_up", "follow_up", title, items=(t("board.follow_up.none", lang),), notes=notes
        )
    rated = [r for r in numbers.regions if r.due > 0]
    chart = None
    if rated:
        rate = short("on_time_reporting_rate", lang)
        chart = Chart(
            kind="bar",
            unit="share",
            categories=tuple(region_short(prepared.reference, r.region) for r in rated),
            codes=tuple(r.region for r in rated),
            series=(
                Series(
                    "on_time_reporting_rate",
                    rate,
                    tuple(r.rate for r in rated),
                    INDICATOR_COLOURS[0],
                ),
            ),
            stacked=False,
        )
    overdue = [(r.region, r.overdue) for r in numbers.regions]
    ending = [(r.region, r.ending) for r in numbers.regions]
    facts = (
        Fact(
            t("board.follow_up.overdue", lang, date=cut),
            fmt_number(numbers.overdue, lang),
            _by_region_text(overdue, lang),
        ),
        Fact(
            t("board.follow_up.ending", lang, date=cut, days=ENDING_SOON_DAYS),
            fmt_number(numbers.ending, lang),
            _by_region_text(ending, lang),
        ),
    )
    return Slide(
        "follow_up",
        "follow_up",
        title,
        subtitle=t("board.follow_up.subtitle", lang, count=numbers.due, year=year, date=cut),
        note=t(
            "board.follow_up.note" if rated else "board.follow_up.no_report_due",
            lang,
            year=year,
            date=cut,
        ),
        chart=chart,
        facts=facts,
        notes=notes,
    )


def follow_up_slide(prepared, period, filters, today: date, evidence, lang: str) -> Slide:
    """The deck's "Follow-up of agreements" slide for the view."""
    return _slide(prepared, follow_up_numbers(prepared, period, filters, today), evidence, lang)
