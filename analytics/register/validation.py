"""Rules and cross-sheet checks through Pandera, turned into the user's report.

The Pandera models (schemas.workbook) hold the rules of each sheet; here they are completed
with what only the reference data and the other sheet know (code lists, partner ids, the
submitted region, exchange rates) and run lazily, so every failure comes back at once.
"""

from datetime import date, timedelta

import pandas as pd

from analytics import config
from analytics.reference.load import Reference
from analytics.register.agreements import validate_agreements
from analytics.register.report import ERROR, WARNING, Issue, Report
from analytics.register.rules import add_failures, build_schema, failures_of, warn
from schemas.workbook import Contributions, Partners

REVIEW_WINDOW_DAYS = 183  # SPREP: partner list reviewed twice a year


def _warnings(register, reference: Reference, report: Report, today: date) -> None:
    partners, contributions = register.partners, register.contributions
    pl, cl = register.layouts["Partners"], register.layouts["Contributions"]
    region = register.region
    for df, layout in ((partners, pl), (contributions, cl)):
        if df.empty:
            params = {"sheet": layout.name}
            report.add(Issue(WARNING, layout.name, None, None, None, "empty_register", params))
    engaged = partners["stage"].isin(["active", "closed"])
    not_cleared = (
        engaged & partners["due_diligence"].notna() & (partners["due_diligence"] != "cleared")
    )
    stages = partners["stage"].to_numpy()
    warn(
        report,
        pl,
        partners,
        not_cleared,
        "due_diligence",
        "no_due_diligence",
        stage=lambda pos: stages[pos],
    )
    cutoff = pd.Timestamp(today - timedelta(days=REVIEW_WINDOW_DAYS))
    reviews = partners["last_review"].array
    overdue = (
        (partners["stage"] == "active")
        & partners["last_review"].notna()
        & (partners["last_review"] < cutoff)
    )
    warn(
        report,
        pl,
        partners,
        overdue,
        "last_review",
        "review_overdue",
        reviewed=lambda pos: reviews[pos],
    )
    if region:
        countries = reference.region_countries(region)
        outside = contributions["country"].notna() & ~contributions["country"].isin(list(countries))
        warn(
            report,
            cl,
            contributions,
            outside,
            "country",
            "country_outside_region",
            region=lambda pos: region,
        )
    ends = contributions[["partner_id"]].merge(
        partners[["partner_id", "end_date"]].drop_duplicates("partner_id"),
        on="partner_id",
        how="left",
    )["end_date"]
    after_end = ends.notna().to_numpy() & (contributions["date"].to_numpy() > ends.to_numpy())
    warn(
        report,
        cl,
        contributions,
        after_end,
        "date",
        "after_partnership_end",
        end=lambda pos: ends.iat[pos],
    )


def validate_register(
    register, reference: Reference, report: Report, today: date | None = None
) -> None:
    """Run every rule on a parsed register and add the issues to `report`."""
    partners, contributions = register.partners, register.contributions
    pl, cl = register.layouts["Partners"], register.layouts["Contributions"]
    if register.region is None:
        seen = partners["region"].dropna().unique().tolist()
        if len(seen) == 1:
            register.region = seen[0]
        elif len(seen) > 1:
            params = {"regions": ", ".join(sorted(seen))}
            column = pl.headers.get("region")
            report.add(Issue(ERROR, pl.name, None, column, None, "mixed_regions", params))
    elif register.region not in reference.region_codes:
        params = {"allowed": ", ".join(reference.region_codes)}
        report.add(Issue(ERROR, None, None, None, register.region, "unknown_region", params))

    partner_schema = build_schema(Partners, reference, region=register.region)
    failures = failures_of(partners, partner_schema)
    add_failures(report, partners, failures, pl, register.region, Partners)
    ids = partners["partner_id"].dropna().unique().tolist()
    agreement_ids = register.agreements["agreement_id"].dropna().unique().tolist()
    contribution_schema = build_schema(
        Contributions, reference, partner_ids=ids, agreement_ids=agreement_ids
    )
    failures = failures_of(contributions, contribution_schema)
    add_failures(report, contributions, failures, cl, register.region, Contributions)
    _warnings(register, reference, report, today or config.today())
    from_sheets = validate_agreements(register, reference, report, ids)
    order = {"Partners": 0, pl.name: 0, cl.name: 1, **from_sheets}
    key = lambda i: (order.get(i.sheet, 1), i.row or 0)  # noqa: E731
    report.errors.sort(key=key)
    report.warnings.sort(key=key)
