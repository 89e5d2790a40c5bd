"""Tables of partners and contributions: codes shown as labels, headers and formats in the user's language."""

import pandas as pd
import streamlit as st

from analytics.i18n import fmt_date, has, t
from analytics.indicators import views
from analytics.reference.load import Reference
from ui.downloads import table_downloads

MONEY = ("usd", "usd_total", "amount")
SHARES = ("share", "cumulative_share")
DATES = ("date", "start_date", "end_date", "last_contribution", "last_review", "due_diligence_date")
FLAGS = ("active", "monitored", "review_ok", "has_kpis", "evaluated", "multi_year")


def header(column: str, lang: str) -> str:
    """A column's header: the workbook's name for it, else the pages' one."""
    for key in (f"columns.{column}", f"pages.columns.{column}"):
        if has(key, lang):
            return t(key, lang)
    return column


def column_config(columns, lang: str, money_help: str | None = None) -> dict:
    """Streamlit column settings; `money_help` is the header tooltip of the USD columns (how
    their figures were obtained)."""
    config = {}
    for col in columns:
        label = header(col, lang)
        if col in MONEY:
            config[col] = st.column_config.NumberColumn(
                label,
                format="dollar" if col != "amount" else "localized",
                help=money_help if col != "amount" else None,
            )
        elif col in SHARES:
            config[col] = st.column_config.NumberColumn(label, format="percent")
        elif col in DATES:
            config[col] = st.column_config.DateColumn(label, format="YYYY-MM-DD")
        elif col in FLAGS:
            config[col] = st.column_config.CheckboxColumn(label)
        else:
            config[col] = st.column_config.TextColumn(label)
    return config


def show(
    frame: pd.DataFrame,
    columns: list[str],
    reference: Reference,
    lang: str,
    key: str,
    money_help: str | None = None,
    **kwargs,
):
    """st.dataframe of some columns, with labels for codes, and its CSV/XLSX downloads; extra
    kwargs go to st.dataframe."""
    shown = views.with_labels(frame[columns], reference, lang)
    event = st.dataframe(
        shown,
        column_config=column_config(columns, lang, money_help),
        hide_index=True,
        key=key,
        width="stretch",
        **kwargs,
    )
    table_downloads(
        shown.rename(columns={c: header(c, lang) for c in columns}), key, lang, key=f"dl_{key}"
    )
    return event


def date_text(value, lang: str, empty: str = "—") -> str:
    """A date in the user's language; `empty` when there is none (NaT, None)."""
    if value is None or pd.isna(value):
        return empty
    return fmt_date(pd.Timestamp(value), lang)
