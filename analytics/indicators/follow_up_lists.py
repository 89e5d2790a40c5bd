"""The lists of the agreements page: overdue reports first, reports due soon, agreements ending
soon, and committed against received per agreement, for one region or all of them.

Frames as `Store.load_current` and `Store.load_follow_up` give them (each with `region`); a
row's partner is found on (region, partner_id) and its agreement on (region, agreement_id).
"""

from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.reference.load import Reference

DUE_SOON_DAYS = 60
ENDING_SOON_DAYS = 90


def _scoped(frame: pd.DataFrame, region: str | None) -> pd.DataFrame:
    return frame if region is None else frame[frame["region"] == region]


def _reports_of_agreements(partners, agreements, reports, region) -> pd.DataFrame:
    a = _scoped(agreements, region)[["region", "agreement_id", "partner_id", "title", "officer"]]
    a = a.merge(
        partners[["region", "partner_id", "partner_name"]].drop_duplicates(
            ["region", "partner_id"]
        ),
        on=["region", "partner_id"],
        how="left",
    )
    return _scoped(reports, region).merge(a, on=["region", "agreement_id"])


def overdue_reports(partners, agreements, reports, today: date, region=None) -> pd.DataFrame:
    """Reports due by today and not submitted, the latest first: days late, partner, officer."""
    r = _reports_of_agreements(partners, agreements, reports, region)
    late = r[(r["due_date"] < pd.Timestamp(today)) & r["submitted_on"].isna()].copy()
    late["days_late"] = (pd.Timestamp(today) - late["due_date"]).dt.days.astype("int64")
    late = late.sort_values(["days_late", "region", "report_id"], ascending=[False, True, True])
    columns = ["region", "report_id", "kind", "due_date", "days_late", "agreement_id"]
    return late[[*columns, "partner_name", "officer"]].reset_index(drop=True)


def reports_due_soon(partners, agreements, reports, today: date, region=None) -> pd.DataFrame:
    """Reports not yet submitted whose due date is today or in the next 60 days, soonest first."""
    r = _reports_of_agreements(partners, agreements, reports, region)
    start, end = pd.Timestamp(today), pd.Timestamp(today + timedelta(days=DUE_SOON_DAYS))
    soon = r[(r["due_date"] >= start) & (r["due_date"] <= end) & r["submitted_on"].isna()]
    soon = soon.sort_values(["due_date", "region", "report_id"])
    columns = ["region", "report_id", "kind", "due_date", "agreement_id"]
    return soon[[*columns, "partner_name", "officer"]].reset_index(drop=True)


def agreements_ending_soon(partners, agreements, today: date, region=None) -> pd.DataFrame:
    """Signed agreements ending today or within 90 days: the renewal decisions to take."""
    a = _scoped(agreements, region)
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
    agreements, contributions, reference: Reference, today: date, region=None
) -> pd.DataFrame:
    """Per agreement with an amount: USD committed (rate of the year of signature) and USD
    received under it by today (contributions naming it, received), and their ratio."""
    a = _scoped(agreements, region)
    a = a[a["amount"].notna()]
    committed = a["amount"].to_numpy(float) * reference.usd_per_unit(
        a["currency"], a["signed_on"].dt.year.to_numpy(float)
    )
    c = _scoped(contributions, region)
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
    r = _scoped(reports, region)
    late = r[(r["due_date"] < pd.Timestamp(today)) & r["submitted_on"].isna()]
    overdue = late.groupby("agreement_id").size()
    out = a[["agreement_id", "title", "status", "start_date", "end_date", "amount", "currency"]]
    out = out.sort_values(["start_date", "agreement_id"], ascending=[False, True]).copy()
    out["overdue_reports"] = overdue.reindex(out["agreement_id"]).fillna(0).astype("int64").values
    out["ref"] = region + ":" + out["agreement_id"].astype("str")
    return out.reset_index(drop=True)
