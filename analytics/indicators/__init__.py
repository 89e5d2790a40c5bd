"""The indicator catalogue of the spec ("Indicators"), stated once, and its computation.

Every page, the CLI and the exports read numbers from here; none computes an indicator itself.
Names, short names and definitions live in locales/<lang>/indicators.toml (`[indicators.<id>]`).

Public API (stable; `ind` = analytics.indicators):

- `prepare(partners, contributions, reference) -> Prepared`: join the sheets once (USD at the
  rate of the contribution's currency and year, effective partnership type, the partner's
  category, categoricals, numpy arrays). Frames as `analytics.store.versions.load_current()` and
  `ui.data.current_register()` give them (str codes, datetime64 dates, boolean flags, float
  amounts; `region` on contributions, else taken from the partner). The slow part (~0.5 s for
  1M contributions): cache it per store state with `st.cache_resource` (read-only arrays, shared;
  it is picklable too, but `st.cache_data` would copy a million rows at each hit).
- `Filters(regions=, partnership_types=, categories=, kinds=, statuses=)`: frozen, hashable,
  normalised (sorted tuples); an empty tuple means "all". Region, type and category apply to
  partners and to contributions (a partner-based indicator filters on the partner's type, a
  money-based one on the contribution's); kind and status apply to contributions only.
- `period`: a year `2024` or an inclusive range `(2022, 2024)`; "Y-1" of a range is the range of
  the same length just before it (`previous_period`). `today` (default: date.today()) only
  matters to review_compliance; pass it to make results reproducible and cache keys honest.
- `compute(prepared, period, by=(), filters=None, today=None, indicators=None) -> DataFrame`:
  one row per group (`by` ⊆ ("region", "partnership_type"); every code in scope is a row, even
  without data), then one column per indicator id. Counts are int64, USD and shares float64;
  a share whose denominator is 0 is NaN ("no data"). Repeat, lapsed and retained partners are
  counted on the contributions inside the group and the filters.
- `growth(prepared, period, by, filters, today, indicators)`: long frame [*by, indicator, value,
  previous, change, change_pct] for each indicator with `Indicator.growth`; change_pct is NaN when
  the previous value is 0.
- `timeseries(prepared, years=None, by, filters, today, indicators)`: `year` + compute per year
  (every year with data by default; money sums in one pass).
- `targets(prepared, period, by, filters)`: the private_share_of_budget target per group.
- `gap_matrix(prepared, period, filters)`: objective × region counts of active partners.
- Lists for pages: `top_partners(prepared, period, filters, n)`, `beneficiary_countries(...)`,
  `notable_contributions(..., n)`, `partners_table(prepared, period, filters, today)`,
  `partner_history(prepared, region, partner_id)`; `years_with_data`, `latest_year(prepared, today)`.
- `indicator_table(prepared, year=None, by, filters, today)`: the CLI's table (exports too).
- Catalogue: `CATALOGUE: dict[id, Indicator]` (id, unit "count"|"usd"|"share", basis
  "partner"|"money", growth, better "up"|"down", fn), `OVERVIEW`, `BY_TYPE` (the IOM indicators
  of each partnership type), `GOVERNANCE`, `catalogue_table(lang)`; labels `name`, `short`,
  `definition`, `unit`, `unit_label`, `format_value(id, value, lang)`,
  `format_change(id, change, change_pct, lang)`.
- `cli_indicators(args)`: `python -m analytics indicators` (see analytics/cli.py).

The indicator functions count with numpy on the arrays of `prepare` (no loop over rows). The
masks of a filter selection and the group codes of a (by, filters) pair are cached on the
Prepared object (a few dozen, thread-safe), so a filter change recomputes the overview in a few
hundred milliseconds at most on a million contributions (bench/bench_indicators.py).
"""

import itertools
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from analytics.i18n import fmt_money, fmt_number, fmt_percent, t
from analytics.reference.load import Reference
from schemas.workbook import Contributions as C
from schemas.workbook import Partners as P

# Columns added by `prepare` (the sheets' own columns are named by the schema models).
KEY = "key"  # integer id of a partner, i.e. of a (region, partner_id) pair
USD = "usd"
YEAR = "year"

ACTIVE_STAGES = ("active", "closed")
PROSPECT = "prospect"
CLEARED = "cleared"
FINANCIAL, IN_KIND = "financial", "in_kind"
RECEIVED, PLEDGED = "received", "pledged"
REVIEW_WINDOW_DAYS = 183  # biannual review (SPREP PERMS)

GROUPINGS = (P.region, P.partnership_type)
UNITS = ("count", "usd", "share")

_PARTNER_COLUMNS = [
    P.partner_id, P.partner_name, P.category, P.sector, P.partnership_type, P.region,
    P.country, P.stage, P.start_date, P.end_date, P.due_diligence, P.due_diligence_date,
    P.focal_point, P.has_kpis, P.last_review, P.evaluated, P.strategic_objectives,
]  # fmt: skip
_CONTRIBUTION_COLUMNS = [
    C.contribution_id, C.partner_id, P.region, C.date, C.status, C.kind, C.amount, C.currency,
    C.country, C.partnership_type, C.thematic_area, C.multi_year, C.description,
]  # fmt: skip
_PARTNER_DATES = (P.start_date, P.end_date, P.due_diligence_date, P.last_review)


# --- filters and periods -------------------------------------------------------------------------


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


# --- preparing ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Prepared:
    """Both sheets of every region, joined once; read-only (shared between sessions)."""

    # Partners columns (codes as categoricals) and KEY (= row number).
    partners: pd.DataFrame
    # Contributions columns (codes as categoricals) with `region`, `usd`, `year` (Int32), the
    # effective `partnership_type` (the contribution's, else the partner's), the partner's
    # `category`, and KEY.
    contributions: pd.DataFrame
    reference: Reference
    regions: tuple[str, ...]  # reference regions, then any other found: groups even without data
    partnership_types: tuple[str, ...]
    objectives: tuple[str, ...]  # strategic objectives: reference codes, then any other found
    years: tuple[int, ...]  # years with a contribution or a partnership start
    budgets: dict[tuple[str, int], float]  # (region, year) -> budget in USD
    n_keys: int  # KEY values are 0 … n_keys-1 (partners, then contributions of unknown partners)
    arrays: dict[str, np.ndarray]  # numpy columns the indicator functions count on
    _scopes: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def is_empty(self) -> bool:
        return len(self.partners) == 0 and len(self.contributions) == 0

    def __getstate__(self):  # picklable (st.cache_data, processes): without the lock and caches
        state = dict(self.__dict__)
        state.pop("_lock")
        state["_scopes"] = OrderedDict()
        return state

    def __setstate__(self, state):
        self.__dict__.update(state, _lock=threading.Lock())


def _lookup(values: np.ndarray, index: np.ndarray, missing=-1) -> np.ndarray:
    """values[index], `missing` where index is -1."""
    return np.append(values, np.asarray(missing, dtype=values.dtype))[index]


def _encode(known: Sequence[str], *columns: pd.Series) -> list[pd.Categorical]:
    """The columns as categoricals sharing one set of categories: the known codes in order, then
    any other value found (sorted); blank text is missing. Factorising first is much faster than
    astype("category") on a million strings."""
    joined = pd.concat(columns, ignore_index=True) if len(columns) > 1 else columns[0]
    codes, uniques = pd.factorize(joined)
    uniques = [str(u).strip() for u in uniques]
    found = {u for u in uniques if u}
    categories = [*known, *sorted(found - set(known))]
    position = pd.Index(categories).get_indexer([u if u else None for u in uniques])
    codes = _lookup(position, codes)
    dtype = pd.CategoricalDtype(categories)
    bounds = np.cumsum([0, *(len(c) for c in columns)])
    return [
        pd.Categorical.from_codes(codes[a:b], dtype=dtype)
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column of the frame, or an empty one when the caller's frame lacks it."""
    if name in frame.columns:
        return frame[name].reset_index(drop=True)
    return pd.Series([None] * len(frame), dtype="str")


def _codes(series) -> np.ndarray:
    return np.asarray(
        series.codes if isinstance(series, pd.Categorical) else series.cat.codes, np.int64
    )


def _days(series: pd.Series) -> np.ndarray:
    return pd.to_datetime(series, errors="coerce").to_numpy("datetime64[D]")


def _flag(series: pd.Series) -> np.ndarray:
    return series.astype("boolean").to_numpy(bool, na_value=False)


def prepare(partners: pd.DataFrame, contributions: pd.DataFrame, reference: Reference) -> Prepared:
    """Join contributions to their partner, convert to USD, encode codes: once per store state."""
    p = pd.DataFrame({col: _column(partners, col) for col in _PARTNER_COLUMNS})
    for col in _PARTNER_DATES:
        p[col] = pd.to_datetime(p[col], errors="coerce")
    for col in (P.has_kpis, P.evaluated):
        p[col] = p[col].astype("boolean")
    c = pd.DataFrame({col: _column(contributions, col) for col in _CONTRIBUTION_COLUMNS})
    if P.region not in contributions.columns and len(c):
        # A single region's register (straight from a workbook): the region is the partner's.
        region_of = p.drop_duplicates(P.partner_id).set_index(P.partner_id)[P.region]
        c[P.region] = c[C.partner_id].map(region_of).astype("str")
    c[C.date] = pd.to_datetime(c[C.date], errors="coerce")
    c[C.multi_year] = c[C.multi_year].astype("boolean")
    amount = pd.to_numeric(c[C.amount], errors="coerce").to_numpy(np.float64, na_value=np.nan)

    p[P.region], c[P.region] = _encode(reference.region_codes, p[P.region], c[P.region])
    p[P.partnership_type], own_type = _encode(
        reference.codes("partnership_type"), p[P.partnership_type], c[C.partnership_type]
    )
    for col, codelist, frame in (
        (P.category, "category", p),
        (P.stage, "stage", p),
        (P.due_diligence, "due_diligence", p),
        (C.status, "status", c),
        (C.kind, "kind", c),
        (C.thematic_area, "thematic_area", c),
    ):
        (frame[col],) = _encode(reference.codes(codelist), frame[col])
    (c[C.country],) = _encode([], c[C.country])
    (c[C.currency],) = _encode(sorted(reference.exchange_rates["currency"].unique()), c[C.currency])

    # Partner of each contribution: (region, partner_id) as one integer, looked up in a hash index.
    ids = pd.factorize(pd.concat([p[P.partner_id], c[C.partner_id]], ignore_index=True))[0]
    width = int(ids.max()) + 2 if len(ids) else 1
    pair = (np.concatenate([_codes(p[P.region]), _codes(c[P.region])]) + 1) * width + ids + 1
    p_pair, c_pair = pair[: len(p)], pair[len(p) :]
    first = np.flatnonzero(
        ~pd.Index(p_pair).duplicated()
    )  # a duplicated partner row: the first wins
    row = _lookup(first, pd.Index(p_pair[first]).get_indexer(c_pair))
    # Contributions of an unknown partner (validation refuses them) still count, as their own partner.
    orphan = row < 0
    orphans = pd.factorize(c_pair[orphan])[0]
    key = row.copy()
    key[orphan] = len(p) + orphans
    p[KEY] = np.arange(len(p), dtype=np.int64)
    c[KEY] = key
    n_keys = len(p) + (int(orphans.max()) + 1 if len(orphans) else 0)

    own = _codes(own_type)
    effective = np.where(own >= 0, own, _lookup(_codes(p[P.partnership_type]), row))
    c[C.partnership_type] = pd.Categorical.from_codes(effective, dtype=p[P.partnership_type].dtype)
    c[P.category] = pd.Categorical.from_codes(
        _lookup(_codes(p[P.category]), row), dtype=p[P.category].dtype
    )

    # USD: amount × the rate of the contribution's currency for the contribution's year.
    year = c[C.date].dt.year.to_numpy(np.float64, na_value=np.nan)
    c[YEAR] = pd.array(year, dtype="Int32")
    c[USD] = amount * reference.usd_per_unit(c[C.currency], year)

    objectives, pairs = _objective_pairs(p[P.strategic_objectives], reference.objective_codes())
    focal = (
        p[P.focal_point].astype("str").str.strip().str.len().gt(0).to_numpy(bool, na_value=False)
    )
    arrays = {
        # partners
        "p_region": _codes(p[P.region]),
        "p_type": _codes(p[P.partnership_type]),
        "p_category": _codes(p[P.category]),
        "p_stage": _codes(p[P.stage]),
        "p_due_diligence": _codes(p[P.due_diligence]),
        "p_start": _days(p[P.start_date]),
        "p_end": _days(p[P.end_date]),
        "p_review": _days(p[P.last_review]),
        "p_monitored": focal & _flag(p[P.has_kpis]),
        "p_evaluated": _flag(p[P.evaluated]),
        "objective_partner": pairs[0],
        "objective_code": pairs[1],
        # contributions
        "c_region": _codes(c[P.region]),
        "c_type": _codes(c[C.partnership_type]),
        "c_category": _codes(c[P.category]),
        "c_kind": _codes(c[C.kind]),
        "c_status": _codes(c[C.status]),
        "c_country": _codes(c[C.country]),
        "c_year": c[YEAR].to_numpy(np.int64, na_value=-1),
        # An amount that cannot be converted (validation refuses it) adds nothing, not NaN to every sum.
        "c_usd": np.nan_to_num(c[USD].to_numpy(np.float64, na_value=np.nan)),
        "c_key": key.astype(np.int64),
        "c_multi_year": _flag(c[C.multi_year]),
    }
    for a in arrays.values():
        a.flags.writeable = False  # shared by every session: nobody may change it in place
    return Prepared(
        partners=p,
        contributions=c,
        reference=reference,
        regions=tuple(p[P.region].cat.categories),
        partnership_types=tuple(p[P.partnership_type].cat.categories),
        objectives=tuple(objectives),
        years=_years(arrays["c_year"], arrays["p_start"]),
        budgets={
            (str(r), int(y)): float(b)
            for r, y, b in reference.budgets[["region", "year", "budget_usd"]].itertuples(
                index=False
            )
        },
        n_keys=n_keys,
        arrays=arrays,
    )


def _objective_pairs(
    column: pd.Series, known: list[str]
) -> tuple[list[str], tuple[np.ndarray, np.ndarray]]:
    """(partner row, objective code) for each objective a partner names (once each)."""
    # Few distinct lists ("SO1;SO4"…) among many partners: split each distinct list once.
    codes, lists = pd.factorize(column)
    parsed = [{x.strip() for x in str(v).split(";")} - {""} for v in lists]
    objectives = [*known, *sorted(set().union(*parsed) - set(known))]
    index = {o: i for i, o in enumerate(objectives)}
    rows, found = [], []
    for list_code, names in enumerate(parsed):
        members = np.flatnonzero(codes == list_code)
        for name in names:
            rows.append(members)
            found.append(np.full(len(members), index[name], np.int64))
    if not rows:
        return objectives, (np.zeros(0, np.int64), np.zeros(0, np.int64))
    return objectives, (np.concatenate(rows).astype(np.int64), np.concatenate(found))


def _years(c_year: np.ndarray, p_start: np.ndarray) -> tuple[int, ...]:
    years = np.flatnonzero(np.bincount(c_year[c_year >= 0])) if (c_year >= 0).any() else []
    starts = p_start[~np.isnat(p_start)].astype("datetime64[Y]").astype(np.int64) + 1970
    return tuple(sorted({int(y) for y in years} | {int(y) for y in np.unique(starts)}))


def years_with_data(prepared: Prepared) -> list[int]:
    """Every year with a contribution or a partnership start, ascending."""
    return list(prepared.years)


def latest_year(prepared: Prepared, today: date | None = None) -> int | None:
    """The default period: the latest year with data, not after this year (None if no data)."""
    years = years_with_data(prepared)
    now = (today or date.today()).year
    past = [y for y in years if y <= now]
    return past[-1] if past else (years[-1] if years else None)


# --- scope: groups and filters of a (by, filters) pair, cached on the Prepared ----------------


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


# --- what the indicator functions share -------------------------------------------------------


def _share(num, den) -> np.ndarray:
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
    ):
        self.prepared = prepared
        self.a = prepared.arrays
        self.first, self.last = period_bounds(period)
        self.scope = scope(prepared, by, filters)
        self.today = today or date.today()
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
        return _share(self.partner_count(self.active & mask), self.partner_count(self.active))

    def partner_code(self, column: str, array: str, code: str) -> np.ndarray:
        categories = self.prepared.partners[column].cat.categories
        return np.append(categories == code, False)[self.a[array]]

    # contributions
    def dated(self, first: int, last: int) -> np.ndarray:
        years = self.a["c_year"]
        return (years >= first) & (years <= last) & (self.scope.money_group >= 0)

    @property
    def in_period(self) -> np.ndarray:
        return self.memo("in_period", lambda: self.dated(self.first, self.last))

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
        return _share(top.sum(axis=1), totals.sum(axis=1))

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


# --- the indicators ------------------------------------------------------------------------------


def active_partners(x: Context) -> np.ndarray:
    return x.partner_count(x.active)


def new_partnerships(x: Context) -> np.ndarray:
    start = x.a["p_start"]
    started = (start >= np.datetime64(date(x.first, 1, 1))) & (
        start <= np.datetime64(date(x.last, 12, 31))
    )
    stage = x.prepared.partners[P.stage].cat.categories
    return x.partner_count(
        started & np.append(pd.Index(stage).isin(ACTIVE_STAGES), False)[x.a["p_stage"]]
    )


def prospects(x: Context) -> np.ndarray:
    return x.partner_count(x.partner_code(P.stage, "p_stage", PROSPECT))


# Sums of USD over the period's contributions, with the code they select (None: all).
_MONEY_SUMS = {
    "contributions_usd": None,
    "financial_usd": (C.kind, "c_kind", FINANCIAL),
    "in_kind_usd": (C.kind, "c_kind", IN_KIND),
    "received_usd": (C.status, "c_status", RECEIVED),
    "pledged_usd": (C.status, "c_status", PLEDGED),
}


def _money_mask(prepared: Prepared, indicator_id: str) -> np.ndarray | None:
    selector = _MONEY_SUMS[indicator_id]
    if selector is None:
        return None
    column, array, code = selector
    categories = prepared.contributions[column].cat.categories
    return np.append(categories == code, False)[prepared.arrays[array]]


def _money_sum(x: Context, indicator_id: str) -> np.ndarray:
    def total():
        mask = _money_mask(x.prepared, indicator_id)
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
    return _share(received_usd(x), x.budget())


def repeat_partners(x: Context) -> np.ndarray:
    def repeat():
        years = x.a["c_year"]
        before = x.gave((years >= 0) & (years < x.first) & (x.scope.money_group >= 0))
        multi = x.gave(x.in_period & x.a["c_multi_year"])
        return (x.gave_in_period & (before | multi)).sum(axis=1)

    return x.memo("repeat", repeat)


def repeat_partner_share(x: Context) -> np.ndarray:
    return _share(repeat_partners(x), contributing_partners(x))


def lybunt_partners(x: Context) -> np.ndarray:
    return (x.gave_previous & ~x.gave_in_period).sum(axis=1)


def retention_rate(x: Context) -> np.ndarray:
    both = (x.gave_previous & x.gave_in_period).sum(axis=1)
    return _share(both, x.gave_previous.sum(axis=1))


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


def due_diligence_coverage(x: Context) -> np.ndarray:
    return x.share_of_active(x.partner_code(P.due_diligence, "p_due_diligence", CLEARED))


def monitoring_coverage(x: Context) -> np.ndarray:
    return x.share_of_active(x.a["p_monitored"])


def review_compliance(x: Context) -> np.ndarray:
    end = np.datetime64(min(date(x.last, 12, 31), x.today))
    review = x.a["p_review"]
    return x.share_of_active(
        (review >= end - np.timedelta64(REVIEW_WINDOW_DAYS, "D")) & (review <= end)
    )


def evaluation_coverage(x: Context) -> np.ndarray:
    return x.share_of_active(x.a["p_evaluated"])


@dataclass(frozen=True)
class Indicator:
    """One indicator of the spec; its name and definition are in the message catalogues."""

    id: str
    unit: str  # "count", "usd" or "share"
    basis: str  # "partner": grouped by the partner's type; "money": by the contribution's effective type
    growth: bool  # a change against Y-1 is meaningful (every count and money indicator but the pipeline)
    better: str  # "up", "down" (lybunt_partners) or "none": the colour of a change
    fn: Callable[[Context], np.ndarray]  # one value per group of the context


def _catalogue(*rows: tuple) -> dict[str, Indicator]:
    return {
        fn.__name__: Indicator(fn.__name__, unit, basis, growth, better, fn)
        for fn, unit, basis, growth, better in rows
    }


# Display order. `prospects` is the pipeline now, the same for every period: no growth. Shares
# are compared in percentage points by the pages if they wish; growth is for counts and money.
CATALOGUE: dict[str, Indicator] = _catalogue(
    (active_partners, "count", "partner", True, "up"),
    (new_partnerships, "count", "partner", True, "up"),
    (prospects, "count", "partner", False, "up"),
    (contributions_usd, "usd", "money", True, "up"),
    (financial_usd, "usd", "money", True, "up"),
    (in_kind_usd, "usd", "money", True, "up"),
    (received_usd, "usd", "money", True, "up"),
    (pledged_usd, "usd", "money", True, "up"),
    (contributing_partners, "count", "money", True, "up"),
    (private_share_of_budget, "share", "money", False, "up"),
    (repeat_partners, "count", "money", True, "up"),
    (repeat_partner_share, "share", "money", False, "up"),
    (lybunt_partners, "count", "money", True, "down"),
    (retention_rate, "share", "money", False, "up"),
    (countries_reached, "count", "money", True, "up"),
    (top5_share, "share", "money", False, "down"),
    (top10_share, "share", "money", False, "down"),
    (due_diligence_coverage, "share", "partner", False, "up"),
    (monitoring_coverage, "share", "partner", False, "up"),
    (review_compliance, "share", "partner", False, "up"),
    (evaluation_coverage, "share", "partner", False, "up"),
)

# The director's key indicators (overview cards), in order.
OVERVIEW = (
    "active_partners",
    "new_partnerships",
    "contributions_usd",
    "received_usd",
    "private_share_of_budget",
    "contributing_partners",
    "retention_rate",
    "top5_share",
)

# The indicators the IOM strategy sets for each partnership type (page "by partnership type").
BY_TYPE = {
    "advocacy": ("active_partners", "new_partnerships", "countries_reached"),
    "innovation": ("active_partners", "new_partnerships", "countries_reached", "contributions_usd"),
    "resource_mobilization": (
        "contributions_usd", "received_usd", "pledged_usd", "contributing_partners", "repeat_partners",
        "repeat_partner_share", "retention_rate", "lybunt_partners",
    ),
    "implementation": ("new_partnerships", "active_partners", "contributions_usd", "countries_reached"),
}  # fmt: skip

# Governance indicators (due diligence, monitoring, review, evaluation).
GOVERNANCE = (
    "due_diligence_coverage",
    "monitoring_coverage",
    "review_compliance",
    "evaluation_coverage",
)


# --- labels ----------------------------------------------------------------------------------------


def name(indicator_id: str, lang: str = "en") -> str:
    return t(f"indicators.{indicator_id}.name", lang)


def short(indicator_id: str, lang: str = "en") -> str:
    """A short label for axes and cards (the name when there is none)."""
    key = f"indicators.{indicator_id}.short"
    text = t(key, lang)
    return name(indicator_id, lang) if text == key else text


def definition(indicator_id: str, lang: str = "en") -> str:
    return t(f"indicators.{indicator_id}.definition", lang)


def unit(indicator_id: str) -> str:
    """The unit: count, usd or share."""
    return CATALOGUE[indicator_id].unit


def unit_label(indicator_id: str, lang: str = "en") -> str:
    return t(f"indicator_units.{unit(indicator_id)}", lang)


def format_value(indicator_id: str, value, lang: str = "en") -> str:
    """The value as shown to users: a count, an amount in USD or a percentage ("no data" if NaN)."""
    kind = unit(indicator_id)
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return t("ui.no_data", lang)
    if kind == "usd":
        return fmt_money(float(value), lang)
    if kind == "share":
        return fmt_percent(float(value), lang)
    return fmt_number(value, lang)


def format_change(indicator_id: str, change, change_pct=None, lang: str = "en") -> str:
    """A change against Y-1 with its sign, and its % when known: "+3 (+12.5%)"."""
    if not _is_finite(change):  # None, NaN, or ±inf from a sum that overflowed
        return t("ui.no_data", lang)
    text = _sign(change) + format_value(indicator_id, abs(float(change)), lang)
    if _is_finite(change_pct):
        text += f" ({_sign(change_pct)}{fmt_percent(abs(float(change_pct)), lang)})"
    return text


def _is_finite(x) -> bool:
    try:
        return bool(np.isfinite(float(x)))
    except (TypeError, ValueError):
        return False


def _sign(x) -> str:
    return "+" if x > 0 else "−" if x < 0 else ""


def catalogue_table(lang: str = "en") -> pd.DataFrame:
    """The catalogue in a language, one row per indicator: id, name, unit, basis, growth, definition."""
    rows = [
        {
            "id": i,
            "name": name(i, lang),
            "unit": unit_label(i, lang),
            "basis": t(f"indicator_catalogue.basis_{x.basis}", lang),
            "growth": t(f"indicator_catalogue.{'yes' if x.growth else 'no'}", lang),
            "definition": definition(i, lang),
        }
        for i, x in CATALOGUE.items()
    ]
    return pd.DataFrame(rows, columns=["id", "name", "unit", "basis", "growth", "definition"])


# --- computing -----------------------------------------------------------------------------------


def compute(
    prepared: Prepared,
    period,
    by: Sequence[str] = (),
    filters: Filters | None = None,
    today: date | None = None,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per group (every combination of the codes in scope), one column per indicator."""
    x = Context(prepared, period, by, filters, today)
    columns = {}
    for indicator_id in indicators or CATALOGUE:
        ind = CATALOGUE[indicator_id]
        values = np.asarray(ind.fn(x))
        columns[ind.id] = values.astype(np.int64) if ind.unit == "count" else values.astype(float)
    values = pd.DataFrame(columns, index=x.scope.labels.index)
    return pd.concat([x.scope.labels, values], axis=1).reset_index(drop=True)


def growth(
    prepared: Prepared,
    period,
    by: Sequence[str] = (),
    filters: Filters | None = None,
    today: date | None = None,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Change against the previous period (Y-1) of every count and money indicator.

    Long frame: the group columns, `indicator`, `value`, `previous`, `change` (absolute) and
    `change_pct` (change / previous; NaN, "no data", when the previous value is 0).
    """
    ids = [i for i in (indicators or CATALOGUE) if CATALOGUE[i].growth]
    now = compute(prepared, period, by, filters, today, ids)
    before = compute(prepared, previous_period(period), by, filters, today, ids)
    frames = []
    for i in ids:
        value, previous = now[i].to_numpy(float), before[i].to_numpy(float)
        frame = now[list(by)].copy()
        frame["indicator"] = i
        frame["value"] = value
        frame["previous"] = previous
        frame["change"] = value - previous
        frame["change_pct"] = _share(value - previous, previous)
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
    if years and all(i in _MONEY_SUMS for i in ids):
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
        mask = _money_mask(prepared, i)
        weights = usd if mask is None else np.where(mask[valid], usd, 0.0)
        sums = np.bincount(cell, weights=weights, minlength=n_years * n_groups)
        out[i] = sums[rows.ravel()]
    return out


def targets(
    prepared: Prepared, period, by: Sequence[str] = (), filters: Filters | None = None
) -> pd.DataFrame:
    """The target of private_share_of_budget for each group of `compute` (NaN when none is set)."""
    _, last = period_bounds(period)
    out = scope(prepared, by, filters).labels.copy()
    regions = out[P.region] if P.region in out.columns else [None] * len(out)
    values = [prepared.reference.target("private_share_of_budget", r, last) for r in regions]
    out["private_share_of_budget"] = np.array([np.nan if v is None else v for v in values], float)
    return out.reset_index(drop=True)


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


# --- lists for the pages -------------------------------------------------------------------------


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
    out["share"] = _share(totals[order], totals.sum())
    out["cumulative_share"] = _share(np.cumsum(totals[order]), totals.sum())
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


# --- the indicator table (command line, exports) --------------------------------------------------


def indicator_table(
    prepared: Prepared,
    year=None,
    by: Sequence[str] = (),
    filters: Filters | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """Group columns, `year` (or `year_from`, `year_to` for a range), then one column per indicator id."""
    if year is None:
        year = latest_year(prepared, today) or (today or date.today()).year
    first, last = period_bounds(year)
    table = compute(prepared, (first, last), by, filters, today)
    if first == last:
        table.insert(len(by), YEAR, first)
    else:
        table.insert(len(by), "year_from", first)
        table.insert(len(by) + 1, "year_to", last)
    return table


def parse_by(text: str | None) -> list[str]:
    """'region,partnership_type' -> ['region', 'partnership_type']; ValueError if unknown."""
    by = [b.strip() for b in (text or "").split(",") if b.strip()]
    if any(b not in GROUPINGS for b in by) or len(set(by)) != len(by):
        raise ValueError(
            f"--by takes a comma-separated subset of {','.join(GROUPINGS)}, not '{text}'"
        )
    return by


def write_table(table: pd.DataFrame, fmt: str, out) -> None:
    """CSV, or JSON as a list of records with NaN ("no data") written as null.

    An infinite value (a sum that overflowed) is no data too: an empty cell, null, never "inf".
    """
    numeric = table.select_dtypes("number").columns
    table = table.assign(**{c: table[c].replace([np.inf, -np.inf], np.nan) for c in numeric})
    if fmt == "json":
        out.write(table.to_json(orient="records", force_ascii=False, double_precision=15, indent=2))
        out.write("\n")
    else:
        table.to_csv(out, index=False, lineterminator="\n")


def _no_store_yet(url: str) -> bool:
    """True when nothing was ever stored at `url`: an SQLite file that does not exist, or a
    database without the store's tables. Opening it would create them; a reader must not."""
    from analytics.store.engine import has_store

    return not has_store(url)


def register_for_cli(db_url: str | None) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """The current register of the store, or, when it is empty, the samples the app would seed;
    True when these are the samples.

    The app seeds an empty store with the sample workbooks when it opens it; the commands that
    only read (`indicators`, `export`) load the same samples through the same code path into a
    throw-away in-memory store, so they show the numbers the app shows without writing to the
    user's database (a store that does not exist yet is not even created).
    """
    from analytics.store.versions import database_url, open_store

    url = database_url(db_url)
    if not _no_store_yet(url):
        store = open_store(url)
        try:
            if not store.is_empty():
                partners, contributions = store.load_current()
                return partners, contributions, False
        finally:
            store.close()
    scratch = open_store("sqlite://")
    try:
        scratch.seed_samples_if_empty()
        partners, contributions = scratch.load_current()
        return partners, contributions, True
    finally:
        scratch.close()


def cli_indicators(args) -> int:
    """`python -m analytics indicators`: print the indicator table as CSV or JSON."""
    from analytics.reference.load import load_reference
    from analytics.reference.refcheck import ReferenceDataError

    try:
        by = parse_by(getattr(args, "by", ""))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    reference = load_reference()  # a damaged file stops here: python -m analytics says which
    try:
        partners, contributions, samples = register_for_cli(getattr(args, "db", None))
    except ReferenceDataError:  # the samples are read against it: said by the command line
        raise
    except Exception as exc:  # noqa: BLE001 - a bad URL or an unreachable server: one line, no traceback
        print(f"error: cannot read the store: {exc}", file=sys.stderr)
        return 2
    if samples:
        print(f"note: {t('indicators_cli.empty_store')}", file=sys.stderr)
    prepared = prepare(partners, contributions, reference)
    table = indicator_table(prepared, getattr(args, "year", None), by)
    write_table(table, getattr(args, "format", "csv"), sys.stdout)
    return 0


__all__ = [
    "BY_TYPE",
    "CATALOGUE",
    "GOVERNANCE",
    "GROUPINGS",
    "NO_FILTERS",
    "OVERVIEW",
    "Filters",
    "Indicator",
    "Prepared",
    "Scope",
    "beneficiary_countries",
    "catalogue_table",
    "cli_indicators",
    "compute",
    "definition",
    "format_change",
    "format_value",
    "gap_matrix",
    "growth",
    "indicator_table",
    "latest_year",
    "name",
    "notable_contributions",
    "partner_history",
    "partners_table",
    "period_bounds",
    "prepare",
    "previous_period",
    "scope",
    "short",
    "targets",
    "timeseries",
    "top_partners",
    "unit",
    "unit_label",
    "write_table",
    "years_with_data",
]
