"""Tables of partners and contributions: codes shown as labels, headers and formats in the user's language."""

import pandas as pd
import streamlit as st

from analytics.i18n import fmt_date, fmt_number, has, t
from analytics.indicators import views
from analytics.reference.load import Reference
from ui.downloads import table_downloads

MONEY = ("usd", "usd_total", "amount")
SHARES = ("share", "cumulative_share")
EMPTY = "—"  # what an empty cell shows (Streamlit's default is "None")
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
        placeholder=EMPTY,
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


def readable(frame: pd.DataFrame, reference: Reference, lang: str) -> pd.DataFrame:
    """A register sheet as a reader sees it (a version's partners or contributions): codes as
    labels, dates in the language's words, yes/no as words, empty cells a dash, headers named.
    Text throughout: for reading and downloading, not for sorting numbers."""
    out = views.with_labels(frame, reference, lang)
    for col in out.columns:
        values = out[col]
        if col in DATES or pd.api.types.is_datetime64_any_dtype(values):
            out[col] = [date_text(v, lang) for v in values]
        elif col in FLAGS or pd.api.types.is_bool_dtype(values):
            out[col] = [_yes_no(v, lang) for v in values]
        elif col in MONEY and pd.api.types.is_numeric_dtype(values):
            out[col] = [fmt_number(v, lang, digits=2) if pd.notna(v) else EMPTY for v in values]
        else:
            out[col] = [_text(v) for v in values]
    return out.rename(columns={c: header(c, lang) for c in out.columns})


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return EMPTY
    text = str(value)
    return text if text.strip() else EMPTY


def _yes_no(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return EMPTY
    return t("pages.partners.yes", lang) if bool(value) else t("pages.partners.no", lang)


def issues(table: pd.DataFrame, lang: str) -> None:
    """A validation report's table (register.messages.report_frame): the message column wide
    and wrapped over three lines, the internal code left for the downloads, empty cells dashes."""
    code, message = t("report.code", lang), t("report.message", lang)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_order=[c for c in table.columns if c != code],
        column_config={message: st.column_config.TextColumn(message, width="large")},
        row_height=64,  # three lines of text: long messages wrap instead of being cut
        placeholder=EMPTY,
    )
