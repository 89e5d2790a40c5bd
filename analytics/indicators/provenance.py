"""Money with its provenance: how a USD figure of the pages was obtained.

For one indicator summing USD (contributions_usd, financial_usd, in_kind_usd, received_usd,
pledged_usd), a period, a grouping and filters: per group, the amounts in their original
currencies, the reference rate used for each (currency, year) and the USD it gave, and the
contributions left out because the reference has no rate for them. Computed from the same
prepared frame and the same selection as the catalogue (indicators.context, money_based), so the
USD of the lines add up to the catalogue's figure. Said in words by `provenance_text`.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from babel import numbers

from analytics.i18n import fmt_money, fmt_number, t
from analytics.indicators.context import Context
from analytics.indicators.money_based import MONEY_SUMS, money_mask
from analytics.indicators.prepare import USD, Prepared
from schemas.workbook import Contributions as C

__all__ = [
    "MONEY_SUMS",
    "Provenance",
    "left_out_text",
    "provenance",
    "provenance_text",
    "texts_by_group",
]

# `reference_version` of rates never edited in the app: the file shipped with the product.
SHIPPED = ""
COLUMNS = ["group", "currency", "year", "amount", "rate", "usd", "n"]


@dataclass(frozen=True)
class Provenance:
    """Per group (0 … n-1, the rows of `labels`): the converted and the left-out amounts."""

    indicator: str
    labels: pd.DataFrame  # the groups' codes, as the catalogue's table has them
    converted: pd.DataFrame  # COLUMNS: amounts of a currency and year, the rate, their USD
    unpriced: pd.DataFrame  # COLUMNS without rate and usd: amounts with no rate, left out
    reference_version: str | None = None  # the rates' version in force (SHIPPED, or None: unknown)

    def usd(self, group: int = 0) -> float:
        """The group's USD total: the catalogue's figure."""
        return float(self.converted.loc[self.converted["group"] == group, "usd"].sum())


def provenance(
    prepared: Prepared,
    indicator: str,
    period,
    by=(),
    filters=None,
    reference_version: str | None = None,
) -> Provenance:
    """The provenance of a USD sum of the catalogue (see the module's docstring)."""
    if indicator not in MONEY_SUMS:
        raise ValueError(f"{indicator!r} is not a sum of USD")
    x = Context(prepared, period, by, filters)
    mask = x.in_period
    extra = money_mask(prepared, indicator)
    if extra is not None:
        mask = mask & extra
    c = prepared.contributions
    amount = pd.to_numeric(c[C.amount], errors="coerce").to_numpy(np.float64, na_value=np.nan)
    usd = c[USD].to_numpy(np.float64, na_value=np.nan)
    rows = pd.DataFrame(
        {
            "group": x.scope.money_group[mask],
            "currency": c[C.currency].astype("string").to_numpy()[mask],
            "year": x.a["c_year"][mask],
            "amount": amount[mask],
            "usd": usd[mask],
        }
    )
    rows["currency"] = rows["currency"].fillna("")
    priced = rows[np.isfinite(rows["usd"]) & np.isfinite(rows["amount"])]
    keys = ["group", "currency", "year"]
    converted = (
        priced.groupby(keys, sort=True)
        .agg(amount=("amount", "sum"), usd=("usd", "sum"), n=("usd", "size"))
        .reset_index()
    )
    converted["rate"] = converted["usd"] / converted["amount"].where(converted["amount"] != 0)
    left = rows[~(np.isfinite(rows["usd"]) & np.isfinite(rows["amount"]))]
    unpriced = (
        left.groupby(keys, sort=True).agg(amount=("amount", "sum"), n=("usd", "size")).reset_index()
    )
    return Provenance(
        indicator,
        x.scope.labels,
        converted[COLUMNS].reset_index(drop=True),
        unpriced[["group", "currency", "year", "amount", "n"]].reset_index(drop=True),
        reference_version,
    )


def _rate(rate: float, lang: str) -> str:
    """A reference rate as the reference file has it (up to 6 decimals, not rounded to 3)."""
    return numbers.format_decimal(rate, format="#,##0.######", locale=lang)


def provenance_text(p: Provenance, group: int, lang: str) -> str:
    """How the group's USD figure was obtained, one line per currency and year, then what is left
    out for want of a rate (a tooltip, a card's help)."""
    lines = []
    for row in p.converted[p.converted["group"] == group].itertuples():
        lines.append(
            t(
                "provenance.line",
                lang,
                amount=fmt_number(row.amount, lang, digits=2),
                currency=row.currency,
                year=int(row.year),
                rate=_rate(row.rate, lang),
                usd=fmt_money(row.usd, lang, compact=False),
            )
        )
    if not lines:
        lines.append(t("provenance.nothing", lang))
    left = p.unpriced[p.unpriced["group"] == group]
    for row in left.itertuples():
        lines.append(
            t(
                "provenance.left_out",
                lang,
                count=int(row.n),
                amount=fmt_number(row.amount, lang, digits=2),
                currency=row.currency or "?",
                year=int(row.year),
            )
        )
    if p.reference_version:
        source = t("provenance.rates_version", lang, version=p.reference_version)
    elif p.reference_version == SHIPPED:
        source = t("provenance.rates_shipped", lang)
    else:  # the caller does not know which version is in force
        source = t("provenance.rates", lang)
    return "\n".join([*lines, source])


def texts_by_group(p: Provenance, lang: str) -> dict[tuple, str]:
    """Each group's provenance text, keyed by its codes in the order of `labels`' columns
    (`("RBD", "advocacy")` by region and type): what a chart's bar shows on hover."""
    keys = [tuple(row) for row in p.labels.itertuples(index=False)]
    return {key: provenance_text(p, group, lang) for group, key in enumerate(keys)}


def left_out_text(p: Provenance, lang: str) -> str | None:
    """One sentence for the page when contributions of the view have no reference rate, so are
    left out of every USD figure (how many, which currencies and years); None when none is."""
    left = p.unpriced
    if left.empty:
        return None
    pairs = sorted(
        {(c or "?", int(y)) for c, y in zip(left["currency"], left["year"], strict=True)}
    )
    return t(
        "provenance.left_out_page",
        lang,
        count=int(left["n"].sum()),
        pairs=", ".join(f"{c} {y}" for c, y in pairs),
    )
