"""Deterministic, realistic sample registers: the demo data, the fixtures of tests and benchmarks.

A register drawn here passes the schema's rules (ids, required cells, start before end, rates
that exist): the only issues validation reports on it are warnings, as in real registers
(reviews overdue, a contribution after the partnership's end, a partner without due diligence).
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
import pycountry
from babel import Locale

from analytics.reference.load import Reference, load_reference
from schemas.workbook import Contributions, Partners, columns_of

# The day the sample registers describe: nothing is dated after it, so that reruns give the same data.
AS_OF = date(2026, 11, 23)

# Companies headquartered outside the regions: country, currency, legal suffix.
HQ = [
    ("USA", "USD", "Inc."),
    ("FRA", "EUR", "SA"),
    ("CHE", "CHF", "AG"),
    ("GBR", "GBP", "PLC"),
    ("JPN", "JPY", "KK"),
    ("DEU", "EUR", "GmbH"),
    ("NLD", "EUR", "B.V."),
]
HQ_WORDS = [
    "Global",
    "Meridian",
    "Summit",
    "Horizon",
    "Northstar",
    "Pioneer",
    "Crescent",
    "Evergreen",
    "Keystone",
    "Vantage",
]

# sector -> words that name a company of it
SECTORS = {
    "logistics": ["Logistics", "Freight", "Shipping"],
    "telecommunications": ["Telecom", "Mobile", "Networks"],
    "banking": ["Bank", "Finance", "Capital"],
    "agribusiness": ["Agro", "Farms", "Seeds"],
    "food and beverage": ["Foods", "Beverages", "Milling"],
    "energy": ["Energy", "Solar", "Power"],
    "mining": ["Mining", "Resources"],
    "pharmaceuticals": ["Pharma", "Health"],
    "insurance": ["Insurance", "Assurance"],
    "technology": ["Digital", "Tech", "Data"],
    "retail": ["Retail", "Markets"],
    "transport": ["Transport", "Airways"],
}
SECTOR_FR = {
    "logistics": "logistique",
    "telecommunications": "télécommunications",
    "banking": "banque",
    "agribusiness": "agro-industrie",
    "food and beverage": "agroalimentaire",
    "energy": "énergie",
    "mining": "mines",
    "pharmaceuticals": "pharmacie",
    "insurance": "assurance",
    "technology": "technologie",
    "retail": "distribution",
    "transport": "transport",
    "philanthropy": "philanthropie",
}
IN_KIND_SECTORS = {
    "logistics",
    "telecommunications",
    "transport",
    "technology",
    "food and beverage",
}


@dataclass(frozen=True)
class Style:
    """How a region's sample partners look: language, host country, local currencies, names."""

    lang: str = "en"
    hub: str | None = None  # the bureau's host country (may lie outside the region's countries)
    local: dict[str, str] = field(default_factory=dict)  # country -> currency
    places: tuple[str, ...] = (
        "Horizon",
        "Unity",
        "Harvest",
        "Compass",
        "Bridge",
        "Beacon",
        "Frontier",
        "Summit",
    )
    suffixes: tuple[str, ...] = ("Ltd", "Group", "Holdings")
    surnames: tuple[str, ...] = (
        "Smith",
        "Martin",
        "Lopez",
        "Khan",
        "Ali",
        "Brown",
        "Garcia",
        "Silva",
    )
    first_names: tuple[str, ...] = (
        "Anna",
        "David",
        "Fatima",
        "John",
        "Maria",
        "Omar",
        "Sara",
        "Paul",
    )
    foundation: str = "{} Foundation"
    network: str = "{} Business Council"


XOF = {c: "XOF" for c in ("BEN", "BFA", "CIV", "GNB", "MLI", "NER", "SEN", "TGO")}
STYLES = {
    "RBB": Style(
        "en",
        "THA",
        {"THA": "THB", "CHN": "CNY", "IND": "INR"},
        (
            "Mekong",
            "Lotus",
            "Bengal",
            "Himalaya",
            "Andaman",
            "Siam",
            "Indus",
            "Java",
            "Coral",
            "Monsoon",
        ),
        ("Co. Ltd", "Ltd", "Group", "Holdings", "Pvt Ltd"),
        (
            "Sharma",
            "Nguyen",
            "Rahman",
            "Santos",
            "Wijaya",
            "Khan",
            "Chen",
            "Perera",
            "Thapa",
            "Reyes",
        ),
        ("Anjali", "Minh", "Nadia", "Arjun", "Siti", "Ravi", "Mei", "Farhan", "Maria", "Tenzin"),
    ),
    "RBC": Style(
        "fr",
        "EGY",
        {"EGY": "EGP", "ARE": "AED"},
        (
            "Nil",
            "Atlas",
            "Levant",
            "Delta",
            "Cèdre",
            "Euphrate",
            "Oasis",
            "Carthage",
            "Sinaï",
            "Méditerranée",
        ),
        ("SA", "SAE", "Group", "Holding", "LLC"),
        (
            "Haddad",
            "Mansour",
            "El Amrani",
            "Khoury",
            "Saleh",
            "Benali",
            "Farouk",
            "Nasser",
            "Aziz",
            "Hamdi",
        ),
        (
            "Yasmine",
            "Karim",
            "Leïla",
            "Omar",
            "Nour",
            "Samir",
            "Rania",
            "Hassan",
            "Salma",
            "Youssef",
        ),
        "Fondation {}",
        "Réseau des entreprises {}",
    ),
    "RBD": Style(
        "fr",
        "SEN",
        {**XOF, "NGA": "NGN"},
        (
            "Sahel",
            "Teranga",
            "Baobab",
            "Atlantique",
            "Volta",
            "Niger",
            "Karité",
            "Djoliba",
            "Sénégal",
            "Fouta",
        ),
        ("SA", "SARL", "SAS", "Group", "Ltd"),
        (
            "Diallo",
            "Ndiaye",
            "Traoré",
            "Koné",
            "Ouédraogo",
            "Mensah",
            "Sow",
            "Fall",
            "Camara",
            "Bamba",
        ),
        (
            "Aminata",
            "Moussa",
            "Fatou",
            "Ibrahima",
            "Awa",
            "Cheikh",
            "Mariam",
            "Kofi",
            "Adama",
            "Aïssatou",
        ),
        "Fondation {}",
        "Réseau des entreprises {}",
    ),
    "RBJ": Style(
        "en",
        "ZAF",
        {"ZAF": "ZAR"},
        (
            "Kalahari",
            "Zambezi",
            "Limpopo",
            "Karoo",
            "Highveld",
            "Cape",
            "Okavango",
            "Kariba",
            "Namib",
            "Protea",
        ),
        ("(Pty) Ltd", "Ltd", "Group", "Holdings"),
        (
            "Dlamini",
            "Nkosi",
            "Banda",
            "Phiri",
            "Moyo",
            "Mokoena",
            "Sithole",
            "Mutasa",
            "Chanda",
            "Rakoto",
        ),
        (
            "Thandi",
            "Sipho",
            "Chipo",
            "Tendai",
            "Lerato",
            "Bongani",
            "Naledi",
            "Tapiwa",
            "Grace",
            "Joseph",
        ),
    ),
    "RBN": Style(
        "en",
        "KEN",
        {"KEN": "KES"},
        (
            "Rift",
            "Kilimanjaro",
            "Savanna",
            "Great Lakes",
            "Serengeti",
            "Highlands",
            "Acacia",
            "Horn",
            "Tana",
            "Jubba",
        ),
        ("Ltd", "PLC", "Group", "Holdings"),
        (
            "Otieno",
            "Mwangi",
            "Kamau",
            "Tesfaye",
            "Wanjiru",
            "Mugisha",
            "Abdi",
            "Njoroge",
            "Haile",
            "Achieng",
        ),
        (
            "Wanjiku",
            "Daniel",
            "Amina",
            "Samuel",
            "Faith",
            "Yonas",
            "Halima",
            "Peter",
            "Selam",
            "Brian",
        ),
    ),
    "RBP": Style(
        "en",
        "PAN",
        {"BRA": "BRL", "MEX": "MXN"},
        (
            "Andes",
            "Caribe",
            "Amazonia",
            "Pacífico",
            "Istmo",
            "Maya",
            "Sierra",
            "Cóndor",
            "Azteca",
            "Patagonia",
        ),
        ("S.A.", "S.A. de C.V.", "Ltda.", "S.A.S.", "Group"),
        (
            "García",
            "Rodríguez",
            "Silva",
            "Fernández",
            "Gómez",
            "Morales",
            "Castillo",
            "Pereira",
            "Rojas",
            "Vargas",
        ),
        (
            "Lucía",
            "Carlos",
            "Ana",
            "Diego",
            "Camila",
            "Jorge",
            "Valentina",
            "Luis",
            "Isabel",
            "Mateo",
        ),
        "Fundación {}",
        "Consejo Empresarial {}",
    ),
}

DESCRIPTIONS = {
    "en": {
        "food_security": "Food assistance in {place}",
        "nutrition": "Specialised nutritious foods for young children in {place}",
        "emergency_response": "Emergency response to floods and drought in {place}",
        "resilience": "Climate resilience and water harvesting in {place}",
        "school_meals": "Home-grown school meals in {place}",
        "supply_chain": "Warehousing and transport support in {place}",
        "digital": "Digital registration of assisted people in {place}",
        "cash_transfers": "Mobile money cash transfers in {place}",
        None: "Flexible contribution for {place}",
        "in_kind": [
            "Donation of trucks",
            "Pro bono logistics expertise",
            "Free airtime for SMS campaigns",
            "Donated fortified flour",
            "Warehouse space",
            "Pro bono data analytics",
        ],
        "region": "the region",
    },
    "fr": {
        "food_security": "Assistance alimentaire – {place}",
        "nutrition": "Aliments nutritifs spécialisés pour les jeunes enfants – {place}",
        "emergency_response": "Réponse d'urgence aux inondations et à la sécheresse – {place}",
        "resilience": "Résilience climatique et collecte de l'eau – {place}",
        "school_meals": "Repas scolaires issus de la production locale – {place}",
        "supply_chain": "Appui à l'entreposage et au transport – {place}",
        "digital": "Enregistrement numérique des personnes assistées – {place}",
        "cash_transfers": "Transferts monétaires par mobile money – {place}",
        None: "Contribution flexible – {place}",
        "in_kind": [
            "Don de camions",
            "Expertise logistique pro bono",
            "Crédit de communication pour campagnes SMS",
            "Don de farine enrichie",
            "Mise à disposition d'entrepôts",
            "Analyse de données pro bono",
        ],
        "region": "la région",
    },
}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _days(rng: random.Random, lo: date, hi: date) -> date:
    """A day between lo and hi included."""
    return lo + timedelta(days=rng.randint(0, max((hi - lo).days, 0)))


def _nice(rng: random.Random, x: float) -> float:
    """An amount as people record it: mostly rounded to 2 or 3 significant digits."""
    if rng.random() < 0.15:
        return round(x, 2)
    step = 10 ** max(math.floor(math.log10(x)) - rng.choice((1, 2)), 0)
    return float(max(round(x / step), 1) * step)


def _country_name(code: str, lang: str) -> str:
    alpha2 = pycountry.countries.get(alpha_3=code).alpha_2
    return Locale(lang).territories.get(alpha2, code)


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
        _partner(rng, i, region, countries, hub, style, reference, first_year)
        for i in range(1, n_partners + 1)
    ]
    _unique_names(partners)
    if (
        n_contributions
        and partners
        and not any(_window(p, first_year, last_year) for p in partners)
    ):
        _make_active(rng, partners[0], first_year)
    contributions = _contributions(
        rng, partners, n_contributions, region, countries, style, reference, first_year, last_year
    )
    for p in partners:
        for key in [k for k in p if k.startswith("_")]:
            del p[key]
    return _frame(Partners, partners), _frame(Contributions, contributions)


def _partner(
    rng, i, region, countries, hub, style: Style, reference: Reference, first_year: int
) -> dict:
    category = _pick(rng, {"company": 55, "foundation": 18, "network": 10, "hnwi": 9, "public": 8})
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
        name = f"{label} – {_country_name(country, style.lang)}"
    in_kind_share = 0.45 if sector in IN_KIND_SECTORS else 0.12
    if sector and style.lang == "fr":
        sector = SECTOR_FR[sector]

    ptype = _pick(
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
    stage = _pick(rng, {"prospect": 20, "active": 60, "closed": 20})

    start = end = dd_date = review = None
    earliest = date(first_year - 3, 1, 1)
    if stage == "active":
        start = _days(rng, earliest, AS_OF - timedelta(days=30))
        if rng.random() < 0.3:  # a planned end, still to come
            end = max(
                start + timedelta(days=365 * rng.randint(1, 5)),
                AS_OF + timedelta(days=rng.randint(30, 900)),
            )
    elif stage == "closed":
        start = _days(rng, earliest, AS_OF - timedelta(days=365))
        end = min(start + timedelta(days=rng.randint(180, 1500)), AS_OF - timedelta(days=1))

    if stage == "prospect":
        dd = _pick(rng, {"not_started": 40, "in_progress": 40, "cleared": 15, "rejected": 5})
    else:
        dd = _pick(rng, {"cleared": 94, "in_progress": 6})
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


def _make_active(rng, p: dict, first_year: int) -> None:
    """Turn a partner into an active one, so that a tiny register still has someone to give."""
    p.update(
        stage="active",
        start_date=date(first_year, 1, 1),
        end_date=None,
        due_diligence="cleared",
        due_diligence_date=date(first_year - 1, 12, 1),
        last_review=None,
    )


def _unique_names(partners: list[dict]) -> None:
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


def _window(p: dict, first_year: int, last_year: int) -> tuple[date, date] | None:
    """The days a partner's contributions may fall on, or None."""
    if p["stage"] not in ("active", "closed"):
        return None
    lo = max(p["start_date"], date(first_year, 1, 1))
    hi = min(p["end_date"] or AS_OF, AS_OF, date(last_year, 12, 31))
    return (lo, hi) if lo <= hi else None


def _contributions(
    rng, partners, n, region, countries, style: Style, reference: Reference, first_year, last_year
) -> list[dict]:
    windows = [(p, w) for p in partners if (w := _window(p, first_year, last_year))]
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
    names = {c: _country_name(c, style.lang) for c in countries}
    factor = {"company": 1.0, "foundation": 2.5, "network": 0.6, "hnwi": 3.0, "public": 0.3}
    # A partner's weight is a yearly giving rate: long partnerships give more, years stay balanced.
    weights = [p["_weight"] * ((hi - lo).days + 30) / 365 for p, (lo, hi) in windows]
    chosen = rng.choices(windows, weights=weights, k=n)
    out = []
    for p, (lo, hi) in chosen:
        day = _days(rng, lo, hi)
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
            else _pick(rng, {"USD": 78, "EUR": 14, "GBP": 4, "CHF": 4})
        )
        if (currency, year) not in rates:
            currency = "USD" if ("USD", year) in rates else min(c for c, y in rates if y == year)
        amount = _nice(rng, usd / rates[(currency, year)])

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


def _frame(model, rows: list[dict]) -> pd.DataFrame:
    """Rows as a frame with the model's columns in order and the reader's dtypes."""
    data = {}
    for col in columns_of(model):
        values = [r[col.name] for r in rows]
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
