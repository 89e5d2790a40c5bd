"""The workbook contract: one Pandera model per sheet, the single source of every column."""

from schemas.workbook import (
    ALL_SHEETS,
    OPTIONAL_SHEETS,
    SHEETS,
    Agreements,
    Column,
    Contributions,
    Partners,
    Reports,
    columns_of,
)

__all__ = [
    "ALL_SHEETS",
    "OPTIONAL_SHEETS",
    "SHEETS",
    "Agreements",
    "Column",
    "Contributions",
    "Partners",
    "Reports",
    "columns_of",
]
