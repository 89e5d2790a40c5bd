"""The agreement follow-up indicators of the spec, for one year, per group of partners.

From the optional sheets: the agreements and reports of every region's current version, joined
to their partner (region, partner_id) and grouped by the partner's region and partnership type.
The cut-off is the earlier of 31 December Y and today. Agreement and report ids are unique
within one region's workbook only, so every join is on (region, id).

Not yet in the catalogue (`catalogue.py`): the catalogue's functions work on a `Prepared`
holding partners and contributions only; until it holds agreements too, these are computed here
from frames. Their names and definitions are in locales/xx/indicators.toml like the others.
"""

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics import config
from analytics.indicators.context import share_of
from analytics.reference.load import Reference

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
SHARES = ("on_time_reporting_rate", "final_report_coverage", "agreement_funds_received")
ENDING_SOON_DAYS = 90  # the renewal pipeline: agreements ending within 90 days of the cut-off
GROUPS = ("region", "partnership_type")


def cut_off(year: int, today: date) -> pd.Timestamp:
    return pd.Timestamp(min(date(year, 12, 31), today))


def _with_group(frame: pd.DataFrame, partners: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """`frame` (with region, partner_id) plus the partner's group columns; unknown partners drop."""
    groups = partners[["region", "partner_id", *[c for c in by if c != "region"]]]
    return frame.merge(
        groups.drop_duplicates(["region", "partner_id"]), on=["region", "partner_id"]
    )


def _count(frame: pd.DataFrame, mask, labels: pd.DataFrame, by: Sequence[str]) -> np.ndarray:
    """Rows of `frame` selected by `mask`, per group of `labels` (0 where none)."""
    selected = frame.loc[np.asarray(mask, bool)]
    if not by:
        return np.array([len(selected)])
    counts = selected.groupby(list(by), observed=True).size()
    keys = pd.MultiIndex.from_frame(labels[list(by)])
    return counts.reindex(keys if len(by) > 1 else keys.get_level_values(0)).fillna(0).to_numpy()


def _sum(frame: pd.DataFrame, values, labels: pd.DataFrame, by: Sequence[str]) -> np.ndarray:
    weights = pd.Series(np.asarray(values, float), index=frame.index)
    if not by:
        return np.array([weights.sum()])
    sums = weights.groupby([frame[c] for c in by], observed=True).sum()
    keys = pd.MultiIndex.from_frame(labels[list(by)])
    return sums.reindex(keys if len(by) > 1 else keys.get_level_values(0)).fillna(0).to_numpy()


def follow_up_indicators(
    partners: pd.DataFrame,
    agreements: pd.DataFrame,
    reports: pd.DataFrame,
    contributions: pd.DataFrame,
    year: int,
    reference: Reference,
    by: Sequence[str] = (),
    today: date | None = None,
) -> pd.DataFrame:
    """One row per group of the partners (every combination present), one column per indicator.

    Every frame has a `region` column (the version it comes from), as `Store.load_current` gives.
    """
    by = [c for c in GROUPS if c in by]
    cut = cut_off(year, today or config.today())
    first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    labels = (
        partners[by].drop_duplicates().sort_values(by).reset_index(drop=True)
        if by
        else pd.DataFrame(index=[0])
    )
    a = _with_group(agreements, partners, by)
    active = a["status"].isin(["signed", "closed"]) & (a["start_date"] <= last)
    active &= a["end_date"] >= first
    ending = (a["status"] == "signed") & (a["end_date"] > cut)
    ending &= a["end_date"] <= cut + timedelta(days=ENDING_SOON_DAYS)

    keys = ["region", "agreement_id", *[c for c in by if c != "region"]]
    r = reports.merge(a[keys], on=["region", "agreement_id"])
    due = (r["due_date"] >= first) & (r["due_date"] <= cut)
    on_time = due & r["submitted_on"].notna() & (r["submitted_on"] <= r["due_date"])
    overdue = due & (r["submitted_on"].isna() | (r["submitted_on"] > cut))

    # Final report coverage: agreements ended in Y by the cut-off, with a final report approved.
    approved = r.loc[(r["kind"] == "final") & (r["approved_on"] <= cut), ["region", "agreement_id"]]
    covered = pd.MultiIndex.from_frame(a[["region", "agreement_id"]]).isin(
        pd.MultiIndex.from_frame(approved)
    )
    ended = (a["end_date"] >= first) & (a["end_date"] <= cut)

    # Funds received under the active agreements with an amount, against their committed USD.
    funded = a.loc[active & a["amount"].notna()]
    committed = funded["amount"].to_numpy(float) * reference.usd_per_unit(
        funded["currency"], funded["signed_on"].dt.year.to_numpy(float)
    )
    c = contributions.loc[
        contributions["agreement_id"].notna()
        & (contributions["status"] == "received")
        & (contributions["date"] <= cut)
    ]
    c = c[["region", "agreement_id", "amount", "currency", "date"]].merge(
        funded[keys], on=["region", "agreement_id"]
    )
    received = c["amount"].to_numpy(float) * reference.usd_per_unit(
        c["currency"], c["date"].dt.year.to_numpy(float)
    )

    n_due, n_on_time = _count(r, due, labels, by), _count(r, on_time, labels, by)
    values = {
        "active_agreements": _count(a, active, labels, by),
        "reports_due": n_due,
        "reports_on_time": n_on_time,
        "on_time_reporting_rate": share_of(n_on_time, n_due),
        "reports_overdue": _count(r, overdue, labels, by),
        "agreements_ending_soon": _count(a, ending, labels, by),
        "final_report_coverage": share_of(
            _count(a, ended & covered, labels, by), _count(a, ended, labels, by)
        ),
        "agreement_funds_received": share_of(
            _sum(c, np.nan_to_num(received), labels, by),
            _sum(funded, np.nan_to_num(committed), labels, by),
        ),
    }
    out = labels[by].copy() if by else pd.DataFrame(index=[0])
    for name in FOLLOW_UP:
        column = np.asarray(values[name])
        out[name] = column.astype(float) if name in SHARES else column.astype(np.int64)
    return out.reset_index(drop=True)
