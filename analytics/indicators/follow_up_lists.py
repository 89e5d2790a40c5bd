"""The lists of the agreements page: overdue reports first, reports due soon, agreements ending
soon, and committed against received per agreement, for the view the sidebar's filters select.

Frames as `Store.load_current` and `Store.load_follow_up` give them (each with `region`); a
row's partner is found on (region, partner_id) and its agreement on (region, agreement_id).
The filters are the indicators' `Filters` and cut the lists as they cut the follow-up
indicators (analytics.indicators.follow_up): an agreement through its partner's region,
partnership type and category; a report through its agreement; the contribution-only filters
(kinds, statuses) leave agreements alone. A region code alone stands for `Filters(regions=...)`.
"""

from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.indicators.scope import NO_FILTERS, Filters
from analytics.reference.load import Reference
from schemas.workbook import Partners as P

DUE_SOON_DAYS = 60
ENDING_SOON_DAYS = 90
KEYS = ["region", "agreement_id"]


def as_filters(filters: Filters | str | None) -> Filters:
    """The filters of a list: none, the indicators' Filters, or one region's code."""
    if filters is None:
        return NO_FILTERS
    return Filters(regions=(filters,)) if isinstance(filters, str) else filters


def _scoped(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows of the filters' regions (any frame with `region`)."""
    return frame if not filters.regions else frame[frame["region"].isin(filters.regions)]


def scoped_agreements(partners, agreements, filters: Filters | str | None = None) -> pd.DataFrame:
    """The agreements the filters keep: in their regions, of a partner of their partnership types
    and categories (an agreement of an unknown partner is kept only when neither is filtered)."""
    filters = as_filters(filters)
    a = _scoped(agreements, filters)
    by_partner = {
        P.partnership_type: filters.partnership_types,
        P.category: filters.categories,
    }
    by_partner = {column: codes for column, codes in by_partner.items() if codes}
    if not by_partner or a.empty:
        return a
    p = partners.drop_duplicates(["region", "partner_id"]).set_index(["region", "partner_id"])
    found = p.reindex(pd.MultiIndex.from_frame(a[["region", "partner_id"]]))
    keep = np.ones(len(a), bool)
    for column, codes in by_partner.items():
        keep &= found[column].astype("str").isin(codes).to_numpy()
    return a[keep]


def _reports_of_agreements(partners, agreements, reports, filters) -> pd.DataFrame:
    a = scoped_agreements(partners, agreements, filters)
    a = a[["region", "agreement_id", "partner_id", "title", "officer"]]
    a = a.merge(
        partners[["region", "partner_id", "partner_name"]].drop_duplicates(
            ["region", "partner_id"]
        ),
        on=["region", "partner_id"],
        how="left",
    )
    return _scoped(reports, as_filters(filters)).merge(a, on=KEYS)


def overdue_reports(partners, agreements, reports, today: date, filters=None) -> pd.DataFrame:
    """Reports due by today and not submitted, the latest first: days late, partner, officer."""
    r = _reports_of_agreements(partners, agreements, reports, filters)
    late = r[(r["due_date"] < pd.Timestamp(today)) & r["submitted_on"].isna()].copy()
    late["days_late"] = (pd.Timestamp(today) - late["due_date"]).dt.days.astype("int64")
    late = late.sort_values(["days_late", "region", "report_id"], ascending=[False, True, True])
    columns = ["region", "report_id", "kind", "due_date", "days_late", "agreement_id"]
    return late[[*columns, "partner_name", "officer"]].reset_index(drop=True)


def reports_due_soon(partners, agreements, reports, today: date, filters=None) -> pd.DataFrame:
    """Reports not yet submitted whose due date is today or in the next 60 days, soonest first."""
    r = _reports_of_agreements(partners, agreements, reports, filters)
    start, end = pd.Timestamp(today), pd.Timestamp(today + timedelta(days=DUE_SOON_DAYS))
    soon = r[(r["due_date"] >= start) & (r["due_date"] <= end) & r["submitted_on"].isna()]
    soon = soon.sort_values(["due_date", "region", "report_id"])
    columns = ["region", "report_id", "kind", "due_date", "agreement_id"]
    return soon[[*columns, "partner_name", "officer"]].reset_index(drop=True)


def agreements_ending_soon(partners, agreements, today: date, filters=None) -> pd.DataFrame:
    """Signed agreements ending today or within 90 days: the renewal decisions to take."""
    a = scoped_agreements(partners, agreements, filters)
    start, end = pd.Timestamp(today), pd.Timestamp(today + timedelta(days=ENDING_SOON_DAYS))
    soon = a[(a["status"] == "signed") & (a["end_date"] >= start) & (a["end_date"] <= end)]
    soon = soon.merge(
        partners[["region", "partner_id", "partner_name"]].drop_duplicates(
            ["region", "partner_id"]
        ),
        on=["region", "partner_id"],
        how="left",
    ).sort_values(["end_date", "region", "agreement_id"])
    columns = ["region", "agreement_id", "title", "end_date", "partner_name", "officer"]
    return soon[columns].reset_index(drop=True)


def committed_vs_received(
    partners, agreements, contributions, reference: Reference, today: date, filters=None
) -> pd.DataFrame:
    """Per agreement with an amount: USD committed (rate of the year of signature) and USD
    received under it by today (contributions naming it, received), and their ratio."""
    filters = as_filters(filters)
    a = scoped_agreements(partners, agreements, filters)
    a = a[a["amount"].notna()]
    committed = a["amount"].to_numpy(float) * reference.usd_per_unit(
        a["currency"], a["signed_on"].dt.year.to_numpy(float)
    )
    c = _scoped(contributions, filters)
    c = c[
        c["agreement_id"].notna() & (c["status"] == "received") & (c["date"] <= pd.Timestamp(today))
    ]
    usd = c["amount"].to_numpy(float) * reference.usd_per_unit(
        c["currency"], c["date"].dt.year.to_numpy(float)
    )
    received = (
        pd.Series(np.nan_to_num(usd), index=pd.MultiIndex.from_frame(c[["region", "agreement_id"]]))
        .groupby(level=[0, 1])
        .sum()
    )
    keys = pd.MultiIndex.from_frame(a[["region", "agreement_id"]])
    out = a[["region", "agreement_id", "partner_id", "title", "status"]].copy()
    out["committed_usd"] = committed
    out["received_usd"] = received.reindex(keys).fillna(0).to_numpy() if len(keys) else []
    with np.errstate(divide="ignore", invalid="ignore"):
        share = out["received_usd"] / out["committed_usd"]
    out["received_share"] = share.where(out["committed_usd"] > 0)
    return out.sort_values(["region", "agreement_id"]).reset_index(drop=True)


def partner_agreements(agreements, reports, region: str, partner_id: str, today: date):
    """One partner's agreements, the latest start first: id, title, state, dates, the amount
    committed, its reports overdue by today (due, not submitted) and `ref` (REGION:ID, the
    agreement profile's reference on the agreements page)."""
    a = agreements[(agreements["region"] == region) & (agreements["partner_id"] == partner_id)]
    r = _scoped(reports, as_filters(region))
    late = r[(r["due_date"] < pd.Timestamp(today)) & r["submitted_on"].isna()]
    overdue = late.groupby("agreement_id").size()
    out = a[["agreement_id", "title", "status", "start_date", "end_date", "amount", "currency"]]
    out = out.sort_values(["start_date", "agreement_id"], ascending=[False, True]).copy()
    out["overdue_reports"] = overdue.reindex(out["agreement_id"]).fillna(0).astype("int64").values
    out["ref"] = region + ":" + out["agreement_id"].astype("str")
    return out.reset_index(drop=True)
