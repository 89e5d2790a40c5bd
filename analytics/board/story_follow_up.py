"""The board's story about agreements: "2 reports are overdue in RBC".

Built from the catalogue's follow-up indicators (analytics.indicators.follow_up) of the period's last year,
per region of the view, counting the agreements of the partners the view's filters keep (region,
partnership type, category: an agreement follows its partner), like the story's other sentences: an `Item` with the
indicator id, the value, the previous year's value (like for like: on the same day of the
previous year while the period's year is unfinished) and the regions it names, ranked by its
size (the overdue reports in % of the reports due), in the language's words.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics import config
from analytics.i18n import fmt_number, t
from analytics.indicators.compute import compute
from analytics.indicators.prepare import Prepared
from analytics.indicators.scope import comparison
from analytics.indicators.views import regions_in_scope

INDICATOR = "reports_overdue"
WORTH = 1  # reports: one overdue report is worth a sentence


def by_region(
    prepared: Prepared, year: int, today: date, filters, ids=("reports_due", INDICATOR)
) -> pd.DataFrame:
    """The catalogue's follow-up numbers `ids` per region (the index): the agreements of the
    partners the view's filters keep."""
    ids = list(ids)
    return compute(prepared, year, ("region",), filters, today, ids).set_index("region")


@dataclass(frozen=True)
class Overdue:
    """The reports overdue in a view, for the story's Item (analytics.board.story)."""

    value: int
    previous: float | None  # the previous year's, None when no report was due then
    regions: tuple[str, ...]  # the regions with overdue reports, the most first
    text: str
    size: float  # the overdue reports in % of the reports due


def overdue(prepared: Prepared, period, filters, lang: str, today: date | None = None):
    """The reports overdue in the view's regions at the end of the period's last year (None
    when no report is overdue, or without agreements)."""
    if prepared.agreements.empty or prepared.reports.empty:
        return None
    today = today or config.today()
    year = int(period[1])
    now = by_region(prepared, year, today, filters)
    scope = [r for r in regions_in_scope(prepared, filters) if r in now.index]
    counts = now.loc[scope, INDICATOR].astype(int)
    counts = counts[counts > 0]
    n = int(counts.sum())
    if n < WORTH:
        return None
    regions = tuple(sorted(counts.index, key=lambda r: (-counts[r], r)))
    if len(regions) == 1:
        text = t("story.overdue.one_region", lang, count=n, region=regions[0])
    else:
        where = ", ".join(
            t("story.overdue.in_region", lang, n=fmt_number(int(counts[r]), lang), region=r)
            for r in regions
        )
        text = t("story.overdue.regions", lang, count=n, regions=where)
    # Like for like: in today's unfinished year, the reports overdue on the same day of Y-1
    # (docs/spec.md, "Comparisons are like for like"); else at the end of Y-1.
    compared = comparison(period, today)
    then_today = compared.previous_through if compared.like_for_like else today
    then = by_region(prepared, year - 1, then_today, filters)
    known = then.loc[[r for r in scope if r in then.index]]
    before, previous = known["reports_due"].sum(), float(known[INDICATOR].sum())
    due = max(int(now.loc[scope, "reports_due"].sum()), 1)
    return Overdue(n, previous if before > 0 else None, regions, text, n / due)
