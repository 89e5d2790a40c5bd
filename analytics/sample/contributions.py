"""The sample contributions: drawn over the partners' active days, in their currencies, at the
reference rates, described in the region's language."""

import math
from datetime import date, timedelta

import pandas as pd

from analytics.reference.load import Reference
from analytics.sample.draws import AS_OF, country_name, days, nice, pick
from analytics.sample.styles import Style
from analytics.sample.words import DESCRIPTIONS


def window(p: dict, first_year: int, last_year: int) -> tuple[date, date] | None:
    """The days a partner's contributions may fall on, or None."""
    if p["stage"] not in ("active", "closed"):
        return None
    lo = max(p["start_date"], date(first_year, 1, 1))
    hi = min(p["end_date"] or AS_OF, AS_OF, date(last_year, 12, 31))
    return (lo, hi) if lo <= hi else None


def draw_contributions(
    rng, partners, n, region, countries, style: Style, reference: Reference, first_year, last_year
) -> list[dict]:
    windows = [(p, w) for p in partners if (w := window(p, first_year, last_year))]
    if not windows or n <= 0:
        return []
    rates = {
        (c, int(y)): float(r)
        for c, y, r in reference.exchange_rates[["currency", "year", "usd_per_unit"]].itertuples(
            index=False
        )
    }
    themes = reference.codes("thematic_area")
    types = reference.codes("partnership_type")
    words = DESCRIPTIONS.get(style.lang, DESCRIPTIONS["en"])
    names = {c: country_name(c, style.lang) for c in countries}
    factor = {"company": 1.0, "foundation": 2.5, "network": 0.6, "hnwi": 3.0, "public": 0.3}
    # A partner's weight is a yearly giving rate: long partnerships give more, years stay balanced.
    weights = [p["_weight"] * ((hi - lo).days + 30) / 365 for p, (lo, hi) in windows]
    chosen = rng.choices(windows, weights=weights, k=n)
    out = []
    for p, (lo, hi) in chosen:
        day = days(rng, lo, hi)
        if (
            p["end_date"] and p["stage"] == "closed" and rng.random() < 0.03
        ):  # a late receipt: a warning, not an error
            day = min(
                p["end_date"] + timedelta(days=rng.randint(1, 90)), AS_OF, date(last_year, 12, 31)
            )
        year = day.year
        kind = "in_kind" if rng.random() < p["_in_kind"] else "financial"
        recent = (AS_OF - day).days < 120
        status = "pledged" if rng.random() < (0.55 if recent else 0.12) else "received"

        usd = rng.lognormvariate(math.log(6000), 1.3) * factor[p["category"]] * p["_scale"]
        if rng.random() < 0.006:
            usd *= rng.uniform(50, 300)
        usd = min(max(usd, 100.0), 15_000_000.0)
        home = p["_currency"]
        currency = (
            home
            if home != "USD" and rng.random() < 0.6
            else pick(rng, {"USD": 78, "EUR": 14, "GBP": 4, "CHF": 4})
        )
        if (currency, year) not in rates:
            currency = "USD" if ("USD", year) in rates else min(c for c, y in rates if y == year)
        amount = nice(rng, usd / rates[(currency, year)])

        country = rng.choice(countries) if rng.random() < 0.8 else None
        theme = rng.choice(themes) if rng.random() < 0.85 else None
        place = names[country] if country else words["region"]
        if kind == "in_kind":
            description = f"{rng.choice(words['in_kind'])} – {place}"
        else:
            description = words[theme].format(place=place) if rng.random() < 0.9 else None
        multi = p["_multi_year"] if rng.random() < 0.9 else pd.NA
        out.append(
            {
                "contribution_id": None,
                "partner_id": p["partner_id"],
                "date": day,
                "status": status,
                "kind": kind,
                "amount": amount,
                "currency": currency,
                "country": country,
                "partnership_type": rng.choice([x for x in types if x != p["partnership_type"]])
                if rng.random() < 0.08
                else None,
                "thematic_area": theme,
                "multi_year": multi,
                "description": description,
            }
        )
    out.sort(key=lambda r: (r["date"], r["partner_id"]))
    width = max(5, len(str(n)))
    for j, row in enumerate(out, start=1):
        row["contribution_id"] = f"{region}-C{j:0{width}d}"
    return out
