"""Small real .xlsx files for the tests, written with openpyxl the way people fill them in."""

import datetime as dt
from pathlib import Path

import openpyxl

PARTNER_HEADER = [
    "partner_id",
    "partner_name",
    "category",
    "sector",
    "partnership_type",
    "region",
    "country",
    "stage",
    "start_date",
    "end_date",
    "due_diligence",
    "due_diligence_date",
    "focal_point",
    "has_kpis",
    "last_review",
    "evaluated",
    "strategic_objectives",
]
CONTRIBUTION_HEADER = [
    "contribution_id",
    "partner_id",
    "date",
    "status",
    "kind",
    "amount",
    "currency",
    "country",
    "partnership_type",
    "thematic_area",
    "multi_year",
    "description",
]


def partner(pid="P1", **over) -> list:
    """A valid partner row of region RBD; keyword arguments replace columns."""
    row = {
        "partner_id": pid,
        "partner_name": f"Partner {pid}",
        "category": "company",
        "sector": "banking",
        "partnership_type": "advocacy",
        "region": "RBD",
        "country": "SEN",
        "stage": "active",
        "start_date": dt.date(2023, 1, 5),
        "end_date": None,
        "due_diligence": "cleared",
        "due_diligence_date": dt.date(2022, 12, 1),
        "focal_point": "Awa Diop",
        "has_kpis": "yes",
        "last_review": dt.date.today() - dt.timedelta(days=30),
        "evaluated": "no",
        "strategic_objectives": "SO1",
    }
    row.update(over)
    return [row[c] for c in PARTNER_HEADER]


def contribution(cid="C1", pid="P1", **over) -> list:
    """A valid contribution row; keyword arguments replace columns."""
    row = {
        "contribution_id": cid,
        "partner_id": pid,
        "date": dt.date(2024, 3, 15),
        "status": "received",
        "kind": "financial",
        "amount": 1000.0,
        "currency": "USD",
        "country": "SEN",
        "partnership_type": None,
        "thematic_area": "school_meals",
        "multi_year": "no",
        "description": "School meals in Matam",
    }
    row.update(over)
    return [row[c] for c in CONTRIBUTION_HEADER]


def write(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write sheets (name -> rows, the first being the header or title rows) to a real .xlsx."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def valid_register(path: Path, partners=None, contributions=None) -> Path:
    """A small valid English register of region RBD."""
    partners = (
        partners if partners is not None else [partner("P1"), partner("P2", category="foundation")]
    )
    contributions = (
        contributions
        if contributions is not None
        else [contribution("C1", "P1"), contribution("C2", "P2", amount=250.5)]
    )
    return write(
        path,
        {
            "Partners": [PARTNER_HEADER, *partners],
            "Contributions": [CONTRIBUTION_HEADER, *contributions],
        },
    )
