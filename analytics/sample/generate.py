"""Deterministic, realistic sample registers: the demo data, the fixtures of tests and benchmarks.

A register drawn here passes the schema's rules (ids, required cells, start before end, rates
that exist): the only issues validation reports on it are warnings, as in real registers
(reviews overdue, a contribution after the partnership's end, a partner without due diligence).
The words live in `words`, each region's look in `styles`, the shared draws in `draws`, the
partners in `partners` and their contributions in `contributions`.
"""

import random

import pandas as pd

from analytics.reference.load import Reference, load_reference
from analytics.sample.contributions import draw_contributions, window
from analytics.sample.draws import AS_OF
from analytics.sample.partners import draw_partner, make_active, unique_names
from analytics.sample.styles import STYLES, Style
from schemas.workbook import Contributions, Partners, columns_of

__all__ = ["AS_OF", "STYLES", "Style", "generate_register"]


def generate_register(
    region: str,
    seed: int,
    n_partners: int,
    n_contributions: int,
    first_year: int = 2021,
    last_year: int = 2026,
    reference: Reference | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A region's register (partners, contributions): the same seed gives the same frames."""
    reference = reference or load_reference()
    rng = random.Random(seed)
    style = STYLES.get(region, Style())
    rows = reference.regions.loc[reference.regions["code"] == region, "countries"]
    countries = list(rows.iloc[0]) if len(rows) and rows.iloc[0] else ["USA"]
    hub = style.hub or countries[0]
    partners = [
        draw_partner(rng, i, region, countries, hub, style, reference, first_year)
        for i in range(1, n_partners + 1)
    ]
    unique_names(partners)
    if n_contributions and partners and not any(window(p, first_year, last_year) for p in partners):
        make_active(rng, partners[0], first_year)
    contributions = draw_contributions(
        rng, partners, n_contributions, region, countries, style, reference, first_year, last_year
    )
    for p in partners:
        for key in [k for k in p if k.startswith("_")]:
            del p[key]
    return frame_of(Partners, partners), frame_of(Contributions, contributions)


def frame_of(model, rows: list[dict]) -> pd.DataFrame:
    """Rows as a frame with the model's columns in order and the reader's dtypes."""
    data = {}
    for col in columns_of(model):
        values = [r.get(col.name) for r in rows]  # a column a draw does not fill stays empty
        if col.kind == "date":
            data[col.name] = pd.to_datetime(pd.Series(values, dtype=object)).astype(
                "datetime64[us]"
            )
        elif col.kind == "bool":
            data[col.name] = pd.array(values, dtype="boolean")
        elif col.kind == "number":
            data[col.name] = pd.Series(values, dtype="float64")
        else:
            data[col.name] = pd.Series(values, dtype="str")
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
