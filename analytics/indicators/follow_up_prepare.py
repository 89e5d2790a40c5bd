"""Preparing the agreements and reports (the optional sheets) for the follow-up indicators.

`prepare` (analytics.indicators.prepare) calls `follow_up_arrays` once per store state: each
agreement is joined to its partner on (region, partner_id) — agreement and report ids are
unique within one region's workbook only — each report to its agreement and each contribution
naming an agreement to it on (region, agreement_id). The indicators then count on numpy arrays,
grouped and filtered through the agreement's partner (analytics.indicators.follow_up).
"""

import numpy as np
import pandas as pd

from analytics.reference.load import Reference
from schemas.workbook import Agreements as A
from schemas.workbook import Partners as P
from schemas.workbook import Reports as R

RUNNING = ("signed", "closed")  # an agreement counts as active while it runs (not terminated)
OPEN = "signed"  # still to end: the renewal pipeline
FINAL = "final"

_AGREEMENT_COLUMNS = [
    P.region, A.agreement_id, A.partner_id, A.title, A.status, A.signed_on, A.signed_by,
    A.officer, A.start_date, A.end_date, A.amount, A.currency,
]  # fmt: skip
_REPORT_COLUMNS = [
    P.region, R.report_id, R.agreement_id, R.kind, R.due_date, R.submitted_on, R.approved_on,
    R.sent_on,
]  # fmt: skip
_DATES = (A.signed_on, A.start_date, A.end_date, R.due_date, R.submitted_on, R.approved_on)


def _frame(frame: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """The sheet's columns (empty ones where the caller's frame lacks them), dates as dates."""
    frame = pd.DataFrame() if frame is None else frame.reset_index(drop=True)
    out = pd.DataFrame(
        {
            c: frame[c] if c in frame.columns else pd.Series([None] * len(frame), dtype="str")
            for c in columns
        }
    )
    for c in columns:
        if c in _DATES or c == R.sent_on:
            out[c] = pd.to_datetime(out[c], errors="coerce")
    out[P.region] = out[P.region].astype("str")
    return out


def _pairs(region: pd.Series, ids: pd.Series) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([region.astype("str"), ids.astype("str")])


def _position(index: pd.MultiIndex, wanted: pd.MultiIndex) -> np.ndarray:
    """The row of each wanted pair in `index` (the first of duplicates), -1 when absent."""
    first = ~index.duplicated()
    rows = np.flatnonzero(first)
    found = index[first].get_indexer(wanted)
    return np.where(found >= 0, rows[np.maximum(found, 0)], -1).astype(np.int64)


def _days(series: pd.Series) -> np.ndarray:
    return series.to_numpy("datetime64[D]")


def follow_up_arrays(
    partners: pd.DataFrame,
    agreements: pd.DataFrame | None,
    reports: pd.DataFrame | None,
    contributions: pd.DataFrame,
    contribution_agreements: pd.Series | None,
    reference: Reference,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, np.ndarray]]:
    """The agreements and reports frames (with `region`) and the arrays the indicators count on.

    `partners`, `contributions`: as `prepare` built them (KEY = partner row); the
    `contribution_agreements`: the contributions' agreement_id column, in the same order.
    """
    a = _frame(agreements, _AGREEMENT_COLUMNS)
    r = _frame(reports, _REPORT_COLUMNS)
    if agreements is not None and P.region not in agreements.columns and len(a):
        # A single region's register (straight from a workbook): the region is the partner's.
        region_of = partners.drop_duplicates(P.partner_id).set_index(P.partner_id)[P.region]
        a[P.region] = a[A.partner_id].map(region_of.astype("str")).astype("str")
    if reports is not None and P.region not in reports.columns and len(r):
        region_of = a.drop_duplicates(A.agreement_id).set_index(A.agreement_id)[P.region]
        r[P.region] = r[R.agreement_id].map(region_of).astype("str")
    # An agreement of an unknown partner (validation refuses it) is in no group: never counted.
    # Without agreements (most registers today) nothing is joined: prepare stays as fast.
    none = np.zeros(0, np.int64)
    partner_pairs = _pairs(partners[P.region], partners[P.partner_id]) if len(a) else None
    a_key = _position(partner_pairs, _pairs(a[P.region], a[A.partner_id])) if len(a) else none
    agreement_pairs = _pairs(a[P.region], a[A.agreement_id])
    r_agreement = (
        _position(agreement_pairs, _pairs(r[P.region], r[R.agreement_id]))
        if len(a) and len(r)
        else np.full(len(r), -1, np.int64)
    )

    c_agreement = np.full(len(contributions), -1, np.int64)
    if contribution_agreements is not None and len(a):
        # Only the contributions naming an agreement are looked up (a blank id matches none).
        named = contribution_agreements.to_numpy(object, na_value=None)
        rows = np.flatnonzero(pd.notna(named))
        if len(rows):
            region = contributions[P.region].to_numpy()[rows]
            wanted = pd.MultiIndex.from_arrays([region.astype(str), named[rows].astype(str)])
            c_agreement[rows] = _position(agreement_pairs, wanted)

    amount = pd.to_numeric(a[A.amount], errors="coerce").to_numpy(np.float64, na_value=np.nan)
    year = a[A.signed_on].dt.year.to_numpy(np.float64, na_value=np.nan)
    # Committed USD at the rate of the year of signature; an amount without a rate adds nothing.
    committed = amount * reference.usd_per_unit(a[A.currency], year) if len(a) else amount
    status = a[A.status].astype("str").str.strip()
    arrays = {
        "a_key": a_key,
        "a_running": status.isin(RUNNING).to_numpy(bool),
        "a_open": (status == OPEN).to_numpy(bool),
        "a_start": _days(a[A.start_date]),
        "a_end": _days(a[A.end_date]),
        "a_has_amount": ~np.isnan(amount),
        "a_committed_usd": np.nan_to_num(np.asarray(committed, np.float64)),
        "r_agreement": r_agreement,
        "r_final": (r[R.kind].astype("str").str.strip() == FINAL).to_numpy(bool),
        "r_due": _days(r[R.due_date]),
        "r_submitted": _days(r[R.submitted_on]),
        "r_approved": _days(r[R.approved_on]),
        "c_agreement": c_agreement,
    }
    return a, r, arrays
