"""Targets of any indicator (targets.csv: indicator, region, year, target), with the spec's rules.

A region's own row wins over an all-regions row (and a year's row over an every-year row:
Reference.target). For the whole organisation, or several regions, the all-regions row is the
target; without one, a count or USD target is the sum of the regions' targets (those that have
one), a share target is never summed. The ids are checked when the file is loaded
(analytics.reference.refcheck, check "indicator").
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analytics.indicators.catalogue import CATALOGUE
from analytics.reference.load import Reference


def with_targets(reference: Reference) -> list[str]:
    """The catalogue's ids that have at least one target row, in catalogue order."""
    named = set(reference.targets["indicator"])
    return [i for i in CATALOGUE if i in named]


def target_for(
    reference: Reference, indicator: str, regions: Sequence[str] | None, year: int
) -> float | None:
    """The target of `indicator` in `year` for one region, several, or the whole organisation
    (`regions` None or empty); None when none is set."""
    if regions and len(regions) == 1:
        return reference.target(indicator, regions[0], year)
    general = reference.target(indicator, None, year)
    if not regions and general is not None:
        return general
    if CATALOGUE[indicator].unit == "share":
        return general  # a share is never summed
    values = [reference.target(indicator, r, year) for r in (regions or reference.region_codes)]
    known = [v for v in values if v is not None]
    return float(sum(known)) if known else None


def targets_of(
    reference: Reference, labels: pd.DataFrame, region_column: str, filters_regions, year: int
) -> pd.DataFrame:
    """`labels` (the groups of `compute`) with one column per indicator that has targets."""
    out = labels.copy()
    if region_column in out.columns:
        scopes = [(r,) for r in out[region_column]]
    else:
        scopes = [tuple(filters_regions or ())] * len(out)
    ids = with_targets(reference)
    if "private_share_of_budget" not in ids:  # the pages always ask for this one
        ids.append("private_share_of_budget")
    for i in ids:
        values = [target_for(reference, i, scope, year) for scope in scopes]
        out[i] = np.array([np.nan if v is None else v for v in values], float)
    return out.reset_index(drop=True)
