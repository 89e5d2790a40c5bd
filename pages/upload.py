"""Upload a register: pick the region, drop the workbook, read the report, fix and retry."""

import streamlit as st

from analytics.checking import check_upload
from analytics.i18n import fmt_number, t
from analytics.reference import load_reference
from analytics.template import write_template
from ui.state import lang as current_lang


def _template_bytes(language: str) -> bytes:
    import io

    buffer = io.BytesIO()
    write_template(buffer, language)
    return buffer.getvalue()


lang = current_lang()
reference = load_reference()

st.title(t("upload.title", lang))
st.caption(t("upload.intro", lang))

regions = list(reference.region_codes)
region = st.selectbox(t("upload.region", lang), regions, format_func=lambda c: reference.region_name(c, lang), key="upload_region")
uploaded = st.file_uploader(
    t("upload.file", lang),
    # Other spreadsheet types are accepted here so that the user gets our explanation, not a refusal.
    type=["xlsx", "xlsm", "xls", "ods", "csv"],
    key="upload_file",
)

with st.expander(t("upload.template_title", lang)):
    st.write(t("upload.template_help", lang))
    st.download_button(
        t("upload.template_download", lang),
        data=lambda: _template_bytes(lang),
        file_name=t("upload.template_file", lang),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )


if uploaded is None:
    st.info(t("upload.waiting", lang))
    st.stop()

with st.spinner(t("upload.reading", lang, file=uploaded.name)):
    checked = check_upload(uploaded.name, uploaded.getvalue(), region, lang)

report = checked.result.report
if report.unreadable:
    st.error(checked.summary)
    st.stop()

counts = checked.counts
cols = st.columns(4)
for col, key in zip(cols, ("partners", "contributions", "errors", "warnings"), strict=True):
    col.metric(t(f"upload.count_{key}", lang), fmt_number(counts[key], lang))

if report.errors:
    st.error(checked.summary)
elif report.warnings:
    st.warning(checked.summary)
else:
    st.success(checked.summary)

if report.issues:
    st.dataframe(checked.table, hide_index=True, width="stretch")
    annotated = checked.annotated(lang)
    if annotated is not None:
        st.caption(t("report.annotated_hint", lang))
        st.download_button(
            t("upload.annotated_download", lang),
            data=annotated,
            file_name=t("upload.annotated_file", lang, name=uploaded.name.rsplit(".", 1)[0]),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
        )
