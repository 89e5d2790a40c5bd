"""The indicator catalogue of the spec ("Indicators"), as data: one declaration per indicator.

Each `Indicator` says its id, unit, basis, whether a change against Y-1 is meaningful, whether
it is a flow (compared like for like when the year is unfinished), which direction is good news, and the function that computes it; the page groups (`OVERVIEW`,
`BY_TYPE`, `GOVERNANCE`, `FOLLOW_UP`) are lists of ids. Nothing else lives here: the catalogue page, the
command line's columns, the deck and the docs are derived from this table, and names and
definitions are in locales/<lang>/indicators.toml (`[indicators.<id>]`).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from analytics.indicators import follow_up as f
from analytics.indicators import money_based as m
from analytics.indicators import partner_based as p
from analytics.indicators.context import Context

UNITS = ("count", "usd", "share")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the spec; its name and definition are in the message catalogues."""

    id: str
    unit: str  # "count", "usd" or "share"
    # "partner": grouped by the partner's type (an agreement by its partner's); "money": by the
    # contribution's effective type
    basis: str
    growth: bool  # a change against Y-1 is meaningful (every count and money indicator but the pipeline)
    flow: bool  # counts what happened in the period (money, givers, starts): an unfinished year
    # compares with the same days of Y-1; a stock (active partners, the pipeline, shares) as it is
    better: str  # "up", "down" (lybunt_partners) or "none": the colour of a change
    fn: Callable[[Context], np.ndarray]  # one value per group of the context


def _by_id(*indicators: Indicator) -> dict[str, Indicator]:
    return {i.id: i for i in indicators}


# Display order. `prospects` is the pipeline now, the same for every period: no growth. Shares
# are compared in percentage points by the pages if they wish; growth is for counts and money.
CATALOGUE: dict[str, Indicator] = _by_id(
    Indicator("active_partners", "count", "partner", True, False, "up", p.active_partners),
    Indicator("new_partnerships", "count", "partner", True, True, "up", p.new_partnerships),
    Indicator("prospects", "count", "partner", False, False, "up", p.prospects),
    Indicator("contributions_usd", "usd", "money", True, True, "up", m.contributions_usd),
    Indicator("financial_usd", "usd", "money", True, True, "up", m.financial_usd),
    Indicator("in_kind_usd", "usd", "money", True, True, "up", m.in_kind_usd),
    Indicator("received_usd", "usd", "money", True, True, "up", m.received_usd),
    Indicator("pledged_usd", "usd", "money", True, True, "up", m.pledged_usd),
    Indicator("contributing_partners", "count", "money", True, True, "up", m.contributing_partners),
    Indicator("private_share_of_budget", "share", "money", False, False, "up", m.private_share_of_budget),
    Indicator("repeat_partners", "count", "money", True, True, "up", m.repeat_partners),
    Indicator("repeat_partner_share", "share", "money", False, False, "up", m.repeat_partner_share),
    Indicator("lybunt_partners", "count", "money", True, True, "down", m.lybunt_partners),
    Indicator("retention_rate", "share", "money", False, False, "up", m.retention_rate),
    Indicator("countries_reached", "count", "money", True, True, "up", m.countries_reached),
    Indicator("top5_share", "share", "money", False, False, "down", m.top5_share),
    Indicator("top10_share", "share", "money", False, False, "down", m.top10_share),
    Indicator("due_diligence_coverage", "share", "partner", False, False, "up", p.due_diligence_coverage),
    Indicator("monitoring_coverage", "share", "partner", False, False, "up", p.monitoring_coverage),
    Indicator("review_compliance", "share", "partner", False, False, "up", p.review_compliance),
    Indicator("evaluation_coverage", "share", "partner", False, False, "up", p.evaluation_coverage),
    # Agreement follow-up (the optional sheets), each agreement counted under its partner. Reports
    # due, on time and overdue are flows (due dates of the period); the rest are stocks at the cut-off.
    Indicator("active_agreements", "count", "partner", True, False, "up", f.active_agreements),
    Indicator("reports_due", "count", "partner", True, True, "none", f.reports_due),
    Indicator("reports_on_time", "count", "partner", True, True, "up", f.reports_on_time),
    Indicator("on_time_reporting_rate", "share", "partner", False, False, "up", f.on_time_reporting_rate),
    Indicator("reports_overdue", "count", "partner", True, True, "down", f.reports_overdue),
    Indicator("agreements_ending_soon", "count", "partner", True, False, "none", f.agreements_ending_soon),
    Indicator("final_report_coverage", "share", "partner", False, False, "up", f.final_report_coverage),
    Indicator("agreement_funds_received", "share", "partner", False, False, "up", f.agreement_funds_received),
)  # fmt: skip

# The director's key indicators (overview cards), in order.
OVERVIEW = (
    "active_partners",
    "new_partnerships",
    "contributions_usd",
    "received_usd",
    "private_share_of_budget",
    "contributing_partners",
    "retention_rate",
    "top5_share",
)

# The indicators the IOM strategy sets for each partnership type (page "by partnership type").
BY_TYPE = {
    "advocacy": ("active_partners", "new_partnerships", "countries_reached"),
    "innovation": ("active_partners", "new_partnerships", "countries_reached", "contributions_usd"),
    "resource_mobilization": (
        "contributions_usd", "received_usd", "pledged_usd", "contributing_partners", "repeat_partners",
        "repeat_partner_share", "retention_rate", "lybunt_partners",
    ),
    "implementation": ("new_partnerships", "active_partners", "contributions_usd", "countries_reached"),
}  # fmt: skip

# Governance indicators (due diligence, monitoring, review, evaluation).
GOVERNANCE = (
    "due_diligence_coverage",
    "monitoring_coverage",
    "review_compliance",
    "evaluation_coverage",
)

# The follow-up of agreements (the optional sheets), in order.
FOLLOW_UP = (
    "active_agreements",
    "reports_due",
    "reports_on_time",
    "on_time_reporting_rate",
    "reports_overdue",
    "agreements_ending_soon",
    "final_report_coverage",
    "agreement_funds_received",
)

# The overview's follow-up block: what a director asks first of the agreements.
OVERVIEW_FOLLOW_UP = (
    "reports_overdue",
    "on_time_reporting_rate",
    "agreements_ending_soon",
    "agreement_funds_received",
)
