"""Pandera models of the two sheets; the template, reading, validation and docs derive from them.

Each field carries, in its metadata, its French header, its kind (how a typed value is read) and
the code list it draws from. Code lists come from the reference data at validation time
(`analytics.register.validation.build_schema`), so that HQ can edit them without touching code.
"""

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

ID_PATTERN = r"^[A-Za-z0-9._-]{1,40}$"
MAX_AMOUNT = 1e12  # spec: an amount is at most 10¹²; anything larger is a typing slip

# How a typed value is understood, per kind (see analytics.register.parsing):
# text, id, code, codes (";"-separated list), country (ISO 3166-1 alpha-3),
# currency (ISO 4217), date, bool, number.


def field(fr: str, kind: str, *, required: bool = False, codelist: str | None = None, **checks):
    """A column of the workbook: French header, kind, whether required, code list."""
    return pa.Field(
        nullable=not required,
        metadata={"fr": fr, "kind": kind, "required": required, "codelist": codelist},
        **checks,
    )


class Partners(pa.DataFrameModel):
    """One row per partner of the region's register."""

    partner_id: Series[str] = field(
        "id_partenaire", "id", required=True, unique=True, str_matches=ID_PATTERN
    )
    partner_name: Series[str] = field("nom_partenaire", "text", required=True)
    category: Series[str] = field("categorie", "code", required=True, codelist="category")
    sector: Series[str] = field("secteur", "text")
    partnership_type: Series[str] = field(
        "type_partenariat", "code", required=True, codelist="partnership_type"
    )
    region: Series[str] = field("region", "code", required=True, codelist="region")
    country: Series[str] = field("pays", "country", required=True)
    stage: Series[str] = field("etape", "code", required=True, codelist="stage")
    start_date: Series[pd.Timestamp] = field("date_debut", "date")
    end_date: Series[pd.Timestamp] = field("date_fin", "date")
    due_diligence: Series[str] = field("diligence", "code", required=True, codelist="due_diligence")
    due_diligence_date: Series[pd.Timestamp] = field("date_diligence", "date")
    focal_point: Series[str] = field("referent", "text")
    has_kpis: Series[pd.BooleanDtype] = field("indicateurs_suivi", "bool")
    last_review: Series[pd.Timestamp] = field("derniere_revue", "date")
    evaluated: Series[pd.BooleanDtype] = field("evalue", "bool")
    strategic_objectives: Series[str] = field(
        "objectifs_strategiques", "codes", codelist="strategic_objective"
    )

    class Config:
        name = "Partners"
        strict = False
        coerce = False

    @pa.dataframe_check(name="start_date_required")
    def start_date_when_active(cls, df: pd.DataFrame) -> Series[bool]:
        """An active or closed partnership has a start date."""
        return ~df["stage"].isin(["active", "closed"]) | df["start_date"].notna()

    @pa.dataframe_check(name="start_after_end")
    def start_before_end(cls, df: pd.DataFrame) -> Series[bool]:
        """A partnership does not end before it starts."""
        return (
            df["start_date"].isna() | df["end_date"].isna() | (df["start_date"] <= df["end_date"])
        )

    @pa.dataframe_check(name="due_diligence_date_required")
    def due_diligence_date_when_decided(cls, df: pd.DataFrame) -> Series[bool]:
        """A cleared or rejected due diligence is dated."""
        return ~df["due_diligence"].isin(["cleared", "rejected"]) | df["due_diligence_date"].notna()


class Contributions(pa.DataFrameModel):
    """One row per contribution (pledge or receipt) of a partner."""

    contribution_id: Series[str] = field(
        "id_contribution", "id", required=True, unique=True, str_matches=ID_PATTERN
    )
    partner_id: Series[str] = field("id_partenaire", "id", required=True)
    date: Series[pd.Timestamp] = field("date", "date", required=True)
    status: Series[str] = field("statut", "code", required=True, codelist="status")
    kind: Series[str] = field("nature", "code", required=True, codelist="kind")
    amount: Series[float] = field("montant", "number", required=True, gt=0, le=MAX_AMOUNT)
    currency: Series[str] = field("devise", "currency", required=True)
    country: Series[str] = field("pays", "country")
    partnership_type: Series[str] = field("type_partenariat", "code", codelist="partnership_type")
    thematic_area: Series[str] = field("domaine", "code", codelist="thematic_area")
    multi_year: Series[pd.BooleanDtype] = field("pluriannuel", "bool")
    description: Series[str] = field("description", "text")

    class Config:
        name = "Contributions"
        strict = False
        coerce = False


# Sheet names accepted, per model (English first: the template's name).
SHEETS: dict[type[pa.DataFrameModel], tuple[str, ...]] = {
    Partners: ("Partners", "Partenaires"),
    Contributions: ("Contributions",),
}

# Dataframe-level checks name the column the user must fix.
CHECK_COLUMNS = {
    "start_date_required": "start_date",
    "start_after_end": "start_date",
    "due_diligence_date_required": "due_diligence_date",
}


@dataclass(frozen=True)
class Column:
    name: str
    fr: str
    kind: str
    required: bool
    codelist: str | None


def columns_of(model: type[pa.DataFrameModel]) -> list[Column]:
    """The declared columns of a sheet, in template order."""
    return [
        Column(
            name,
            col.metadata["fr"],
            col.metadata["kind"],
            col.metadata["required"],
            col.metadata["codelist"],
        )
        for name, col in model.to_schema().columns.items()
    ]
