"""By region: a regional panorama per region — indicators, beneficiary countries, top partners,
pipeline and a few notable contributions (as the WFP field engagement update presents them)."""

import streamlit as st

from analytics import charts
from analytics.i18n import t
from analytics.indicators import views
from analytics.text import plain
from ui import dashboard as d
from ui import filters as f
from ui import tables


def panorama(page: d.Page, region: str) -> None:
    lang, ref = page.lang, page.reference
    narrowed = f.narrow(page.filters, regions=(region,))
    with d.section(lang, f"panorama cards {region}"):
        d.metric_cards(page, views.REGION_PANORAMA, narrowed)

    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{t('pages.by_region.map', lang)}**")
        with d.section(lang, f"panorama map {region}"):
            countries = d.call("beneficiary_countries", page.period, narrowed)
            if countries.empty:
                st.info(t("pages.no_countries", lang))
            else:
                figure = d.figure(
                    page,
                    "panorama_map",
                    lambda: charts.beneficiary_map(countries, lang, height=360),
                    region,
                )
                d.chart(figure, f"map_{region}", clickable=False)
    with right:
        st.markdown(f"**{t('pages.by_region.top_partners', lang)}**")
        with d.section(lang, f"panorama top partners {region}"):
            top = d.call("top_partners", page.period, narrowed, 5)
            if top.empty:
                st.info(t("pages.no_contributions", lang))
            else:
                tables.show(
                    top,
                    ["partner_name", "partnership_type", "usd", "share"],
                    ref,
                    lang,
                    key=f"top_{region}",
                    money_help=d.money_help(page, narrowed),
                )

    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('pages.by_region.pipeline', lang)}**")
        with d.section(lang, f"panorama pipeline {region}"):
            prospects = views.pipeline(d.call("partners_table", page.period, narrowed))
            if prospects.empty:
                st.info(t("pages.by_region.no_prospects", lang))
            else:
                tables.show(prospects, list(prospects.columns), ref, lang, key=f"pipeline_{region}")
    with right:
        st.markdown(f"**{t('pages.by_region.notable', lang)}**")
        with d.section(lang, f"panorama notable {region}"):
            notable_contributions(page, narrowed)


def notable_contributions(page: d.Page, narrowed) -> None:
    lang = page.lang
    notable = d.call("notable_contributions", page.period, narrowed, 3)
    if notable.empty:
        st.info(t("pages.by_region.no_notable", lang))
    for row in notable.itertuples(index=False):
        where = (
            views.country_name(row.country, lang)
            if isinstance(row.country, str) and row.country
            else ""
        )
        st.markdown(
            t(
                "pages.by_region.notable_item",
                lang,
                partner=plain(row.partner_name) or plain(row.partner_id),
                amount=charts.money(row.usd, lang),
                date=tables.date_text(row.date, lang),
                where=f" · {plain(where)}" if where else "",
                description=plain(row.description),
            )
        )


def target_progress(page: d.Page) -> None:
    """Every region in scope against each of its targets, as progress bars."""
    lang = page.lang
    st.subheader(t("pages.by_region.targets", lang), help=t("pages.by_region.targets_help", lang))
    with d.section(lang, "target progress"):
        progress = d.call("views.target_progress", page.period, page.filters)
        if progress.empty:
            st.info(t("pages.by_region.no_targets", lang))
            return
        table = views.target_progress_table(progress, page.reference, lang)
        table, bars = tables.progress(table, t("pages.by_region.targets_reached", lang), lang)
        st.dataframe(
            table, hide_index=True, width="stretch", placeholder=tables.EMPTY, column_config=bars
        )


def body(page: d.Page) -> None:
    lang, ref = page.lang, page.reference
    regions = views.regions_in_scope(page.prepared, page.filters)
    silent = set(views.regions_without_data(page.prepared, page.filters))
    f.clear_button(page.view, lang, key="by_region_clear")
    target_progress(page)
    tabs = st.tabs([plain(ref.region_name(r, lang)) for r in regions])
    for region, tab in zip(regions, tabs, strict=True):
        with tab:
            if region in silent:
                st.info(
                    t(
                        "pages.by_region.never_reported",
                        lang,
                        region=plain(ref.region_name(region, lang)),
                    )
                )
                continue
            panorama(page, region)


d.run("pages.by_region.title", body)
