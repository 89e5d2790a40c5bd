"""The money-based indicators: contributions counted under their effective partnership type.

Each function takes a `Context` and returns one value per group: sums of USD (all, by kind, by
status), contributing, repeat and lapsed partners, retention, countries reached, the share of
budget and the dependency on the largest partners. `MONEY_SUMS` names the plain sums, which the
trend charts compute for many years in one pass (`compute.timeseries`).
"""

import numpy as np

from analytics.indicators.context import Context, share_of
from analytics.indicators.prepare import Prepared
from schemas.workbook import Contributions as C

FINANCIAL, IN_KIND = "financial", "in_kind"
RECEIVED, PLEDGED = "received", "pledged"

MONEY_SUMS = {
    "contributions_usd": None,
    "financial_usd": (C.kind, "c_kind", FINANCIAL),
    "in_kind_usd": (C.kind, "c_kind", IN_KIND),
    "received_usd": (C.status, "c_status", RECEIVED),
    "pledged_usd": (C.status, "c_status", PLEDGED),
}


def money_mask(prepared: Prepared, indicator_id: str) -> np.ndarray | None:
    selector = MONEY_SUMS[indicator_id]
    if selector is None:
        return None
    column, array, code = selector
    categories = prepared.contributions[column].cat.categories
    return np.append(categories == code, False)[prepared.arrays[array]]


def _money_sum(x: Context, indicator_id: str) -> np.ndarray:
    def total():
        mask = money_mask(x.prepared, indicator_id)
        return x.usd_sum(x.in_period if mask is None else x.in_period & mask)

    return x.memo(indicator_id, total)


def contributions_usd(x: Context) -> np.ndarray:
    return _money_sum(x, "contributions_usd")


def financial_usd(x: Context) -> np.ndarray:
    return _money_sum(x, "financial_usd")


def in_kind_usd(x: Context) -> np.ndarray:
    return _money_sum(x, "in_kind_usd")


def received_usd(x: Context) -> np.ndarray:
    return _money_sum(x, "received_usd")


def pledged_usd(x: Context) -> np.ndarray:
    return _money_sum(x, "pledged_usd")


def contributing_partners(x: Context) -> np.ndarray:
    return x.gave_in_period.sum(axis=1)


def private_share_of_budget(x: Context) -> np.ndarray:
    return share_of(received_usd(x), x.budget())


def repeat_partners(x: Context) -> np.ndarray:
    def repeat():
        years = x.a["c_year"]
        before = x.gave((years >= 0) & (years < x.first) & (x.scope.money_group >= 0))
        multi = x.gave(x.in_period & x.a["c_multi_year"])
        return (x.gave_in_period & (before | multi)).sum(axis=1)

    return x.memo("repeat", repeat)


def repeat_partner_share(x: Context) -> np.ndarray:
    return share_of(repeat_partners(x), contributing_partners(x))


def lybunt_partners(x: Context) -> np.ndarray:
    return (x.gave_previous & ~x.gave_in_period).sum(axis=1)


def retention_rate(x: Context) -> np.ndarray:
    both = (x.gave_previous & x.gave_in_period).sum(axis=1)
    return share_of(both, x.gave_previous.sum(axis=1))


def countries_reached(x: Context) -> np.ndarray:
    codes = x.a["c_country"]
    n = max(len(x.prepared.contributions[C.country].cat.categories), 1)
    m = x.in_period & (codes >= 0)
    seen = np.zeros(x.n_groups * n, bool)
    seen[x.scope.money_group[m] * n + codes[m]] = True
    return seen.reshape(x.n_groups, n).sum(axis=1)


def top5_share(x: Context) -> np.ndarray:
    return x.top_share(5)


def top10_share(x: Context) -> np.ndarray:
    return x.top_share(10)
