"""The indicators of the spec ("Indicators"): declared once, computed, listed and formatted.

Owns the indicator catalogue and everything read from it; every page, the CLI and the exports
read numbers from here and none computes an indicator itself. May import the layers below
(`analytics.store`, `analytics.reference`, `schemas`, `analytics.i18n`); never Streamlit.
Names and definitions are in locales/<lang>/indicators.toml (`[indicators.<id>]`).

The modules, in the order the data goes through them:

- `prepare`: `prepare(partners, contributions, reference, agreements, reports) -> Prepared`, the
  sheets joined once (USD, effective partnership type, categoricals, numpy arrays; the agreements
  and reports through `follow_up_prepare`); `years_with_data`, `latest_year`.
- `scope`: `Filters` (frozen, hashable; an empty tuple means "all"), periods (`period_bounds`,
  `previous_period`, `comparison`: like for like when the year is unfinished) and the cached
  `Scope` of a (by, filters) pair.
- `context`: the counting blocks the indicator functions share; `partner_based`,
  `money_based`, `follow_up`: the indicator functions, by what they count on.
- `catalogue`: `CATALOGUE` (id, unit, basis, growth, flow, better, fn), `OVERVIEW`, `BY_TYPE`,
  `GOVERNANCE`, `FOLLOW_UP`, `OVERVIEW_FOLLOW_UP`, as data.
- `compute`: `compute`, `compared` (like for like in an unfinished year), `growth`, `timeseries`, `targets`, `gap_matrix`.
- `lists`: `top_partners`, `beneficiary_countries`, `notable_contributions`, `partners_table`,
  `partner_history`, for the pages.
- `format`: labels, `format_value`, `format_change`, `period_label`, `describe_filters`,
  `catalogue_table`: the one formatter of pages and slides.
- `cli`: `python -m analytics indicators` (`indicator_table`, `write_table`, `register_for_cli`).
- `views`: the dashboard's view state (URL parameters) and the little the pages add.

This module only re-exports the public API, so that `from analytics import indicators as ind`
then `ind.compute(...)` keeps working; no submodule imports it.
"""

from analytics.indicators.catalogue import (
    BY_TYPE,
    CATALOGUE,
    FOLLOW_UP,
    GOVERNANCE,
    OVERVIEW,
    OVERVIEW_FOLLOW_UP,
    UNITS,
    Indicator,
)
from analytics.indicators.cli import (
    cli_indicators,
    indicator_table,
    no_data_note,
    parse_by,
    register_for_cli,
    write_table,
)
from analytics.indicators.compute import (
    compared,
    compute,
    gap_matrix,
    growth,
    targets,
    timeseries,
)
from analytics.indicators.context import PROSPECT, Context
from analytics.indicators.format import (
    catalogue_table,
    compared_labels,
    comparison_note,
    comparison_text,
    definition,
    describe_filters,
    format_change,
    format_unit_value,
    format_value,
    good_news,
    name,
    period_label,
    previous_value_text,
    short,
    target_text,
    unit,
    unit_label,
)
from analytics.indicators.lists import (
    beneficiary_countries,
    notable_contributions,
    partner_history,
    partners_table,
    top_partners,
)
from analytics.indicators.prepare import (
    KEY,
    USD,
    YEAR,
    Prepared,
    latest_year,
    prepare,
    years_with_data,
)
from analytics.indicators.scope import (
    GROUPINGS,
    NO_FILTERS,
    Comparison,
    Filters,
    Scope,
    comparison,
    period_bounds,
    previous_period,
    scope,
)

__all__ = [
    "BY_TYPE",
    "CATALOGUE",
    "FOLLOW_UP",
    "GOVERNANCE",
    "GROUPINGS",
    "KEY",
    "NO_FILTERS",
    "OVERVIEW",
    "OVERVIEW_FOLLOW_UP",
    "PROSPECT",
    "UNITS",
    "USD",
    "YEAR",
    "Context",
    "Filters",
    "Indicator",
    "Prepared",
    "Scope",
    "beneficiary_countries",
    "catalogue_table",
    "cli_indicators",
    "compute",
    "definition",
    "describe_filters",
    "format_change",
    "format_unit_value",
    "format_value",
    "gap_matrix",
    "good_news",
    "growth",
    "compared",
    "comparison",
    "Comparison",
    "compared_labels",
    "comparison_note",
    "comparison_text",
    "previous_value_text",
    "indicator_table",
    "latest_year",
    "name",
    "notable_contributions",
    "parse_by",
    "partner_history",
    "partners_table",
    "period_bounds",
    "period_label",
    "prepare",
    "previous_period",
    "register_for_cli",
    "no_data_note",
    "scope",
    "target_text",
    "short",
    "targets",
    "timeseries",
    "top_partners",
    "unit",
    "unit_label",
    "write_table",
    "years_with_data",
]
