"""Pandera models of the register's sheets; the template, reading, validation and docs derive from them.

Each field carries, in its metadata, its kind (how a typed value is read) and the code list it
draws from; its header and sheet names in each language are data in locales/xx/core.toml
(`headers.*`, `sheets.*`), so a language is a folder. Code lists come from the reference data at validation time
(`analytics.register.validation.build_schema`), so that HQ can edit them without touching code.
"""

from dataclasses import dataclass
from functools import cache

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

ID_PATTERN = r"^[A-Za-z0-9._-]{1,40}$"
MAX_AMOUNT = 1e12  # spec: an amount is at most 10¹²; anything larger is a typing slip

# How a typed value is understood, per kind (see analytics.register.parsing):
# text, id, code, codes (";"-separated list), country (ISO 3166-1 alpha-3),
# currency (ISO 4217), date, bool, number.


def field(kind: str, *, required: bool = False, codelist: str | None = None, **checks):
    """A column of the workbook: kind, whether required, code list."""
    return pa.Field(
        nullable=not required,
        metadata={"kind": kind, "required": required, "codelist": codelist},
        **checks,
    )


class Partners(pa.DataFrameModel):
    """One row per partner of the region's register."""

    partner_id: Series[str] = field("id", required=True, unique=True, str_matches=ID_PATTERN)
    partner_name: Series[str] = field("text", required=True)
    category: Series[str] = field("code", required=True, codelist="category")
    sector: Series[str] = field("text")
    partnership_type: Series[str] = field("code", required=True, codelist="partnership_type")
    region: Series[str] = field("code", required=True, codelist="region")
    country: Series[str] = field("country", required=True)
    stage: Series[str] = field("code", required=True, codelist="stage")
    start_date: Series[pd.Timestamp] = field("date")
    end_date: Series[pd.Timestamp] = field("date")
    due_diligence: Series[str] = field("code", required=True, codelist="due_diligence")
    due_diligence_date: Series[pd.Timestamp] = field("date")
    focal_point: Series[str] = field("text")
    has_kpis: Series[pd.BooleanDtype] = field("bool")
    last_review: Series[pd.Timestamp] = field("date")
    evaluated: Series[pd.BooleanDtype] = field("bool")
    strategic_objectives: Series[str] = field("codes", codelist="strategic_objective")

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

    contribution_id: Series[str] = field("id", required=True, unique=True, str_matches=ID_PATTERN)
    partner_id: Series[str] = field("id", required=True)
    date: Series[pd.Timestamp] = field("date", required=True)
    status: Series[str] = field("code", required=True, codelist="status")
    kind: Series[str] = field("code", required=True, codelist="kind")
    amount: Series[float] = field("number", required=True, gt=0, le=MAX_AMOUNT)
    currency: Series[str] = field("currency", required=True)
    country: Series[str] = field("country")
    partnership_type: Series[str] = field("code", codelist="partnership_type")
    thematic_area: Series[str] = field("code", codelist="thematic_area")
    multi_year: Series[pd.BooleanDtype] = field("bool")
    description: Series[str] = field("text")
    agreement_id: Series[str] = field("id")

    class Config:
        name = "Contributions"
        strict = False
        coerce = False


class Agreements(pa.DataFrameModel):
    """One row per signed agreement with a partner (optional sheet, with Reports)."""

    agreement_id: Series[str] = field("id", required=True, unique=True, str_matches=ID_PATTERN)
    partner_id: Series[str] = field("id", required=True)
    title: Series[str] = field("text", required=True)
    status: Series[str] = field("code", required=True, codelist="agreement_status")
    signed_on: Series[pd.Timestamp] = field("date", required=True)
    signed_by: Series[str] = field("text")
    officer: Series[str] = field("text", required=True)
    start_date: Series[pd.Timestamp] = field("date", required=True)
    end_date: Series[pd.Timestamp] = field("date", required=True)
    amount: Series[float] = field("number", ge=0, le=MAX_AMOUNT)
    currency: Series[str] = field("currency")

    class Config:
        name = "Agreements"
        strict = False
        coerce = False

    @pa.dataframe_check(name="signed_after_start")
    def signed_before_start(cls, df: pd.DataFrame) -> Series[bool]:
        """An agreement is signed before (or on) the day it starts."""
        return (
            df["signed_on"].isna() | df["start_date"].isna() | (df["signed_on"] <= df["start_date"])
        )

    @pa.dataframe_check(name="start_after_end")
    def start_before_end(cls, df: pd.DataFrame) -> Series[bool]:
        """An agreement does not end before it starts."""
        return (
            df["start_date"].isna() | df["end_date"].isna() | (df["start_date"] <= df["end_date"])
        )

    @pa.dataframe_check(name="currency_required")
    def currency_with_amount(cls, df: pd.DataFrame) -> Series[bool]:
        """An amount committed is in a currency."""
        return df["amount"].isna() | df["currency"].notna()


class Reports(pa.DataFrameModel):
    """One row per reporting obligation of an agreement (optional sheet, with Agreements)."""

    report_id: Series[str] = field("id", required=True, unique=True, str_matches=ID_PATTERN)
    agreement_id: Series[str] = field("id", required=True)
    kind: Series[str] = field("code", required=True, codelist="report_kind")
    due_date: Series[pd.Timestamp] = field("date", required=True)
    submitted_on: Series[pd.Timestamp] = field("date")
    approved_on: Series[pd.Timestamp] = field("date")
    sent_on: Series[pd.Timestamp] = field("date")

    class Config:
        name = "Reports"
        strict = False
        coerce = False

    @pa.dataframe_check(name="approved_not_submitted")
    def approved_needs_submitted(cls, df: pd.DataFrame) -> Series[bool]:
        """A report is approved only once submitted."""
        return df["approved_on"].isna() | df["submitted_on"].notna()

    @pa.dataframe_check(name="approved_before_submitted")
    def approved_after_submitted(cls, df: pd.DataFrame) -> Series[bool]:
        """A report is not approved before it is submitted."""
        ok = df["submitted_on"].isna() | (df["approved_on"] >= df["submitted_on"])
        return df["approved_on"].isna() | ok

    @pa.dataframe_check(name="sent_before_submitted")
    def sent_after_submitted(cls, df: pd.DataFrame) -> Series[bool]:
        """A report is not sent to the partner before it is submitted."""
        ok = df["submitted_on"].isna() | (df["sent_on"] >= df["submitted_on"])
        return df["sent_on"].isna() | ok


# The sheets every register has, in order; their names in each language are in locales/xx/core.toml.
SHEETS: tuple[type[pa.DataFrameModel], ...] = (Partners, Contributions)
# The follow-up of agreements: optional, but when one of the two is present both are read.
OPTIONAL_SHEETS: tuple[type[pa.DataFrameModel], ...] = (Agreements, Reports)
ALL_SHEETS = SHEETS + OPTIONAL_SHEETS

# Dataframe-level checks name the column the user must fix.
CHECK_COLUMNS = {
    "start_date_required": "start_date",
    "start_after_end": "start_date",
    "due_diligence_date_required": "due_diligence_date",
    "signed_after_start": "signed_on",
    "currency_required": "currency",
    "approved_not_submitted": "approved_on",
    "approved_before_submitted": "approved_on",
    "sent_before_submitted": "sent_on",
}


# The columns the product computes from the sheets, declared beside them with how a table shows
# each: "usd" an amount in US dollars, "share" a fraction shown as a percentage, "date" a day,
# "bool" a tick box, "count" a whole number. Their labels are `pages.columns.<name>` in
# locales/xx/pages.toml, as the sheets' own are `columns.<name>`.
DERIVED_COLUMNS = {
    "usd": "usd",
    "usd_total": "usd",
    "committed_usd": "usd",
    "received_usd": "usd",
    "share": "share",
    "cumulative_share": "share",
    "received_share": "share",
    "last_contribution": "date",
    "active": "bool",
    "monitored": "bool",
    "review_ok": "bool",
    "days_late": "count",
    "contributions": "count",
    "rank": "count",
}

# How a table shows each kind of sheet column: numbers are amounts in the row's own currency.
_SHOWN_AS = {"date": "date", "bool": "bool", "number": "amount"}


def shown_as(column: str) -> str:
    """How a table shows a column: "usd", "amount" (in its row's currency), "share", "date",
    "bool", "count" or "text" (codes, ids and names, once labelled)."""
    return _shown_as().get(column, "text")


@cache
def _shown_as() -> dict[str, str]:
    out = {}
    for model in ALL_SHEETS:
        for col in columns_of(model):
            out.setdefault(col.name, _SHOWN_AS.get(col.kind, "text"))
    return {**out, **DERIVED_COLUMNS}


def codelists_of(*models: type[pa.DataFrameModel]) -> dict[str, str]:
    """Column -> code list of the columns of these sheets that hold one code each. A column name
    means one code list across the sheets given (a contribution's and an agreement's `status`
    differ, so their sheets are never given together)."""
    out: dict[str, str] = {}
    for model in models:
        for col in columns_of(model):
            if col.kind == "code" and col.codelist:
                if out.setdefault(col.name, col.codelist) != col.codelist:
                    raise ValueError(f"{col.name} names two code lists in {models}")
    return out


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool
    codelist: str | None


def columns_of(model: type[pa.DataFrameModel]) -> list[Column]:
    """The declared columns of a sheet, in template order."""
    return [
        Column(
            name,
            col.metadata["kind"],
            col.metadata["required"],
            col.metadata["codelist"],
        )
        for name, col in model.to_schema().columns.items()
    ]
