"""The dashboard's view state and the little the pages need on top of the indicator catalogue.

A `View` is what a director selected (a period and the catalogue's `Filters`); it round-trips
through URL query parameters so that a link opens the same view. Every number comes from
`analytics.indicators`; this module only adds what is not an indicator (the change of a share in
points, regions that never reported, a partner search, country names). No Streamlit here.
"""

import gettext
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache

import numpy as np
import pandas as pd
import pycountry

from analytics import config
from analytics.i18n import t
from analytics.indicators.compute import compared, compute, targets
from analytics.indicators.context import PROSPECT
from analytics.indicators.format import format_value, short, unit
from analytics.indicators.prepare import USD, YEAR, Prepared
from analytics.indicators.scope import FILTER_CODELISTS, Filters
from analytics.indicators.target_rules import with_targets
from analytics.reference.load import Reference, normalise
from schemas.workbook import Contributions as C
from schemas.workbook import Partners as P
from schemas.workbook import codelists_of

# Indicators the region panorama shows for each region (WFP "regional panorama").
REGION_PANORAMA = (
    "contributions_usd",
    "private_share_of_budget",
    "active_partners",
    "new_partnerships",
    "prospects",
    "countries_reached",
    "due_diligence_coverage",
    "review_compliance",
)


@dataclass(frozen=True)
class View:
    """A period (first and last year; None = the latest year with data) and the filters."""

    period: tuple[int, int] | None = None
    filters: Filters = field(default_factory=Filters)


# Filters field -> (URL parameter, reference code list). Comma-separated codes in the URL.
_URL_PARAMS = {
    "regions": "region",
    "partnership_types": "type",
    "categories": "category",
    "kinds": "kind",
    "statuses": "status",
}
FILTER_PARAMS: dict[str, tuple[str, str]] = {
    name: (_URL_PARAMS[name], codelist) for name, codelist in FILTER_CODELISTS.items()
}
PERIOD_PARAM = "year"
PARAMS = (PERIOD_PARAM, *(param for param, _ in FILTER_PARAMS.values()))


def known_codes(reference: Reference) -> dict[str, list[str]]:
    """The codes each filter accepts, from the reference data (code list -> codes)."""
    return {codelist: reference.codes(codelist) for _, codelist in FILTER_PARAMS.values()}


def to_params(view: View) -> dict[str, str]:
    """URL query parameters of a view (`year=2022-2024&region=RBD,RBN`); defaults left out."""
    out: dict[str, str] = {}
    if view.period:
        a, b = view.period
        out[PERIOD_PARAM] = str(a) if a == b else f"{a}-{b}"
    for name, (param, _) in FILTER_PARAMS.items():
        codes = getattr(view.filters, name)
        if codes:
            out[param] = ",".join(codes)
    return out


def from_params(
    params: Mapping[str, str], known: Mapping[str, Sequence[str]] | None = None
) -> View:
    """The view of URL parameters; unknown codes and unreadable years are ignored, not errors."""
    text = str(params.get(PERIOD_PARAM) or "")
    years = [int(y) for y in text.split("-") if y.strip().isdigit() and len(y.strip()) == 4]
    period = (min(years), max(years)) if years else None
    codes = {}
    for name, (param, codelist) in FILTER_PARAMS.items():
        values = [c.strip() for c in str(params.get(param) or "").split(",") if c.strip()]
        if known is not None:
            values = [c for c in values if c in known.get(codelist, ())]
        codes[name] = values
    return View(period, Filters(**codes))


def with_filter(view: View, **codes) -> View:
    """The same view with some filters replaced (e.g. `regions=("RBD",)` after a click)."""
    return replace(view, filters=replace(view.filters, **codes))


def resolve_period(
    view: View, years: Sequence[int], today: date | None = None
) -> tuple[int, int] | None:
    """The period to show: the chosen one kept within the years with data, else the latest year."""
    if not years:
        return None
    lo, hi = min(years), max(years)
    if view.period is None:
        latest = max([y for y in years if y <= (today or config.today()).year] or [hi])
        return (latest, latest)
    a, b = (min(max(int(y), lo), hi) for y in view.period)
    return (min(a, b), max(a, b))


def cards(
    prepared: Prepared,
    period: tuple[int, int],
    ids: Sequence[str],
    filters: Filters | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """Each indicator's value, previous value (Y-1) and change; shares change in points. Like for
    like when the period ends in today's unfinished year (`compute.compared`)."""
    now, before, _ = compared(prepared, period, (), filters, today, list(ids))
    now, before = now.iloc[0], before.iloc[0]
    rows = []
    for i in ids:
        value, previous = float(now[i]), float(before[i])
        change = value - previous if np.isfinite(previous) and np.isfinite(value) else np.nan
        pct = (
            change / previous
            if unit(i) != "share" and np.isfinite(change) and previous > 0
            else np.nan
        )
        rows.append(
            {
                "indicator": i,
                "value": value,
                "previous": previous,
                "change": change,
                "change_pct": pct,
            }
        )
    return pd.DataFrame(rows, columns=["indicator", "value", "previous", "change", "change_pct"])


def share_vs_target(prepared: Prepared, period, filters: Filters | None = None) -> pd.DataFrame:
    """private_share_of_budget per region in scope with its `target` (NaN where none is set)."""
    by = (P.region,)
    share = compute(prepared, period, by, filters, indicators=["private_share_of_budget"])
    target = targets(prepared, period, by, filters)["private_share_of_budget"].to_numpy()
    return share.assign(target=target)


def target_progress(
    prepared: Prepared, period, filters: Filters | None = None, today: date | None = None
) -> pd.DataFrame:
    """Each region in scope against each of its targets: region, indicator, value, target and
    reached (value / target; NaN for a target of 0). Only indicators with a target row in
    targets.csv, only the pairs that have a target; regions in reference order."""
    ids = with_targets(prepared.reference)
    columns = ["region", "indicator", "value", "target", "reached"]
    if not ids:
        return pd.DataFrame(columns=columns)
    by = (P.region,)
    values = compute(prepared, period, by, filters, today, ids).set_index(P.region)
    goals = targets(prepared, period, by, filters).set_index(P.region)
    rows = [
        {"region": region, "indicator": i, "value": float(values.at[region, i]), "target": goal}
        for region in regions_in_scope(prepared, filters)
        if region in values.index and region in goals.index
        for i in ids
        if np.isfinite(goal := float(goals.at[region, i]))
    ]
    frame = pd.DataFrame(rows, columns=columns[:-1])
    target = frame["target"].to_numpy(float)
    reached = np.divide(
        frame["value"].to_numpy(float), target, where=target != 0, out=np.full(len(frame), np.nan)
    )
    return frame.assign(reached=reached)


def target_progress_table(progress: pd.DataFrame, reference: Reference, lang: str) -> pd.DataFrame:
    """`target_progress` as a reader sees it: region and indicator named, value and target
    written in the indicator's unit; `reached` stays a number (a progress bar on the page)."""
    c = "pages.by_region.targets_"
    return pd.DataFrame(
        {
            t(c + "region", lang): [reference.region_name(r, lang) for r in progress["region"]],
            t(c + "indicator", lang): [short(i, lang) for i in progress["indicator"]],
            t(c + "value", lang): [
                format_value(i, v, lang)
                for i, v in zip(progress["indicator"], progress["value"], strict=True)
            ],
            t(c + "target", lang): [
                format_value(i, v, lang)
                for i, v in zip(progress["indicator"], progress["target"], strict=True)
            ],
            t(c + "reached", lang): progress["reached"].to_numpy(float),
        }
    )


def regions_in_scope(prepared: Prepared, filters: Filters | None = None) -> list[str]:
    chosen = (filters or Filters()).regions
    return [r for r in prepared.regions if not chosen or r in chosen]


def regions_without_data(prepared: Prepared, filters: Filters | None = None) -> list[str]:
    """Regions in scope that have no partner in the register: they never reported."""
    present = set(prepared.partners[P.region].dropna().astype("str"))
    return [r for r in regions_in_scope(prepared, filters) if r not in present]


def search_partners(table: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows of `partners_table` whose name, ID, region or sector contain the text (case, accents ignored)."""
    needle = normalise(text or "")
    if not needle or table.empty:
        return table
    cols = [c for c in (P.partner_name, P.partner_id, P.region, P.sector) if c in table.columns]
    haystack = table[cols].astype("str").fillna("").agg(" ".join, axis=1).map(normalise)
    return table[haystack.str.contains(needle, regex=False).to_numpy(bool)].reset_index(drop=True)


def partner_ref(region: str, partner_id: str) -> str:
    """A partner's reference in links, `RBD:ACME-01`: the same across versions of the register."""
    return f"{region}:{partner_id}"


def parse_partner_ref(ref: str | None) -> tuple[str, str] | None:
    region, sep, partner_id = str(ref or "").partition(":")
    return (region, partner_id) if sep and region and partner_id else None


def history_by_year(history: pd.DataFrame) -> pd.DataFrame:
    """USD per year and status of one partner's contributions (`partner_history` rows)."""
    if history.empty:
        return pd.DataFrame(
            {
                YEAR: pd.Series(dtype="int64"),
                C.status: pd.Series(dtype="str"),
                USD: pd.Series(dtype=float),
            }
        )
    out = history.groupby([history[YEAR].astype("int64"), C.status], observed=True)[USD].sum()
    return out.reset_index()


def region_of_country(reference: Reference, country: str) -> str | None:
    """The region whose country list holds a country (for a click on the map)."""
    for row in reference.regions.itertuples(index=False):
        if str(country).upper() in row.countries:
            return row.code
    return None


@cache
def _country_translation(lang: str):
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_name(code: str, lang: str = "en") -> str:
    """A country's common name in the user's language (pycountry's ISO translations, offline)."""
    country = pycountry.countries.get(alpha_3=str(code).upper()) if code else None
    if country is None:
        return str(code or "")
    return _country_translation(lang).gettext(getattr(country, "common_name", None) or country.name)


def pipeline(table: pd.DataFrame) -> pd.DataFrame:
    """The prospects of a `partners_table`: who, what kind, and how far due diligence has gone."""
    cols = [
        P.partner_name,
        P.category,
        P.partnership_type,
        P.country,
        P.due_diligence,
        P.focal_point,
    ]
    if table.empty:
        return pd.DataFrame(columns=cols)
    return table.loc[table[P.stage] == PROSPECT, cols].sort_values(
        P.partner_name, ignore_index=True
    )


# The register's sheets, whose code columns `with_labels` names by default.
REGISTER = (P, C)


def with_labels(
    frame: pd.DataFrame, reference: Reference, lang: str, sheets=REGISTER
) -> pd.DataFrame:
    """A copy whose code columns (as the sheets declare them: regions included) show labels in
    the user's language, and countries their names; `sheets` are the models the frame's
    columns come from (Agreements and Reports for the follow-up's lists)."""
    out = frame.copy()
    for col, codelist in codelists_of(*sheets).items():
        if col in out.columns:
            labels = reference.labels(codelist, lang)
            out[col] = out[col].map(
                lambda c, labels=labels: labels.get(c, c) if isinstance(c, str) else c
            )
    if C.country in out.columns:
        out[C.country] = out[C.country].map(
            lambda c: country_name(c, lang) if isinstance(c, str) and c else c
        )
    return out


# The columns of the partners page's table, in order.
PARTNERS_TABLE = [
    P.partner_name,
    P.region,
    P.category,
    P.partnership_type,
    P.stage,
    USD,
    "usd_total",
    "last_contribution",
    P.due_diligence,
    "monitored",
    "review_ok",
]

# Sort orders of the partners page: key -> (column, ascending)
# The first is the default: the amount of the period, the figure the table shows for the period
# (ranking by the all-years total put partners with nothing in the period near the top).
PARTNER_SORTS = {
    "usd": (USD, False),
    "usd_total": ("usd_total", False),
    "partner_name": (P.partner_name, True),
    "last_contribution": ("last_contribution", False),
    "region": (P.region, True),
}


def sort_partners(table: pd.DataFrame, order: str) -> pd.DataFrame:
    """The table in the chosen order (default: given in the period); ties by total, then name."""
    column, ascending = PARTNER_SORTS.get(order, next(iter(PARTNER_SORTS.values())))
    if table.empty or column not in table.columns:
        return table
    keys = list(dict.fromkeys([column, "usd_total", P.partner_name]))
    keys = [k for k in keys if k in table.columns]
    ascending_by = [ascending if k == column else k == P.partner_name for k in keys]
    return table.sort_values(keys, ascending=ascending_by, na_position="last", ignore_index=True)


def find_partner(table: pd.DataFrame, region: str, partner_id: str) -> pd.Series | None:
    """The `partners_table` row of one partner, or None."""
    if table.empty:
        return None
    match = table[(table[P.region] == region) & (table[P.partner_id] == partner_id)]
    return match.iloc[0] if len(match) else None
