"""The board's story about agreements: "2 reports are overdue in RBC".

Built from the follow-up indicators (analytics.indicators.follow_up) of the period's last year,
per region of the view, counting the agreements of the partners the view's filters keep (region,
partnership type, category: an agreement follows its partner), like the story's other sentences: an `Item` with the
indicator id, the value, the previous year's value and the regions it names, ranked by its
size (the overdue reports in % of the reports due), in the language's words.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics import config
from analytics.i18n import fmt_number, t
from analytics.indicators.follow_up import follow_up_indicators
from analytics.indicators.scope import scope
from analytics.indicators.views import regions_in_scope

INDICATOR = "reports_overdue"
WORTH = 1  # reports: one overdue report is worth a sentence
# Only the reports count here; the funds received are not said, so no contribution is needed.
_NO_CONTRIBUTIONS = pd.DataFrame(
    {
        "region": pd.Series(dtype=str),
        "agreement_id": pd.Series(dtype=str),
        "status": pd.Series(dtype=str),
        "amount": pd.Series(dtype=float),
        "currency": pd.Series(dtype=str),
        "date": pd.Series(dtype="datetime64[us]"),
    }
)


def by_region(prepared, agreements, reports, year: int, today: date, filters) -> pd.DataFrame:
    """The follow-up indicators per region (the index) of the agreements of the partners the
    view keeps (the others' agreements are not joined, so not counted); funds received aside."""
    kept = scope(prepared, (), filters).partner_group >= 0
    partners = prepared.partners.loc[kept, ["region", "partner_id"]].astype(str)
    table = follow_up_indicators(
        partners,
        agreements,
        reports,
        _NO_CONTRIBUTIONS,
        year,
        prepared.reference,
        ("region",),
        today,
    )
    return table.set_index("region")


@dataclass(frozen=True)
class Overdue:
    """The reports overdue in a view, for the story's Item (analytics.board.story)."""

    value: int
    previous: float | None  # the previous year's, None when no report was due then
    regions: tuple[str, ...]  # the regions with overdue reports, the most first
    text: str
    size: float  # the overdue reports in % of the reports due


def overdue(prepared, period, filters, follow_up, lang: str, today: date | None = None):
    """The reports overdue in the view's regions at the end of the period's last year (None
    when no report is overdue, or without agreements)."""
    agreements, reports = follow_up
    if agreements is None or reports is None or agreements.empty or reports.empty:
        return None
    today = today or config.today()
    year = int(period[1])
    now = by_region(prepared, agreements, reports, year, today, filters)
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
    then = by_region(prepared, agreements, reports, year - 1, today, filters)
    known = then.loc[[r for r in scope if r in then.index]]
    before, previous = known["reports_due"].sum(), float(known[INDICATOR].sum())
    due = max(int(now.loc[scope, "reports_due"].sum()), 1)
    return Overdue(n, previous if before > 0 else None, regions, text, n / due)
