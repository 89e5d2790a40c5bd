"""Small registers built as frames, typed as `load_workbook` types them (seeded, deterministic)."""

import random

import pandas as pd

from analytics.register.reading import Register
from schemas import Contributions, Partners, columns_of

DTYPES = {"date": "datetime64[us]", "bool": "boolean", "number": "float64"}


def typed(rows: list[dict], model) -> pd.DataFrame:
    """Rows as a frame with the model's columns in order, `excel_row` and `extra`."""
    columns = columns_of(model)
    frame = pd.DataFrame(
        {
            c.name: pd.Series([r.get(c.name) for r in rows], dtype=DTYPES.get(c.kind, "str"))
            for c in columns
        }
    )
    frame["excel_row"] = pd.Series(
        [r.get("excel_row", i + 2) for i, r in enumerate(rows)], dtype="int64"
    )
    frame["extra"] = pd.Series([r.get("extra") for r in rows], dtype=object)
    return frame


def partner(pid: str, region: str = "RBD", **values) -> dict:
    row = {
        "partner_id": pid,
        "partner_name": f"Partner {pid}",
        "category": "company",
        "partnership_type": "innovation",
        "region": region,
        "country": "SEN",
        "stage": "active",
        "start_date": pd.Timestamp("2021-01-01"),
        "due_diligence": "cleared",
        "due_diligence_date": pd.Timestamp("2020-12-01"),
        "has_kpis": True,
    }
    return row | values


def contribution(cid: str, pid: str, **values) -> dict:
    row = {
        "contribution_id": cid,
        "partner_id": pid,
        "date": pd.Timestamp("2024-03-01"),
        "status": "received",
        "kind": "financial",
        "amount": 1000.0,
        "currency": "USD",
    }
    return row | values


def register(partners: list[dict], contributions: list[dict], region: str = "RBD") -> Register:
    return Register(
        region=region,
        partners=typed(partners, Partners),
        contributions=typed(contributions, Contributions),
    )


def generated(
    region: str = "RBD", n_partners: int = 20, n_contributions: int = 60, seed: int = 1
) -> Register:
    """A register of random but valid rows, every column exercised."""
    rnd = random.Random(seed)
    partners = [
        partner(
            f"{region}-P{i:04d}",
            region,
            sector=rnd.choice([None, "banking", "logistics"]),
            focal_point=rnd.choice([None, "A. Diallo", "Ana Ruiz"]),
            evaluated=rnd.choice([None, True, False]),
            end_date=rnd.choice([None, pd.Timestamp("2026-12-31")]),
            strategic_objectives=rnd.choice([None, "SO1", "SO1;SO2"]),
            extra=rnd.choice([None, '{"note": "é"}']),
        )
        for i in range(n_partners)
    ]
    contributions = [
        contribution(
            f"{region}-C{i:05d}",
            partners[rnd.randrange(n_partners)]["partner_id"],
            date=pd.Timestamp(
                2020 + rnd.randrange(6), 1 + rnd.randrange(12), 1 + rnd.randrange(28)
            ),
            amount=round(rnd.uniform(100, 1e6), 2),
            currency=rnd.choice(["USD", "EUR"]),
            multi_year=rnd.choice([None, True, False]),
            description=rnd.choice([None, "Food vouchers", "Cash; transfers"]),
        )
        for i in range(n_contributions)
    ]
    return register(partners, contributions, region)
