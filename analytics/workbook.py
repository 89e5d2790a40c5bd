"""Reading a register workbook: file safety checks, sheets and headers found, values understood.

Entry point for the app, the command line and the tests: `load_workbook`.
"""

from dataclasses import dataclass

import pandas as pd

from analytics.report import Report


@dataclass
class Register:
    """One region's register as read from a workbook.

    `partners` has the Partners model's columns (schemas.Partners) in order, `contributions` the
    Contributions model's; both add `excel_row` (the row number as Excel shows it) and `extra`
    (a JSON object of the extra columns' values, or None). Text and code columns are pandas `str`
    with NaN for empty, dates `datetime64`, yes/no `boolean`, amounts `float64`.
    """

    region: str | None
    partners: pd.DataFrame
    contributions: pd.DataFrame


@dataclass
class LoadResult:
    register: Register | None  # None when the file could not be read as a register
    report: Report
