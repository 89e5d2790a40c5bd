"""The counting blocks the indicator functions share, for one period and one scope.

A `Context` computes lazily, and once, what several indicators need (partners active in the
period, contributions dated in it, who gave in Y and Y-1, USD per partner, the budget of the
groups' regions); `share_of` is the division whose empty denominator is "no data". The rules
of the spec that these blocks apply (active stages, the review window) are stated here.
"""

from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
import pandas as pd

from analytics import config
from analytics.indicators.prepare import Prepared
from analytics.indicators.scope import Filters, period_bounds, previous_period, scope
from schemas.workbook import Partners as P

ACTIVE_STAGES = ("active", "closed")
PROSPECT = "prospect"
CLEARED = "cleared"
REVIEW_WINDOW_DAYS = 183  # biannual review (SPREP PERMS)


def share_of(num, den) -> np.ndarray:
    """num / den, NaN ("no data") where den is 0 or missing."""
    num, den = np.asarray(num, float), np.asarray(den, float)
    ok = np.isfinite(den) & (den > 0)
    return np.divide(num, den, out=np.full(np.broadcast(num, den).shape, np.nan), where=ok)


class Context:
    """One period and one scope: the counting blocks the indicators share, computed lazily."""

    def __init__(
        self,
        prepared: Prepared,
        period,
        by=(),
        filters: Filters | None = None,
        today: date | None = None,
        through: date | None = None,
    ):
        self.prepared = prepared
        self.a = prepared.arrays
        self.first, self.last = period_bounds(period)
        self.scope = scope(prepared, by, filters)
        self.today = today or config.today()
        # Like for like (scope.comparison): contributions and starts of the period's last year
        # counted up to this day only; None, the whole period.
        self.through = through
        self.n_keys = max(prepared.n_keys, 1)
        self.n_groups = self.scope.n_groups
        self._memo: dict = {}

    def memo(self, name: str, fn: Callable[[], np.ndarray]) -> np.ndarray:
        if name not in self._memo:
            self._memo[name] = fn()
        return self._memo[name]

    # partners
    def partner_count(self, mask: np.ndarray) -> np.ndarray:
        g = self.scope.partner_group
        return np.bincount(g[mask & (g >= 0)], minlength=self.n_groups)

    @property
    def active(self) -> np.ndarray:
        """Stage active or closed, started by the period's end, not ended before its start."""

        def active():
            stage = self.prepared.partners[P.stage].cat.categories
            lut = np.append(pd.Index(stage).isin(ACTIVE_STAGES), False)
            start, end = self.a["p_start"], self.a["p_end"]
            return (
                lut[self.a["p_stage"]]
                & (start <= np.datetime64(date(self.last, 12, 31)))
                & (np.isnat(end) | (end >= np.datetime64(date(self.first, 1, 1))))
            )

        return self.memo("active", active)

    def share_of_active(self, mask: np.ndarray) -> np.ndarray:
        return share_of(self.partner_count(self.active & mask), self.partner_count(self.active))

    def partner_code(self, column: str, array: str, code: str) -> np.ndarray:
        categories = self.prepared.partners[column].cat.categories
        return np.append(categories == code, False)[self.a[array]]

    # contributions
    def dated(self, first: int, last: int) -> np.ndarray:
        years = self.a["c_year"]
        return (years >= first) & (years <= last) & (self.scope.money_group >= 0)

    @property
    def in_period(self) -> np.ndarray:
        def in_period():
            mask = self.dated(self.first, self.last)
            if self.through is not None:
                mask &= self.a["c_date"] <= np.datetime64(self.through)
            return mask

        return self.memo("in_period", in_period)

    @property
    def period_end(self) -> date:
        """The last day counted: 31 December of the period's last year, or `through`."""
        return self.through or date(self.last, 12, 31)

    @property
    def cut_off(self) -> np.datetime64:
        """The follow-up's cut-off: the earlier of the last day counted and today."""
        return np.datetime64(min(self.period_end, self.today), "D")

    def contribution_code(self, column: str, array: str, code: str) -> np.ndarray:
        categories = self.prepared.contributions[column].cat.categories
        return np.append(categories == code, False)[self.a[array]]

    def usd_sum(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(
            self.scope.money_group[mask], weights=self.a["c_usd"][mask], minlength=self.n_groups
        )

    def gave(self, mask: np.ndarray) -> np.ndarray:
        """Group × partner: True where the partner has a contribution selected by mask."""
        out = np.zeros(self.n_groups * self.n_keys, bool)
        out[self.scope.money_group[mask] * self.n_keys + self.a["c_key"][mask]] = True
        return out.reshape(self.n_groups, self.n_keys)

    @property
    def gave_in_period(self) -> np.ndarray:
        return self.memo("gave", lambda: self.gave(self.in_period))

    @property
    def gave_previous(self) -> np.ndarray:
        return self.memo(
            "gave_previous",
            lambda: self.gave(self.dated(*previous_period((self.first, self.last)))),
        )

    @property
    def partner_totals(self) -> np.ndarray:
        """Group × partner: USD given in the period."""

        def totals():
            m = self.in_period
            flat = self.scope.money_group[m] * self.n_keys + self.a["c_key"][m]
            sums = np.bincount(
                flat, weights=self.a["c_usd"][m], minlength=self.n_groups * self.n_keys
            )
            return sums.reshape(self.n_groups, self.n_keys)

        return self.memo("partner_totals", totals)

    def top_share(self, k: int) -> np.ndarray:
        totals = self.partner_totals
        k = min(k, totals.shape[1])
        top = -np.partition(-totals, k - 1, axis=1)[:, :k]
        return share_of(top.sum(axis=1), totals.sum(axis=1))

    def budget(self) -> np.ndarray:
        """Budget of the period for each group's region, or for every region in scope; NaN if one is missing."""
        budgets = self.prepared.budgets

        def total(regions: Sequence[str]) -> float:
            cells = [(r, y) for r in regions for y in range(self.first, self.last + 1)]
            if not cells or any(c not in budgets for c in cells):
                return np.nan  # a missing budget would overstate the share: no data rather
            return float(sum(budgets[c] for c in cells))

        if P.region in self.scope.by:
            return np.array([total([r]) for r in self.scope.labels[P.region]], float)
        return np.full(self.n_groups, total(self.scope.regions))
