"""Reference data (admins): edit a file in a table or upload it; each save checked, versioned, audited."""

import pandas as pd
import streamlit as st

from analytics.access.roles import EDIT_REFERENCE, Refused, require
from analytics.i18n import fmt_date
from analytics.services import refdata
from analytics.text import plain
from ui import page as ui_page
from ui.data import store

# The flash (a save's result) is drawn once the admin's right is checked, below.
r = ui_page.start("refadmin", show_flash=False)
lang, user = r.lang, r.user
try:
    require(user, EDIT_REFERENCE)
except Refused as refused:
    r.refused(refused)
r.show_flash()

name = st.selectbox(
    r("file"), list(refdata.FILES), format_func=lambda n: r(f"files.{n}"), key="refadmin_file"
)
file_name = f"{name}.csv"
try:
    in_force = refdata.current(name)
except Exception as exc:  # noqa: BLE001 - a damaged file: say so, and let the admin replace it
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    st.error(r("unreadable", detail=plain(detail)))  # "This file cannot be read as CSV: …"
    in_force = pd.DataFrame(columns=list(refdata.FILES[name].columns))
else:
    in_force_problems = refdata.problems(name, in_force, lang)
    if in_force_problems:  # the file in force is what the pages cannot use: what to correct
        listed = "\n".join(f"- {plain(p)}" for p in in_force_problems[:50])
        st.warning(r.t("reference_error.in_force", count=len(in_force_problems)) + "\n\n" + listed)
st.download_button(
    r("current_download"),
    refdata.to_csv(in_force),
    file_name=file_name,
    mime="text/csv",
    key="refadmin_current",
)

st.subheader(r("edit"))
edited = st.data_editor(
    in_force, num_rows="dynamic", hide_index=True, width="stretch", key=f"refadmin_editor_{name}"
)
uploaded = st.file_uploader(r("upload"), type=["csv"], key=f"refadmin_upload_{name}")

if st.button(r("save"), type="primary", key="refadmin_save"):
    frame = edited
    if uploaded is not None:
        try:
            frame = refdata.read_csv(uploaded.getvalue())
        except Exception as exc:  # noqa: BLE001 - not a CSV: say so, keep the file in force
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            st.error(r("unreadable", detail=plain(detail)))
            st.stop()
    found = refdata.problems(name, frame, lang)
    if found:
        # The sentences quote the cells as typed: shown as text.
        listed = "\n".join(f"- {plain(p)}" for p in found[:50])
        st.error(r("invalid", count=len(found)) + "\n\n" + listed)
    else:
        try:
            number = refdata.save(store(), user, name, frame)
        except Refused as refused:
            st.error(refused.message(lang))
        else:
            if number is None:
                r.flash("info", r("unchanged", file=file_name))
            else:
                r.flash("success", r("saved", number=number, file=file_name))
            st.rerun()

st.subheader(r("history"))
versions = refdata.history(store(), name)
if versions.empty:
    st.caption(r("history_empty"))
for row in versions.itertuples(index=False):
    left, right = st.columns([3, 1])
    left.markdown(f"**{row.number}** · {fmt_date(row.created_at, lang)} · {plain(row.author)}")
    right.download_button(
        r("download"),
        refdata.version_text(store(), name, int(row.number)),
        file_name=f"{name}-v{row.number}.csv",
        mime="text/csv",
        key=f"refadmin_v_{name}_{row.number}",
    )
