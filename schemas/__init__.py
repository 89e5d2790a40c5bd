"""The workbook contract: one Pandera model per sheet, the single source of every column."""

from schemas.workbook import SHEETS, Column, Contributions, Partners, columns_of

__all__ = ["SHEETS", "Column", "Contributions", "Partners", "columns_of"]
