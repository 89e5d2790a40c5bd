"""Data quality: who has submitted this year, every version of each register, every file sent."""

import streamlit as st

from analytics import config
from analytics.access.roles import READ_FILES, RESTORE, Refused
from analytics.i18n import t
from analytics.register.messages import report_frame, summary_of_stored
from analytics.services import ingest, review
from analytics.store import calendar, history
from analytics.store.reports import stored_report
from analytics.store.reviews import latest_reviews
from analytics.store.versions import StaleRegister
from analytics.text import plain
from ui import page as ui_page
from ui import review_view, tables
from ui.data import store, version_register
from ui.downloads import table_downloads

q = ui_page.start("quality")  # q("title") is quality.title in the page's language
lang, user = q.lang, q.user
reference = q.reference()  # a damaged file is said under the title, and the page stops
year = config.today().year
the_store = store()

# --- completeness: which regions have submitted this year ---------------------------------------
st.subheader(q("completeness_title", year=year))
table = the_store.completeness(year, reference.region_codes)
missing = history.missing_regions(table)
if missing:
    st.warning(
        q(
            "missing",
            year=year,
            regions=", ".join(plain(reference.region_name(r, lang)) for r in missing),
        )
    )
else:
    st.success(q("all_submitted", year=year))
completeness = history.completeness_frame(table, reference, lang, year)
tables.dataframe(completeness, lang)
table_downloads(completeness, f"completeness-{year}", lang, key="dl_completeness")

# --- the reporting calendar: each region × period, on time, late or missing, and reviewed -------
st.subheader(t("calendar.title", lang))
st.caption(t("calendar.intro", lang))
grid = calendar.recent_grid(the_store, reference, config.today())
if grid.empty:
    st.info(t("calendar.no_periods", lang))
else:
    shown_grid = calendar.grid_frame(grid, lambda r: reference.region_name(r, lang), lang)
    tables.dataframe(shown_grid, lang)
    table_downloads(shown_grid, "reporting-calendar", lang, key="dl_calendar")

# --- one region: its versions, one of them viewed or restored ------------------------------------
region = st.selectbox(
    q("region"),
    table["region"].tolist(),
    format_func=lambda c: reference.region_name(c, lang),
    key="quality_region",
)
region_name = plain(reference.region_name(region, lang))  # in Markdown (titles, alerts)
st.subheader(q("versions_title", region=region_name))
review_view.show_state(
    review.states(the_store).get(region), reference.region_name(region, lang), lang
)
versions = the_store.versions(region)
if versions.empty:
    st.info(q("no_versions", region=region_name))
else:
    reviews = latest_reviews(the_store.engine, versions["id"].astype(int).tolist())
    versions_shown = history.versions_frame(versions, lang, reviews)
    tables.dataframe(versions_shown, lang)
    table_downloads(versions_shown, f"versions-{region}", lang, key="dl_versions")
    current_number = int(versions["number"].max())
    number = st.selectbox(q("view"), versions["number"].tolist(), key=f"quality_version_{region}")
    row = versions[versions["number"] == number].iloc[0]
    register = version_register(int(row["id"]))
    st.caption(
        q(
            "viewing",
            number=number,
            region=region_name,
            partners=len(register.partners),
            contributions=len(register.contributions),
        )
        + (f" ({q('sample_label')})" if row["is_sample"] else "")
    )
    partners_tab, contributions_tab = st.tabs([q("partners"), q("contributions")])
    for tab, sheet, frame in (
        (partners_tab, "partners", register.partners),
        (contributions_tab, "contributions", register.contributions),
    ):
        with tab:  # the table, and its download with formulas neutralised (the toolbar's is off)
            shown = tables.readable(frame.drop(columns=["extra"]), reference, lang)
            tables.dataframe(shown, lang)
            table_downloads(shown, f"{sheet}-{region}-v{number}", lang, key=f"dl_version_{sheet}")
    if number == current_number:
        st.caption(q("is_current"))
    elif not user.can(RESTORE, region):
        st.caption(Refused(user, RESTORE, region).message(lang))
    else:
        demo = user.demo  # signed in: the account is who restores
        who = st.text_input(q("restorer"), key="restorer_name").strip() if demo else user.name
        sure = st.checkbox(
            q("restore_confirm", number=number, region=region_name),
            key=f"restore_ok_{region}_{number}",
        )
        if st.button(
            q("restore", number=number, next=current_number + 1),
            disabled=not (sure and who),
            key="restore",
        ):
            try:
                done = ingest.restore(
                    the_store,
                    region,
                    int(number),
                    uploader=who,
                    expected_number=current_number,
                    user=user,
                )
            except Refused as refused:
                q.flash("error", refused.message(lang))
            except StaleRegister as exc:
                now = exc.current.number if exc.current else 0
                q.flash("warning", q("restore_stale", region=region_name, number=now))
            else:
                if done.identical:
                    q.flash("info", q("restore_identical", number=number))
                else:
                    q.flash(
                        "success",
                        q("restored", number=number, next=done.number, region=region_name),
                    )
            st.rerun()

# --- every file sent for the region, committed or not ---------------------------------------------
st.subheader(q("uploads_title", region=region_name))
if not user.can(READ_FILES, region):
    st.caption(Refused(user, READ_FILES, region).message(lang))
    st.stop()
uploads = the_store.uploads(region, user=user)
if uploads.empty:
    st.info(q("no_uploads", region=region_name))
else:
    uploads_shown = history.uploads_frame(uploads, lang)
    tables.dataframe(uploads_shown, lang)
    table_downloads(uploads_shown, f"uploads-{region}", lang, key="dl_uploads")
    choices = {int(r["id"]): history.upload_choice(r, lang) for _, r in uploads.iterrows()}
    upload_id = st.selectbox(
        q("download_pick"), list(choices), format_func=choices.get, key=f"quality_upload_{region}"
    )
    file_name = uploads.loc[uploads["id"] == upload_id, "file_name"].iloc[0]
    # The file is read when clicked, on another thread without the session: the user is bound
    # now, not looked up then.
    viewer = user
    st.download_button(
        q("download"),
        data=lambda: the_store.upload_file(upload_id, user=viewer)[1],
        file_name=file_name,
        mime="application/octet-stream",
        on_click="ignore",
        key="download_original",
    )
    # The report kept with the upload, written now in the viewer's language (not validated again).
    report = stored_report(the_store, upload_id, user=viewer)
    st.markdown(f"**{t('report.stored_title', lang)}**")
    st.caption(summary_of_stored(report, lang))
    if report is not None and report.issues:
        shown_report = report_frame(report, lang, reference)
        tables.issues(shown_report, lang)
        table_downloads(shown_report, f"report-{upload_id}", lang, key="dl_stored_report")
