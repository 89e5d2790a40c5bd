"""The workbook contract: one Pandera model per sheet, the single source of every column."""

from schemas.workbook import (
    ALL_SHEETS,
    DERIVED_COLUMNS,
    OPTIONAL_SHEETS,
    SHEETS,
    Agreements,
    Column,
    Contributions,
    Partners,
    Reports,
    codelists_of,
    columns_of,
    shown_as,
)

__all__ = [
    "ALL_SHEETS",
    "OPTIONAL_SHEETS",
    "SHEETS",
    "Agreements",
    "DERIVED_COLUMNS",
    "Column",
    "Contributions",
    "Partners",
    "Reports",
    "codelists_of",
    "columns_of",
    "shown_as",
]
