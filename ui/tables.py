"""Tables of partners and contributions: codes shown as labels, headers and formats in the user's language.

Numbers and dates are written by Babel in the user's language through a pandas Styler ("2 493 740 $",
"5 sept. 2026"): st.dataframe shows a Styler's text but keeps the values, so a click on a header
still sorts by amount or date. NumberColumn's own `format` cannot: its presets follow the
browser's locale ("localized") or write English ("dollar"), and column_config formats would win
over the Styler's, so the columns formatted here get a label and help only.

A Styler costs one to two milliseconds per row to draw (pandas renders every cell; measured by
bench/bench_tables.py: two minutes for 50,000 partners on a busy 2-core machine): a table of
more than STYLED_ROWS rows is drawn as it is, its amounts and shares given Streamlit's own
formats instead.
"""

from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st
from babel import Locale

from analytics.i18n import fmt_date, fmt_money, fmt_number, fmt_percent, has, t
from analytics.indicators import views
from analytics.reference.load import Reference
from analytics.store.history import fmt_when
from schemas.workbook import shown_as
from ui.downloads import table_downloads

EMPTY = "—"  # what an empty cell shows (Streamlit's default is "None")
STYLED_ROWS = 1_000  # a larger table is not written by the Styler (see the docstring)


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
        label, kind = header(col, lang), shown_as(col)
        if kind == "usd":  # no format: the Styler of `dataframe` writes them (see the docstring)
            config[col] = st.column_config.NumberColumn(label, help=money_help)
        elif kind in ("amount", "share", "count"):
            config[col] = st.column_config.NumberColumn(label)
        elif kind == "date":
            config[col] = st.column_config.DateColumn(label)
        elif kind == "bool":
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
    event = dataframe(
        shown,
        lang,
        money=[c for c in columns if shown_as(c) == "usd"],  # an amount is in its own currency
        shares=[c for c in columns if shown_as(c) == "share"],
        column_config=column_config(columns, lang, money_help),
        key=key,
        **kwargs,
    )
    table_downloads(
        shown.rename(columns={c: header(c, lang) for c in columns}), key, lang, key=f"dl_{key}"
    )
    return event


def _formatter(values: pd.Series, lang: str, money: bool, share: bool) -> Callable | None:
    """How a column's values are written in `lang`, or None for a column left as it is."""
    if pd.api.types.is_bool_dtype(values):
        return None  # a checkbox
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values.dropna()
        if getattr(values.dt, "tz", None) is None and (stamps == stamps.dt.normalize()).all():
            return lambda v: fmt_date(pd.Timestamp(v), lang)  # days
        return lambda v: fmt_when(v, lang)  # moments: date, hh:mm UTC
    if not pd.api.types.is_numeric_dtype(values):
        return None
    if money:
        return lambda v: fmt_money(v, lang, compact=False)
    if share:
        return lambda v: fmt_percent(v, lang)
    digits = 0 if pd.api.types.is_integer_dtype(values) else 2
    return lambda v: fmt_number(v, lang, digits=digits)


def styled(frame: pd.DataFrame, lang: str, money: Iterable = (), shares: Iterable = ()):
    """`frame` with its numbers and dates written in `lang` (a Styler), the values kept for
    sorting; `money` columns as USD amounts, `shares` as percentages. The frame itself when it
    has neither."""
    money, shares = set(money), set(shares)
    frame = _blanks_empty(frame)
    formats = {}
    for col in frame.columns:
        how = _formatter(frame[col], lang, col in money, col in shares)
        if how is not None:
            formats[col] = how
    if not formats:
        return frame
    return frame.reset_index(drop=True).style.format(formats, na_rep=EMPTY)


def _blanks_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """A blank text is an empty cell: the placeholder dash, not nothing."""
    return frame.assign(
        **{
            c: frame[c].map(lambda v: None if isinstance(v, str) and not v.strip() else v)
            for c in frame.columns
            if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype)
        }
    )


def _with_formats(config: dict, frame: pd.DataFrame, money: set, shares: set) -> dict:
    """`config` with Streamlit's formats for the amounts and shares of a table too large for the
    Styler: amounts as the browser writes numbers, shares as percentages."""
    out = dict(config)
    for col in frame.columns:
        if col not in money and col not in shares:
            continue
        if not pd.api.types.is_numeric_dtype(frame[col]) or pd.api.types.is_bool_dtype(frame[col]):
            continue
        number = out.get(col) or st.column_config.NumberColumn(col)
        out[col] = st.column_config.NumberColumn(
            number.get("label"),
            help=number.get("help"),
            format="percent" if col in shares else "localized",
        )
    return out


def dataframe(
    frame: pd.DataFrame, lang: str, money: Iterable = (), shares: Iterable = (), **kwargs
):
    """st.dataframe of `frame` as `styled` writes it: no index, full width, empty cells a dash;
    kwargs go to st.dataframe (column_config, key, on_select…). Over STYLED_ROWS rows, Streamlit's
    formats instead of the Styler's (see the docstring)."""
    kwargs = {"hide_index": True, "width": "stretch", "placeholder": EMPTY, **kwargs}
    if len(frame) > STYLED_ROWS:
        config = _with_formats(
            kwargs.pop("column_config", None) or {}, frame, set(money), set(shares)
        )
        return st.dataframe(_blanks_empty(frame), column_config=config, **kwargs)
    # Streamlit refuses a Styler of more cells than this pandas option (262 144 by default).
    limit = max(frame.size, pd.get_option("styler.render.max_elements"))
    with pd.option_context("styler.render.max_elements", limit):
        return st.dataframe(styled(frame, lang, money, shares), **kwargs)


def percent_printf(lang: str) -> str:
    """A printf format of whole percents as the language writes them ("%.0f%%" for "88%",
    "%.0f\u202f%%" for "88 %"), from its CLDR pattern: a ProgressColumn's own "percent" preset
    writes "87.66%" in every language."""
    pattern = Locale.parse(lang).percent_formats[None].pattern  # "#,##0%", "#,##0\u202f%"
    number = pattern.rstrip("%\u202f\u00a0 ").lstrip("%\u202f\u00a0 ")
    prefix, _, suffix = pattern.partition(number)
    return prefix.replace("%", "%%") + "%.0f" + suffix.replace("%", "%%")


def progress(frame: pd.DataFrame, column: str, lang: str) -> tuple[pd.DataFrame, dict]:
    """`frame` with its share `column` (1 is reached) as percents, and the column settings that
    draw it as a progress bar labelled with a whole percent in `lang`."""
    shown = frame.assign(**{column: frame[column] * 100})
    bar = st.column_config.ProgressColumn(
        column, min_value=0.0, max_value=100.0, format=percent_printf(lang)
    )
    return shown, {column: bar}


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
        values, kind = out[col], shown_as(col)
        if kind == "date" or pd.api.types.is_datetime64_any_dtype(values):
            out[col] = [date_text(v, lang) for v in values]
        elif kind == "bool" or pd.api.types.is_bool_dtype(values):
            out[col] = [_yes_no(v, lang) for v in values]
        elif kind in ("usd", "amount") and pd.api.types.is_numeric_dtype(values):
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
