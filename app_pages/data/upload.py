"""Upload a register: pick the region, drop the workbook, read the report and the change, commit."""

import io
import logging

import streamlit as st

from analytics.access.roles import Refused
from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.register import regions
from analytics.register.parsing import decimal_separator
from analytics.register.reading import load_workbook
from analytics.register.template import write_template
from analytics.services import ingest, review
from analytics.store.changes import removal_counts
from analytics.store.removals import removed_text
from analytics.store.versions import StaleRegister
from ui import page as ui_page
from ui import review_view, upload_view
from ui.data import store

ANONYMOUS = "anonymous"  # recorded for a file sent before a name was typed
PHASE_SHARE = {"store": 0.05, "read": 0.15, "compare": 0.8, "commit": 0.9}
BY_HAND = "upload_region_by_hand"  # the user chose the region: no file moves the picker then


def _picked_by_hand() -> None:
    st.session_state[BY_HAND] = True


def _preselect(dropped, writable: list[str]) -> regions.Preselection:
    """The region the picker starts on for the file dropped (read once per file), moved there when
    the file is new and the user has not chosen a region by hand."""
    if dropped is None:
        return regions.preselect(None, None, writable)
    seen = st.session_state.get("upload_preselected")
    if seen is not None and seen[0] == dropped.file_id:
        return seen[1]
    register = load_workbook(dropped.getvalue()).register  # None when it cannot be read
    suggestion = regions.preselect(
        register.partners if register else None,
        register.contributions if register else None,
        writable,
    )
    st.session_state["upload_preselected"] = (dropped.file_id, suggestion)
    if suggestion.region is not None and not st.session_state.get(BY_HAND):
        st.session_state["upload_region"] = suggestion.region  # before the picker is drawn
    return suggestion


def _template_bytes(language: str) -> bytes:
    buffer = io.BytesIO()
    write_template(buffer, language)
    return buffer.getvalue()


def _progress(language: str):
    bar = st.progress(0.0)

    def on_phase(phase: str) -> None:
        bar.progress(PHASE_SHARE[phase], text=t(f"flow.progress_{phase}", language))

    return bar, on_phase


def _prepared(uploaded, region: str, language: str, name: str) -> ingest.Prepared:
    """The upload read and compared once per file, region and reading of amounts (in the session).

    The report is written in the page's language when shown: a language that reads '1,234' the
    same way shows the same check again, without reading the file again."""
    decimal = decimal_separator(language)
    key = (uploaded.file_id, region, decimal)
    cached = st.session_state.get("upload_prepared")
    if cached is not None and cached[0] == key:
        return cached[1]
    # The file is recorded once per file and region, even if it is read again with another decimal.
    recorded = st.session_state.setdefault("upload_ids", {})
    bar, on_phase = _progress(language)
    prepared = ingest.prepare(
        store(),
        uploaded.getvalue(),
        uploaded.name,
        region,
        name or ANONYMOUS,
        decimal=decimal,
        upload_id=recorded.get((uploaded.file_id, region)),
        on_phase=on_phase,
        user=up.user,
    )
    bar.empty()
    recorded[(uploaded.file_id, region)] = prepared.upload_id
    st.session_state["upload_prepared"] = (key, prepared)
    return prepared


def _commit(
    prepared: ingest.Prepared, name: str, language: str, empty_confirmed: bool, reason: str | None
) -> None:
    """Commit, then say what happened on the next run (the file input is emptied)."""
    region = reference.region_name(prepared.region, language)
    try:
        with st.spinner(t("flow.progress_commit", language)):
            version = ingest.commit(
                store(),
                prepared,
                name,
                user=up.user,
                empty_confirmed=empty_confirmed,
                reason=reason,
                require_reason=True,
            )
    except Refused as refused:  # the region is not this user's
        up.flash("error", refused.message(language))
        return
    except ingest.ReasonNeeded as needed:  # the button waits for a reason: a safety net
        up.flash("error", t(needed.code, language, limit=ingest.MAX_REASON))
        return
    except StaleRegister:
        # Compare again with what is current now, and let the user look before committing.
        again = ingest.compare(store(), prepared)
        st.session_state["upload_prepared"] = (st.session_state["upload_prepared"][0], again)
        up.flash("warning", upload_view.stale_message(again, language))
        return
    except Exception:  # the database refused; the previous version stays current, the file is kept
        logging.getLogger("partnerships").exception("commit failed")
        up.flash("error", t("flow.failed", language))
        return
    up.flash(
        "success",
        t("flow.committed", language, number=version.number, region=region),
    )
    st.session_state.pop("upload_prepared", None)
    st.session_state["upload_gen"] = st.session_state.get("upload_gen", 0) + 1


up = ui_page.start("upload", show_flash=False)
lang, user = up.lang, up.user
reference = load_reference()
if up.show_flash() == "success":
    st.page_link(
        "app_pages/data/data_quality.py",
        label=t("flow.view_region", lang),
        icon=":material/history:",
    )

writable = user.writable_regions(reference.region_codes)
file_key = f"upload_file_{st.session_state.get('upload_gen', 0)}"  # a new key empties the input
# The file input is drawn below the picker, but a file dropped is in the session from the start of
# the run that follows: the picker can start on the region its rows name (issue #13).
suggestion = _preselect(st.session_state.get(file_key), writable)
region = st.selectbox(
    t("upload.region", lang),
    # A focal point is offered their own regions (the store refuses the others anyway).
    writable or reference.region_codes,
    format_func=lambda c: reference.region_name(c, lang),
    key="upload_region",
    on_change=_picked_by_hand,
)
if suggestion.region is not None and suggestion.region == region:
    named = reference.region_name(region, lang)
    st.caption(t(f"upload_region.{suggestion.reason}", lang, region=named))  # and why
# Where the region's current version stands in the review, and a returned version's comment.
review_view.show_state(
    review.states(store()).get(region), reference.region_name(region, lang), lang
)
if user.demo:
    name = st.text_input(
        t("flow.uploader", lang), key="uploader_name", help=t("flow.uploader_help", lang)
    ).strip()
else:
    name = user.name  # signed in: the account is who sends the file
uploaded = st.file_uploader(
    t("upload.file", lang),
    # Other spreadsheet types are accepted here so that the user gets our explanation, not a refusal.
    type=["xlsx", "xlsm", "xls", "ods", "csv"],
    key=file_key,
    # The drop zone's own words ("Drag and drop file here", "Browse files") cannot be set in
    # Streamlit 1.67 (no parameter; streamlit/streamlit#10042 was closed): the help says them.
    help=t("upload.file_help", lang),
)

with st.expander(t("upload.template_title", lang)):
    st.write(t("upload.template_help", lang))
    st.download_button(
        t("upload.template_download", lang),
        data=lambda: _template_bytes(lang),
        file_name=t("upload.template_file", lang),
        mime=upload_view.XLSX,
        on_click="ignore",
    )

if uploaded is None:
    st.info(t("upload.waiting", lang))
    st.stop()

try:
    prepared = _prepared(uploaded, region, lang, name)
except Refused as refused:
    up.refused(refused)
upload_view.show_report(prepared, lang)
if prepared.status in (ingest.UNREADABLE, ingest.REJECTED):
    st.info(t("flow.rejected", lang))
    st.stop()
if prepared.identical:
    upload_view.show_identical(prepared, lang)
    st.stop()

upload_view.show_change(prepared, lang)
change = prepared.change
confirmed = True
if change.removals:
    confirmed = st.checkbox(
        t(
            "flow.confirm_removals",
            lang,
            **removal_counts(change, lang),
        ),
        key=f"confirm_removals_{uploaded.file_id}_{prepared.expected_number}",
    )
    if not confirmed:
        st.caption(t("flow.removals_needed", lang))
reason = None
if prepared.removes_rows:
    # One line, in the user's words: kept with the version, said in its history and the summary.
    reason = ingest.removal_reason(
        st.text_input(
            t("removals.reason_label", lang, rows=removed_text(prepared.removed, lang)),
            max_chars=ingest.MAX_REASON,
            help=t("removals.reason_help", lang, limit=ingest.MAX_REASON),
            key=f"removal_reason_{uploaded.file_id}_{prepared.expected_number}",
        )
    )
    if reason is None:
        st.caption(t("removals.reason_needed", lang))
    confirmed = confirmed and reason is not None
empty_confirmed = False
if prepared.empty:
    # A blank template sent by mistake must not empty a region in one click.
    empty_confirmed = st.checkbox(
        t("flow.confirm_empty", lang, region=region),
        key=f"confirm_empty_{uploaded.file_id}_{prepared.expected_number}",
    )
    if not empty_confirmed:
        st.caption(t("flow.empty_needed", lang))
    confirmed = confirmed and empty_confirmed
if not name:
    st.caption(t("flow.uploader_needed", lang))
clicked = st.button(
    t("flow.commit", lang, number=prepared.expected_number + 1, region=region),
    type="primary",
    disabled=not (confirmed and name),
    key="commit",
)
if clicked:
    _commit(prepared, name, lang, empty_confirmed, reason)
    st.rerun()
