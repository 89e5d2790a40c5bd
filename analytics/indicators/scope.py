"""What the user selected and how it cuts the register: filters, periods and scopes.

`Filters` (frozen, hashable, sorted codes; an empty tuple means "all") and periods (a year or an
inclusive range; `previous_period` is the range of the same length just before; `comparison`
says what a period is compared with, like for like when it ends in today's unfinished year). A `Scope` is
the groups of a breakdown (`by` ⊆ region, partnership type) and the rows the filters keep; it is
built once per (by, filters) pair and cached on the `Prepared` with the filter masks (the last
few dozen, thread-safe), so that a filter change recomputes a page in milliseconds.
"""

import calendar
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analytics.indicators.prepare import Prepared
from schemas.workbook import Contributions as C
from schemas.workbook import Partners as P

GROUPINGS = (P.region, P.partnership_type)


def _codes_tuple(values) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    return tuple(sorted({str(v) for v in values}))


@dataclass(frozen=True)
class Filters:
    """What the user selected; an empty tuple means "all". Hashable, for caches and URLs."""

    regions: tuple[str, ...] = ()
    partnership_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # contributions only
    statuses: tuple[str, ...] = ()  # contributions only

    def __post_init__(self):
        # Lists, sets, a single code or None are accepted; stored sorted so equal selections hash equal.
        for name in ("regions", "partnership_types", "categories", "kinds", "statuses"):
            object.__setattr__(self, name, _codes_tuple(getattr(self, name)))


NO_FILTERS = Filters()

# Filters field -> the reference code list of its codes (labels, URL parameters, descriptions).
FILTER_CODELISTS = {
    "regions": "region",
    "partnership_types": "partnership_type",
    "categories": "category",
    "kinds": "kind",
    "statuses": "status",
}


def period_bounds(period: int | Sequence[int]) -> tuple[int, int]:
    """2024 -> (2024, 2024); (2022, 2024) -> (2022, 2024)."""
    if isinstance(period, (int, np.integer)):
        return int(period), int(period)
    first, last = (int(y) for y in period)
    if first > last:
        raise ValueError(f"the period {first}–{last} ends before it starts")
    return first, last


def previous_period(period: int | Sequence[int]) -> tuple[int, int]:
    """The period of the same length just before: Y-1 for a year."""
    first, last = period_bounds(period)
    length = last - first + 1
    return first - length, last - length


@dataclass(frozen=True)
class Comparison:
    """A period and the one it is compared with. `through` is set when the period ends in
    today's unfinished year: flows are then counted from 1 January to `through` (today) and, in
    the previous period, to `previous_through`, the same month and day (like for like)."""

    period: tuple[int, int]
    previous: tuple[int, int]
    through: date | None = None
    previous_through: date | None = None

    @property
    def like_for_like(self) -> bool:
        return self.through is not None


def same_day_earlier(day: date, years: int) -> date:
    """The same month and day `years` earlier; 29 February becomes 28 February in a common year."""
    year = day.year - years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def comparison(period: int | Sequence[int], today: date) -> Comparison:
    """What the period is compared with: the previous period, like for like when the period
    ends in today's year (unfinished), in full when it is complete."""
    first, last = period_bounds(period)
    before = previous_period((first, last))
    if last != today.year:
        return Comparison((first, last), before)
    return Comparison((first, last), before, today, same_day_earlier(today, first - before[0]))


def _member(categories: Sequence[str], allowed: tuple[str, ...]) -> np.ndarray:
    """Lookup table code -> allowed? (with a trailing False for missing codes, i.e. code -1)."""
    if not allowed:
        return np.append(np.ones(len(categories), bool), True)
    return np.append(pd.Index(categories).isin(allowed), False)


@dataclass(frozen=True)
class Scope:
    """The groups of a breakdown and the rows that the filters keep (group -1: left out)."""

    by: tuple[str, ...]
    labels: pd.DataFrame  # one row per group: the group's codes
    partner_group: np.ndarray  # per partner, by its own partnership type
    money_group: np.ndarray  # per contribution, by its effective partnership type
    regions: tuple[str, ...]  # regions in scope (the denominators of private_share_of_budget)

    @property
    def n_groups(self) -> int:
        return len(self.labels)


def scope(prepared: Prepared, by: Sequence[str] = (), filters: Filters | None = None) -> Scope:
    """The Scope of (by, filters), computed once per Prepared and kept (a few at a time)."""
    by = tuple(by)
    unknown = [b for b in by if b not in GROUPINGS]
    if unknown or len(set(by)) != len(by):
        raise ValueError(f"cannot group by {list(by)}; use a subset of {list(GROUPINGS)}")
    filters = filters or NO_FILTERS
    return _cached(prepared, ("scope", by, filters), lambda: _build_scope(prepared, by, filters))


def _cached(prepared: Prepared, key: tuple, build: Callable):
    """A value kept on the Prepared (the last few dozen): scopes and filter masks."""
    with prepared._lock:
        if key in prepared._scopes:
            prepared._scopes.move_to_end(key)
            return prepared._scopes[key]
    value = build()  # outside the lock: two sessions may build the same value, harmlessly
    with prepared._lock:
        prepared._scopes[key] = value
        while len(prepared._scopes) > 32:
            prepared._scopes.popitem(last=False)
    return value


def _dims(prepared: Prepared, filters: Filters) -> dict:
    a = prepared.arrays
    return {
        P.region: (prepared.regions, filters.regions, a["p_region"], a["c_region"]),
        P.partnership_type: (
            prepared.partnership_types,
            filters.partnership_types,
            a["p_type"],
            a["c_type"],
        ),
    }


def _filter_masks(prepared: Prepared, filters: Filters) -> tuple[np.ndarray, np.ndarray]:
    """Partners and contributions the filters keep (shared by every breakdown of the filters)."""
    a = prepared.arrays
    p_keep = np.ones(len(prepared.partners), bool)
    c_keep = np.ones(len(prepared.contributions), bool)
    for categories, allowed, p_codes, c_codes in _dims(prepared, filters).values():
        lut = _member(categories, allowed)
        p_keep &= lut[p_codes]
        c_keep &= lut[c_codes]
    categories = tuple(prepared.partners[P.category].cat.categories)
    lut = _member(categories, filters.categories)
    p_keep &= lut[a["p_category"]]
    c_keep &= lut[a["c_category"]]
    c_keep &= _member(tuple(prepared.contributions[C.kind].cat.categories), filters.kinds)[
        a["c_kind"]
    ]
    c_keep &= _member(tuple(prepared.contributions[C.status].cat.categories), filters.statuses)[
        a["c_status"]
    ]
    for arr in (p_keep, c_keep):
        arr.flags.writeable = False
    return p_keep, c_keep


def _build_scope(prepared: Prepared, by: tuple[str, ...], filters: Filters) -> Scope:
    p_keep, c_keep = _cached(prepared, ("masks", filters), lambda: _filter_masks(prepared, filters))
    dims = _dims(prepared, filters)
    if not by:
        return Scope(
            by=by,
            labels=pd.DataFrame(index=pd.RangeIndex(1)),
            partner_group=_read_only(np.where(p_keep, 0, -1)),
            money_group=_read_only(np.where(c_keep, 0, -1)),
            regions=tuple(
                r for r in prepared.regions if not filters.regions or r in filters.regions
            ),
        )
    p_keep, c_keep = p_keep.copy(), c_keep.copy()
    # Groups: the product of the codes in scope of each `by` column, in reference order.
    p_group = np.zeros(len(p_keep), np.int64)
    c_group = np.zeros(len(c_keep), np.int64)
    levels = []
    for dim in by:
        categories, allowed, p_codes, c_codes = dims[dim]
        in_scope = [code for code in categories if not allowed or code in allowed]
        position = np.append(pd.Index(in_scope).get_indexer(categories), -1)
        p_pos, c_pos = position[p_codes], position[c_codes]
        p_keep &= p_pos >= 0
        c_keep &= c_pos >= 0
        p_group = p_group * len(in_scope) + p_pos
        c_group = c_group * len(in_scope) + c_pos
        levels.append(in_scope)
    labels = pd.DataFrame(list(itertools.product(*levels)), columns=list(by), dtype="str")
    regions = tuple(r for r in prepared.regions if not filters.regions or r in filters.regions)
    return Scope(
        by=by,
        labels=labels,
        partner_group=_read_only(np.where(p_keep, p_group, -1)),
        money_group=_read_only(np.where(c_keep, c_group, -1)),
        regions=regions,
    )


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False  # cached and shared between sessions
    return array
