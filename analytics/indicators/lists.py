"""Lists for the pages, read from the prepared register in the scope of the filters.

The largest partners of a period, beneficiary countries, notable contributions (with a
description), the partners table of the Partners page and one partner's history. They count
with the same `Context` as the indicators, so a list and an indicator of the same view agree.
"""

from datetime import date

import numpy as np
import pandas as pd

from analytics.indicators.context import REVIEW_WINDOW_DAYS, Context, share_of
from analytics.indicators.prepare import KEY, USD, YEAR, Prepared
from analytics.indicators.scope import Filters
from schemas.workbook import Contributions as C
from schemas.workbook import Partners as P


def _partner_info(prepared: Prepared, keys: np.ndarray) -> pd.DataFrame:
    """Region, partner_id, name, category and type of partner KEYs (blank for unknown partners)."""
    p = prepared.partners
    known = keys < len(p)
    cols = [P.region, P.partner_id, P.partner_name, P.category, P.partnership_type]
    rows = np.where(known, keys, 0)
    out = pd.DataFrame(
        {c: p[c].to_numpy(object)[rows] if len(p) else [None] * len(keys) for c in cols}
    )
    out.loc[~known, cols] = None
    return out.astype("str")


def top_partners(
    prepared: Prepared, period, filters: Filters | None = None, n: int = 10
) -> pd.DataFrame:
    """The n largest partners of the period (in the scope of the filters), largest first.

    Columns: rank, region, partner_id, partner_name, category, partnership_type, usd, share (of
    contributions_usd in the scope), cumulative_share.
    """
    x = Context(prepared, period, (), filters)
    totals = x.partner_totals[0]
    n = min(max(int(n), 0), len(totals))
    head = np.argpartition(-totals, n - 1)[:n] if 0 < n < len(totals) else np.arange(n)
    order = head[np.lexsort((head, -totals[head]))]  # largest first; ties by partner order
    order = order[totals[order] > 0]
    out = _partner_info(prepared, order)
    out.insert(0, "rank", np.arange(1, len(order) + 1))
    out[USD] = totals[order]
    out["share"] = share_of(totals[order], totals.sum())
    out["cumulative_share"] = share_of(np.cumsum(totals[order]), totals.sum())
    return out


def _in_scope_contributions(prepared: Prepared, period, filters: Filters | None) -> pd.DataFrame:
    x = Context(prepared, period, (), filters)
    return prepared.contributions.loc[x.in_period]


def beneficiary_countries(
    prepared: Prepared, period, filters: Filters | None = None
) -> pd.DataFrame:
    """Beneficiary countries of the period's contributions: country (ISO3), usd, contributions, partners."""
    c = _in_scope_contributions(prepared, period, filters)
    c = c[c[C.country].notna()]
    grouped = c.groupby(c[C.country].astype("str"), observed=True)
    out = pd.DataFrame(
        {
            USD: grouped[USD].sum(),
            "contributions": grouped.size(),
            "partners": grouped[KEY].nunique(),
        }
    )
    out = (
        out.rename_axis(C.country)
        .reset_index()
        .sort_values([USD, C.country], ascending=[False, True])
    )
    return out.reset_index(drop=True)


def notable_contributions(
    prepared: Prepared, period, filters: Filters | None = None, n: int = 5
) -> pd.DataFrame:
    """The n largest contributions of the period that have a description, largest first."""
    c = _in_scope_contributions(prepared, period, filters)
    c = c[c[C.description].astype("str").str.strip().str.len().gt(0).fillna(False).to_numpy(bool)]
    c = c.sort_values(USD, ascending=False, kind="stable").head(max(int(n), 0))
    info = _partner_info(prepared, c[KEY].to_numpy(np.int64))
    cols = [
        C.contribution_id,
        C.date,
        C.status,
        C.kind,
        C.amount,
        C.currency,
        USD,
        C.country,
        C.partnership_type,
        C.thematic_area,
        C.description,
    ]
    out = c[cols].reset_index(drop=True)
    out.insert(1, P.partner_name, info[P.partner_name].to_numpy())
    out.insert(1, C.partner_id, info[P.partner_id].to_numpy())
    out.insert(1, P.region, info[P.region].to_numpy())
    return out


def partners_table(
    prepared: Prepared, period, filters: Filters | None = None, today: date | None = None
) -> pd.DataFrame:
    """One row per partner in the scope of the filters, with what the Partners page shows.

    Adds to the partner's columns: active (in the period), usd (given in the period), usd_total
    (all years), last_contribution, monitored (focal point and indicators), review_ok (as in
    review_compliance), and contributions (count, all years).
    """
    x = Context(prepared, period, (), filters, today)
    keep = x.scope.partner_group >= 0
    p = prepared.partners.loc[keep].copy()
    n = len(prepared.partners)
    m_all = (x.scope.money_group >= 0) & (x.a["c_key"] < n)
    keys = x.a["c_key"]
    totals = np.bincount(keys[m_all], weights=x.a["c_usd"][m_all], minlength=n)[:n]
    count = np.bincount(keys[m_all], minlength=n)[:n]
    m = x.in_period & (keys < n)
    in_period = np.bincount(keys[m], weights=x.a["c_usd"][m], minlength=n)[:n]
    dates = prepared.contributions[C.date]
    last = (
        pd.Series(dates.to_numpy()[m_all]).groupby(keys[m_all]).max().reindex(np.arange(n))
        if m_all.any()
        else pd.Series(pd.NaT, index=np.arange(n), dtype="datetime64[s]")
    )
    end = np.datetime64(min(date(x.last, 12, 31), x.today))
    review = x.a["p_review"]
    p["active"] = x.active[keep]
    p[USD] = in_period[keep]
    p["usd_total"] = totals[keep]
    p["contributions"] = count[keep]
    p["last_contribution"] = last.to_numpy()[keep]
    p["monitored"] = x.a["p_monitored"][keep]
    p["review_ok"] = ((review >= end - np.timedelta64(REVIEW_WINDOW_DAYS, "D")) & (review <= end))[
        keep
    ]
    for col in (P.region, P.category, P.partnership_type, P.stage, P.due_diligence):
        p[col] = p[col].astype("str")
    return p.reset_index(drop=True)


def partner_history(prepared: Prepared, region: str, partner_id: str) -> pd.DataFrame:
    """The contributions of one partner, oldest first, with their USD amount and year."""
    c = prepared.contributions
    mine = (c[P.region].astype("str") == region) & (c[C.partner_id].astype("str") == partner_id)
    cols = [
        C.contribution_id,
        C.date,
        YEAR,
        C.status,
        C.kind,
        C.amount,
        C.currency,
        USD,
        C.country,
        C.partnership_type,
        C.thematic_area,
        C.multi_year,
        C.description,
    ]
    out = c.loc[mine.to_numpy(bool), cols].sort_values(C.date, kind="stable").reset_index(drop=True)
    for col in (C.status, C.kind, C.currency, C.country, C.partnership_type, C.thematic_area):
        out[col] = out[col].astype("str")
    return out
