"""The words of the sample registers: companies' home countries and sectors, French sector names,
contribution descriptions in each language."""

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
