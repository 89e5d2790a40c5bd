"""Download buttons under a table: CSV and Excel, built only when clicked."""

import pandas as pd
import streamlit as st

from analytics import downloads
from analytics.i18n import t


def table_downloads(frame: pd.DataFrame, name: str, lang: str, key: str) -> None:
    """Two small buttons: the table as CSV and as XLSX (formulas neutralised), file `name`.csv/.xlsx."""
    left, right, _ = st.columns([1, 1, 6])
    # The files are written when the user clicks (a callable), not at every rerun.
    left.download_button(
        t("downloads.csv", lang),
        lambda: downloads.to_csv(frame),
        file_name=f"{name}.csv",
        mime=downloads.CSV_MIME,
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
        help=t("downloads.help", lang),
    )
    right.download_button(
        t("downloads.xlsx", lang),
        lambda: downloads.to_xlsx(frame, name),
        file_name=f"{name}.xlsx",
        mime=downloads.XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/download:",
        help=t("downloads.help", lang),
    )
