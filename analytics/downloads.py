"""Tables as CSV and XLSX files to download, with spreadsheet formulas neutralised.

A cell typed by a partner as `=HYPERLINK(...)` must not run when a director opens the download in
Excel (CSV/formula injection, OWASP): text cells beginning with `=`, `+`, `-`, `@`, a tab or a
carriage return get a leading apostrophe, which spreadsheets show as text. Numbers stay numbers,
so a negative amount stored as a number is untouched.
"""

from io import BytesIO

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
_SHEET_NAME_MAX = 31  # Excel's limit


def neutralise_value(value):
    """'=1+2' -> "'=1+2"; numbers, dates and other text unchanged."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the frame whose text cells (and column names) cannot start a formula."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        out[column] = series.map(neutralise_value, na_action="ignore")
    out.columns = [neutralise_value(str(c)) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so that Excel reads accents right."""
    return neutralise(frame).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """An .xlsx workbook with the table on one sheet; text is written as text, never as a formula."""
    safe = neutralise(frame)
    for column in safe.columns:  # Excel has no time zones
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    out = BytesIO()
    name = "".join(ch for ch in sheet if ch not in "[]:*?/\\")[:_SHEET_NAME_MAX] or "data"
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name=name, index=False)
    return out.getvalue()
