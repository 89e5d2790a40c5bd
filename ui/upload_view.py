"""Widgets of the upload page: the validation report and the change preview of a prepared upload."""

import streamlit as st

from analytics.i18n import fmt_money, fmt_number, t
from analytics.reference.load import load_reference
from analytics.services.ingest import Prepared
from analytics.store.changes import changed_frame, counts_frame, rows_frame
from ui import tables
from ui.downloads import table_downloads

PREVIEW_ROWS = 1000  # rows per table in the preview; the counts above them are complete
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show_report(prepared: Prepared, lang: str) -> None:
    """Counts, the summary sentence, every issue, and the annotated workbook to download."""
    checked = prepared.checked
    report = checked.result.report
    if report.unreadable:
        st.error(checked.summary(lang))
        return
    counts = checked.counts
    cols = st.columns(4)
    for col, key in zip(cols, ("partners", "contributions", "errors", "warnings"), strict=True):
        col.metric(t(f"upload.count_{key}", lang), fmt_number(counts[key], lang))
    if report.errors:
        st.error(checked.summary(lang))
    elif report.warnings:
        st.warning(checked.summary(lang))
    else:
        st.success(checked.summary(lang))
    if report.issues:
        table = checked.table(lang)
        tables.issues(table, lang)
        table_downloads(table, t("downloads.report_name", lang), lang, key="dl_report")
        st.caption(t("report.annotated_hint", lang))
        st.download_button(
            t("upload.annotated_download", lang),
            data=lambda: checked.annotated(lang),
            file_name=t("upload.annotated_file", lang, name=checked.file_name.rsplit(".", 1)[0]),
            mime=XLSX,
            on_click="ignore",
            key="annotated_download",
        )


def _when_who(prepared: Prepared, lang: str) -> dict:
    from analytics.store.history import fmt_when, uploader_name

    current = prepared.current
    return {
        "region": load_reference().region_name(prepared.region, lang),
        "number": current.number,
        "when": fmt_when(current.created_at, lang),
        "who": uploader_name(current.uploader, lang),
    }


def show_identical(prepared: Prepared, lang: str) -> None:
    st.info(t("flow.identical", lang, **_when_who(prepared, lang)))


def stale_message(prepared: Prepared, lang: str) -> str:
    return t("flow.stale", lang, **_when_who(prepared, lang))


def _table(frame, n: int, lang: str) -> None:
    if n == 0:
        st.caption(t("flow.no_change_rows", lang))
        return
    tables.dataframe(frame, lang)
    if n > PREVIEW_ROWS:
        st.caption(t("flow.rows_limited", lang, limit=PREVIEW_ROWS, n=n))


def show_change(prepared: Prepared, lang: str, *, reviewing: bool = False) -> None:
    """What the commit will change: counts, USD totals before → after, the rows and fields.

    `reviewing`: a submitted version (services.review.Waiting) against the last approved one."""
    change = prepared.change
    if not reviewing:
        st.subheader(t("flow.preview_title", lang))
    region = load_reference().region_name(prepared.region, lang)
    if prepared.current is None:
        key = "review.never_approved" if reviewing else "flow.first_version"
        st.caption(t(key, lang, region=region))
    else:
        key = "review.against_approved" if reviewing else "flow.against"
        st.caption(t(key, lang, **_when_who(prepared, lang)))
    tables.dataframe(counts_frame(change, lang), lang)
    before, after = st.columns(2)
    before.metric(t("flow.usd_before", lang), fmt_money(change.usd_before, lang))
    after.metric(
        t("flow.usd_after", lang),
        fmt_money(change.usd_after, lang),
        delta=fmt_money(change.usd_after - change.usd_before, lang),
    )
    for sheet in change.sheets:
        part = change.sheet(sheet)
        counts = part.counts()
        st.markdown(f"**{t(f'change.{sheet}', lang)}**")
        added, changed, removed = st.tabs(
            [t(f"flow.{k}_title", lang, n=counts[k]) for k in ("added", "changed", "removed")]
        )
        with added:
            _table(rows_frame(part.added, sheet, lang, PREVIEW_ROWS), counts["added"], lang)
        with changed:
            _table(changed_frame(part, sheet, lang, PREVIEW_ROWS), len(part.changed), lang)
        with removed:
            _table(rows_frame(part.removed, sheet, lang, PREVIEW_ROWS), counts["removed"], lang)
