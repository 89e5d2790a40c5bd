"""The sample partners of a region: category, name, type, stage, dates, reviews and the private
draws their contributions follow."""

from datetime import date, timedelta

import pandas as pd

from analytics.reference.load import Reference
from analytics.sample.draws import AS_OF, country_name, days, pick
from analytics.sample.styles import Style
from analytics.sample.words import HQ, HQ_WORDS, IN_KIND_SECTORS, SECTOR_FR, SECTORS


def draw_partner(
    rng, i, region, countries, hub, style: Style, reference: Reference, first_year: int
) -> dict:
    category = pick(rng, {"company": 55, "foundation": 18, "network": 10, "hnwi": 9, "public": 8})
    hq = category in ("company", "foundation") and rng.random() < 0.22
    if hq:
        country, currency, suffix = rng.choice(HQ)
    else:
        country = hub if rng.random() < 0.35 else rng.choice(countries)
        currency, suffix = style.local.get(country, "USD"), rng.choice(style.suffixes)
    sector = None
    place = rng.choice(style.places)
    if category == "company":
        sector = rng.choice(list(SECTORS))
        word = rng.choice(SECTORS[sector])
        name = f"{rng.choice(HQ_WORDS) if hq else place} {word} {suffix}"
    elif category == "foundation":
        sector = "philanthropy"
        base = (
            rng.choice(HQ_WORDS)
            if hq
            else (place if rng.random() < 0.6 else rng.choice(style.surnames))
        )
        name = style.foundation.format(base)
    elif category == "network":
        sector = rng.choice(list(SECTORS)) if rng.random() < 0.4 else None
        name = style.network.format(place)
    elif category == "hnwi":
        label = "Donateur privé" if style.lang == "fr" else "Private donor"
        name = f"{label} {rng.choice('ABCDEFGHJKLMNPRST')}. {rng.choice(style.surnames)}"
    else:
        label = "Collecte grand public" if style.lang == "fr" else "Public giving campaign"
        name = f"{label} – {country_name(country, style.lang)}"
    in_kind_share = 0.45 if sector in IN_KIND_SECTORS else 0.12
    if sector and style.lang == "fr":
        sector = SECTOR_FR[sector]

    ptype = pick(
        rng,
        {
            "company": {
                "resource_mobilization": 40,
                "implementation": 25,
                "innovation": 20,
                "advocacy": 15,
            },
            "foundation": {
                "resource_mobilization": 60,
                "implementation": 20,
                "innovation": 10,
                "advocacy": 10,
            },
            "network": {
                "advocacy": 50,
                "resource_mobilization": 25,
                "implementation": 15,
                "innovation": 10,
            },
            "hnwi": {"resource_mobilization": 90, "advocacy": 10},
            "public": {"resource_mobilization": 70, "advocacy": 30},
        }[category],
    )
    stage = pick(rng, {"prospect": 20, "active": 60, "closed": 20})

    start = end = dd_date = review = None
    earliest = date(first_year - 3, 1, 1)
    if stage == "active":
        start = days(rng, earliest, AS_OF - timedelta(days=30))
        if rng.random() < 0.3:  # a planned end, still to come
            end = max(
                start + timedelta(days=365 * rng.randint(1, 5)),
                AS_OF + timedelta(days=rng.randint(30, 900)),
            )
    elif stage == "closed":
        start = days(rng, earliest, AS_OF - timedelta(days=365))
        end = min(start + timedelta(days=rng.randint(180, 1500)), AS_OF - timedelta(days=1))

    if stage == "prospect":
        dd = pick(rng, {"not_started": 40, "in_progress": 40, "cleared": 15, "rejected": 5})
    else:
        dd = pick(rng, {"cleared": 94, "in_progress": 6})
    if dd in ("cleared", "rejected"):
        dd_date = (
            start - timedelta(days=rng.randint(15, 180))
            if start
            else AS_OF - timedelta(days=rng.randint(10, 400))
        )

    if stage == "active" and rng.random() < 0.85:
        ago = rng.randint(5, 180) if rng.random() < 0.7 else rng.randint(190, 420)
        review = max(AS_OF - timedelta(days=ago), start)
    elif stage == "closed" and rng.random() < 0.6:
        review = max(end - timedelta(days=rng.randint(0, 120)), start)

    def yes_no(p_yes: float, p_na: float):
        r = rng.random()
        return pd.NA if r < p_na else r < p_na + p_yes

    has_kpis = {
        "active": yes_no(0.7, 0.1),
        "closed": yes_no(0.6, 0.1),
        "prospect": yes_no(0.0, 0.6),
    }[stage]
    evaluated = {"active": yes_no(0.2, 0.15), "closed": yes_no(0.55, 0.05), "prospect": pd.NA}[
        stage
    ]
    focal = None
    if rng.random() < (0.75 if stage == "prospect" else 0.92):
        focal = f"{rng.choice(style.first_names)} {rng.choice(style.surnames)}"
    objectives = None
    if rng.random() < 0.8:
        codes = reference.objective_codes()
        chosen = set(rng.sample(codes, k=min(rng.randint(1, 3), len(codes))))
        objectives = ";".join(c for c in codes if c in chosen)

    return {
        "partner_id": f"{region}-P{i:04d}",
        "partner_name": name,
        "category": category,
        "sector": sector,
        "partnership_type": ptype,
        "region": region,
        "country": country,
        "stage": stage,
        "start_date": start,
        "end_date": end,
        "due_diligence": dd,
        "due_diligence_date": dd_date,
        "focal_point": focal,
        "has_kpis": has_kpis,
        "last_review": review,
        "evaluated": evaluated,
        "strategic_objectives": objectives,
        # private draws, removed before the frame is built
        "_currency": currency,
        "_scale": rng.lognormvariate(0, 0.7),
        "_weight": rng.paretovariate(1.3),
        "_multi_year": rng.random() < 0.3,
        "_in_kind": in_kind_share,
    }


def make_active(rng, p: dict, first_year: int) -> None:
    """Turn a partner into an active one, so that a tiny register still has someone to give."""
    p.update(
        stage="active",
        start_date=date(first_year, 1, 1),
        end_date=None,
        due_diligence="cleared",
        due_diligence_date=date(first_year - 1, 12, 1),
        last_review=None,
    )


def unique_names(partners: list[dict]) -> None:
    """Two partners never share a name: the second gets its country, then a number."""
    seen: set[str] = set()
    for p in partners:
        name, n = p["partner_name"], 1
        while name in seen:
            n += 1
            name = (
                f"{p['partner_name']} ({p['country']})"
                if n == 2
                else f"{p['partner_name']} ({p['country']} {n - 1})"
            )
        seen.add(name)
        p["partner_name"] = name
