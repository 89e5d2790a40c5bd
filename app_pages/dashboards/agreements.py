"""Agreements: overdue reports first, reports due soon, agreements ending soon, committed vs
received, for the sidebar's filters (region, partnership type and category of the agreement's
partner; the approved switch) as every dashboard; the profile of one agreement (`?agreement=ID`
or `REGION:ID`) and its accountability sheet as PDF."""

from datetime import date

import pandas as pd
import streamlit as st

from analytics import config
from analytics.board import agreement_sheet as sheets
from analytics.board.agreement_sheet_pdf import write_pdf
from analytics.i18n import t
from analytics.indicators import follow_up_lists as lists
from analytics.indicators import views
from analytics.store.reviews import approved_versions
from analytics.text import plain
from schemas import Agreements, Reports, shown_as
from ui import dashboard as d
from ui import filters as f
from ui import tables
from ui.data import current_follow_up, current_register, store

ALL = ""
PARAM = "agreement"


def _frames(approved: bool) -> tuple[pd.DataFrame, ...]:
    """Partners, contributions, agreements and reports of the counted versions: the latest, or
    each region's latest approved one (the "approved data only" switch), cached per store state."""
    return (*current_register(approved), *current_follow_up(approved))


def _table(frame: pd.DataFrame, title: str, empty: str, page: d.Page) -> None:
    lang = page.lang
    st.subheader(t(f"pages.agreements.{title}", lang))
    if frame.empty:
        st.caption(t(f"pages.agreements.{empty}", lang))
    else:  # codes as labels; amounts, shares and dates in the user's language, sorted by value
        labelled = views.with_labels(frame, page.reference, lang, sheets=(Agreements, Reports))
        tables.dataframe(
            labelled,
            lang,
            money=[c for c in frame.columns if shown_as(c) == "usd"],
            shares=[c for c in frame.columns if shown_as(c) == "share"],
            column_config={c: tables.header(c, lang) for c in frame.columns},
        )


def body(page: d.Page) -> None:
    lang, today = page.lang, config.today()
    partners, contributions, agreements, reports = _frames(f.approved_only())
    if agreements.empty:
        st.info(t("pages.agreements.none", lang))
        return
    shown = page.filters  # the sidebar's: the agreement's partner's region, type and category
    overdue = lists.overdue_reports(partners, agreements, reports, today, shown)
    if len(overdue):
        st.markdown(t("pages.agreements.overdue_count", lang, count=len(overdue)))
    _table(overdue, "overdue", "overdue_none", page)
    due = lists.reports_due_soon(partners, agreements, reports, today, shown)
    _table(due, "due_soon", "due_soon_none", page)
    ending = lists.agreements_ending_soon(partners, agreements, today, shown)
    _table(ending, "ending", "ending_none", page)
    money = lists.committed_vs_received(
        partners, agreements, contributions, page.reference, today, shown
    )
    _table(money, "money", "money_none", page)
    with d.section(lang, "agreement profile"):
        frames = (partners, contributions, agreements, reports)
        listed = lists.scoped_agreements(partners, agreements, shown)
        region = shown.regions[0] if len(shown.regions) == 1 else None
        profile(page, frames, _pick(listed, region, lang), today)


def _pick(agreements: pd.DataFrame, region: str | None, lang: str) -> tuple | None:
    """The agreement of the link (`?agreement=`), or the one picked in the list of the filtered
    agreements (then linked); a link's agreement outside the filters still opens."""
    st.markdown(f"### {t('pages.agreements.profile', lang)}")
    titles = sheets.agreement_refs(agreements, None)
    refs = list(titles)
    chosen = sheets.parse_ref(st.query_params.get(PARAM))
    wanted = sheets.match_ref(refs, chosen)
    picked = st.selectbox(
        t("pages.agreements.pick", lang),
        [ALL, *refs],
        index=1 + refs.index(wanted) if wanted else 0,
        format_func=lambda r: (
            t("pages.agreements.pick_none", lang)
            if r == ALL
            else f"{r.replace(':', ' · ')} — {titles[r]}"
        ),
        key="agreement_pick",
    )
    if picked and st.query_params.get(PARAM) != picked and picked != wanted:
        st.query_params[PARAM] = picked
    elif not picked and wanted:  # "choose an agreement" again: the profile closes
        del st.query_params[PARAM]
        return None
    if picked:
        return sheets.parse_ref(picked)
    return (chosen[0] or region, chosen[1]) if chosen else None


def profile(page: d.Page, frames: tuple, chosen: tuple | None, today: date) -> None:
    """One agreement: partner and agreement, money received against committed, its reports and
    contributions, and the accountability sheet to download."""
    lang = page.lang
    if chosen is None:
        st.caption(t("pages.agreements.pick_hint", lang))
        return
    region, agreement_id = chosen
    try:
        opened = store()
        versions = approved_versions(opened.engine) if f.approved_only() else None
        versions = versions if versions is not None else opened.current_versions()
        sheet = sheets.build_sheet(
            *frames, page.reference, agreement_id, region, lang, today, versions
        )
    except sheets.NoSuchAgreement:
        st.warning(t("pages.agreements.not_found", lang, ref=plain(agreement_id)))
        return
    with st.container(border=True, key="agreement_profile"):
        st.subheader(plain(sheet.heading))
        st.caption(sheet.as_of)
        left, right = st.columns(2)
        for column, key, pairs in (
            (left, "partner", sheet.partner),
            (right, "agreement", sheet.agreement),
        ):
            column.markdown(f"**{t(f'agreement_sheet.{key}', lang)}**")
            column.markdown("  \n".join(f"**{k}**: {plain(v)}" for k, v in pairs))
        st.markdown(f"**{t('agreement_sheet.money', lang)}**: {sheet.money_line}")
        if sheet.received_share is not None:
            st.progress(min(max(sheet.received_share, 0.0), 1.0))
        for key, table, empty in (
            ("reports", sheet.reports, "no_reports"),
            ("contributions", sheet.contributions, "no_contributions"),
        ):
            st.markdown(f"**{t(f'agreement_sheet.{key}', lang)}**")
            if table.rows:
                st.dataframe(table.frame(), hide_index=True, key=f"agreement_{key}")
            else:
                st.caption(t(f"agreement_sheet.{empty}", lang))
        st.download_button(
            t("pages.agreements.download_sheet", lang),
            data=write_pdf(sheet),
            file_name=sheet.file_name,
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            key="agreement_sheet_pdf",
        )


d.run("pages.agreements.title", body)
