"""Preparing the register: the sheets of every region joined once into a read-only `Prepared`.

`prepare` converts money to USD at the rate of the contribution's currency and year, takes the
effective partnership type (the contribution's, else the partner's) and the partner's category,
encodes codes as categoricals and keeps the numpy arrays every indicator counts on. It is the
slow part (~0.5 s for a million contributions): pages cache it per store state with
`st.cache_resource` (read-only arrays, shared), the command line calls it once. The years with
data and the default period are read from it too.
"""

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from analytics import config
from analytics.indicators.follow_up_prepare import follow_up_arrays
from analytics.reference.load import Reference
from schemas.workbook import Contributions as C
from schemas.workbook import Partners as P

# Columns added by `prepare` (the sheets' own columns are named by the schema models).
KEY = "key"  # integer id of a partner, i.e. of a (region, partner_id) pair
USD = "usd"
YEAR = "year"

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


@dataclass(frozen=True, eq=False)
class Prepared:
    """The sheets of every region, joined once; read-only (shared between sessions)."""

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
    # The optional sheets (with `region`; empty when no version has them): agreements, whose
    # partner is found on (region, partner_id), and their reports, on (region, agreement_id).
    agreements: pd.DataFrame
    reports: pd.DataFrame
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


def prepare(
    partners: pd.DataFrame,
    contributions: pd.DataFrame,
    reference: Reference,
    agreements: pd.DataFrame | None = None,
    reports: pd.DataFrame | None = None,
) -> Prepared:
    """Join contributions to their partner, convert to USD, encode codes: once per store state.
    `agreements`, `reports`: the optional sheets of the same versions (Store.load_follow_up)."""
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
        "c_date": _days(c[C.date]),  # like-for-like windows of an unfinished year
        # An amount that cannot be converted (validation refuses it) adds nothing, not NaN to every sum.
        "c_usd": np.nan_to_num(c[USD].to_numpy(np.float64, na_value=np.nan)),
        "c_key": key.astype(np.int64),
        "c_multi_year": _flag(c[C.multi_year]),
    }
    named = contributions[C.agreement_id] if C.agreement_id in contributions.columns else None
    agreements, reports, follow_up = follow_up_arrays(p, agreements, reports, c, named, reference)
    arrays |= follow_up
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
        agreements=agreements,
        reports=reports,
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
    now = (today or config.today()).year
    past = [y for y in years if y <= now]
    return past[-1] if past else (years[-1] if years else None)
