"""Computing the catalogue: the indicators per group, their change, their series over years.

`compute` gives one row per group (every code in scope, even without data) and one column per
indicator id (counts int64, USD and shares float64, NaN for "no data"); `compared` the period
and the previous one, like for like in an unfinished year; `growth` the change against it; `timeseries` the indicators of each year (money sums in one pass);
`targets` the target of the share of budget; `gap_matrix` objectives × regions.
"""

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
import pandas as pd

from analytics import config
from analytics.indicators.catalogue import CATALOGUE
from analytics.indicators.context import Context, share_of
from analytics.indicators.money_based import MONEY_SUMS, money_mask
from analytics.indicators.prepare import YEAR, Prepared, years_with_data
from analytics.indicators.scope import Comparison, Filters, comparison, period_bounds, scope
from analytics.indicators.target_rules import targets_of
from schemas.workbook import Partners as P


def compute(
    prepared: Prepared,
    period,
    by: Sequence[str] = (),
    filters: Filters | None = None,
    today: date | None = None,
    indicators: Iterable[str] | None = None,
    through: date | None = None,
) -> pd.DataFrame:
    """One row per group (every combination of the codes in scope), one column per indicator.
    `through`: flows of the period's last year counted up to that day only (like for like)."""
    x = Context(prepared, period, by, filters, today, through)
    columns = {}
    for indicator_id in indicators or CATALOGUE:
        ind = CATALOGUE[indicator_id]
        values = np.asarray(ind.fn(x))
        columns[ind.id] = values.astype(np.int64) if ind.unit == "count" else values.astype(float)
    values = pd.DataFrame(columns, index=x.scope.labels.index)
    return pd.concat([x.scope.labels, values], axis=1).reset_index(drop=True)


def _split(ids: list[str], c: Comparison) -> tuple[list[str], list[str]]:
    # The flows counted to today in an unfinished year, and the rest (stocks, or every
    # indicator of a complete period).
    flows = [i for i in ids if CATALOGUE[i].flow] if c.like_for_like else []
    return flows, [i for i in ids if i not in flows]


def _joined(frames: list[pd.DataFrame], by: Sequence[str], ids, flows) -> pd.DataFrame:
    return pd.concat([frames[0], *(f[flows] for f in frames[1:])], axis=1)[[*by, *ids]]


def _counted(prepared, c: Comparison, previous: bool, by, filters, today, ids) -> pd.DataFrame:
    # One side of a comparison: the period (or the previous one), its flows to `through` (or
    # `previous_through`) in an unfinished year, its stocks as they are.
    period, through = (c.previous, c.previous_through) if previous else (c.period, c.through)
    flows, stocks = _split(ids, c)
    parts = []
    if stocks or not flows:
        parts.append(compute(prepared, period, by, filters, today, stocks))
    if flows:
        parts.append(compute(prepared, period, by, filters, today, flows, through))
    return _joined(parts, by, ids, flows)


def current(
    prepared: Prepared,
    period,
    by: Sequence[str] = (),
    filters: Filters | None = None,
    today: date | None = None,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """`compute` of the period as the cards show it: in today's unfinished year the flows count
    1 January to today (rows dated later have not happened yet), stocks as they are."""
    ids = list(CATALOGUE if indicators is None else indicators)
    c = comparison(period, today or config.today())
    return _counted(prepared, c, False, by, filters, today, ids)


def compared(
    prepared: Prepared,
    period,
    by: Sequence[str] = (),
    filters: Filters | None = None,
    today: date | None = None,
    indicators: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, Comparison]:
    """`current` of the period and the one it is compared with (`scope.comparison`): when the
    period ends in today's unfinished year, the flows of the catalogue (`Indicator.flow`) count
    1 January to today against the same days of the previous period; stocks as they are."""
    ids = list(CATALOGUE if indicators is None else indicators)
    c = comparison(period, today or config.today())
    now = _counted(prepared, c, False, by, filters, today, ids)
    return now, _counted(prepared, c, True, by, filters, today, ids), c


def growth(
    prepared: Prepared,
    period,
    by: Sequence[str] = (),
    filters: Filters | None = None,
    today: date | None = None,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Change against the previous period (Y-1) of every count and money indicator, like for
    like when the period ends in today's unfinished year (`compared`).

    Long frame: the group columns, `indicator`, `value`, `previous`, `change` (absolute) and
    `change_pct` (change / previous; NaN, "no data", when the previous value is 0).
    """
    ids = [i for i in (indicators or CATALOGUE) if CATALOGUE[i].growth]
    now, before, _ = compared(prepared, period, by, filters, today, ids)
    frames = []
    for i in ids:
        value, previous = now[i].to_numpy(float), before[i].to_numpy(float)
        frame = now[list(by)].copy()
        frame["indicator"] = i
        frame["value"] = value
        frame["previous"] = previous
        frame["change"] = value - previous
        frame["change_pct"] = share_of(value - previous, previous)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=[*by, "indicator", "value", "previous", "change", "change_pct"])
    return pd.concat(frames, ignore_index=True)


def timeseries(
    prepared: Prepared,
    years: Iterable[int] | None = None,
    by: Sequence[str] = (),
    filters: Filters | None = None,
    today: date | None = None,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The indicators of each year (default: every year with data), stacked: `year`, groups, ids."""
    years = list(years) if years is not None else years_with_data(prepared)
    ids = list(indicators or CATALOGUE)
    if years and all(i in MONEY_SUMS for i in ids):
        return _money_timeseries(prepared, [int(y) for y in years], tuple(by), filters, ids)
    frames = []
    for y in years:
        frame = compute(prepared, int(y), by, filters, today, ids)
        frame.insert(0, YEAR, int(y))
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=[YEAR, *by, *ids])
    return pd.concat(frames, ignore_index=True)


def _money_timeseries(
    prepared: Prepared,
    years: list[int],
    by: tuple[str, ...],
    filters: Filters | None,
    ids: list[str],
) -> pd.DataFrame:
    """timeseries() of money sums in one pass over the contributions (the trend charts)."""
    sc = scope(prepared, by, filters)
    a = prepared.arrays
    y0, n_years, n_groups = min(years), max(years) - min(years) + 1, sc.n_groups
    offset = a["c_year"] - y0
    valid = (sc.money_group >= 0) & (offset >= 0) & (offset < n_years)
    cell = offset[valid] * n_groups + sc.money_group[valid]
    usd = a["c_usd"][valid]
    out = pd.concat([sc.labels] * len(years), ignore_index=True)
    out.insert(0, YEAR, np.repeat(np.asarray(years, np.int64), n_groups))
    rows = (np.asarray(years) - y0)[:, None] * n_groups + np.arange(n_groups)[None, :]
    for i in ids:
        mask = money_mask(prepared, i)
        weights = usd if mask is None else np.where(mask[valid], usd, 0.0)
        sums = np.bincount(cell, weights=weights, minlength=n_years * n_groups)
        out[i] = sums[rows.ravel()]
    return out


def targets(
    prepared: Prepared, period, by: Sequence[str] = (), filters: Filters | None = None
) -> pd.DataFrame:
    """The target of each indicator that has one (analytics.indicators.targets), for each group
    of `compute` (NaN when none is set); private_share_of_budget always has its column."""
    _, last = period_bounds(period)
    labels = scope(prepared, by, filters).labels
    regions = (filters or Filters()).regions
    return targets_of(prepared.reference, labels, P.region, regions, last)


def gap_matrix(prepared: Prepared, period, filters: Filters | None = None) -> pd.DataFrame:
    """Strategic objective × region: partners active in the period naming the objective (0 if none).

    Index: objective codes (reference order); columns: the regions in scope. A zero is a gap.
    """
    x = Context(prepared, period, (P.region,), filters)
    rows, codes = prepared.arrays["objective_partner"], prepared.arrays["objective_code"]
    group = x.scope.partner_group[rows]
    keep = x.active[rows] & (group >= 0)
    n_obj, n_reg = len(prepared.objectives), x.n_groups
    counts = np.bincount(codes[keep] * n_reg + group[keep], minlength=n_obj * n_reg).reshape(
        n_obj, n_reg
    )
    return pd.DataFrame(
        counts.astype(np.int64),
        index=pd.Index(list(prepared.objectives), name="objective"),
        columns=pd.Index(list(x.scope.labels[P.region]), name=P.region),
    )
