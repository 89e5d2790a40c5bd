"""Overview: the director's key indicators for the period, against the previous one, and charts."""

import streamlit as st

from analytics import charts
from analytics import indicators as ind
from analytics.i18n import t
from analytics.indicators import views
from analytics.indicators.views import region_of_country
from ui import dashboard as d
from ui import filters as f
from ui import story_view


def body(page: d.Page) -> None:
    lang, ref, view = page.lang, page.reference, page.view
    with d.section(lang, "overview cards"):
        d.metric_cards(page, ind.OVERVIEW)
    f.clear_button(view, lang, key="overview_clear")
    with d.section(lang, "overview story"):
        story_view.render(page)

    left, right = st.columns(2)
    with left:
        st.subheader(t("pages.overview.by_region", lang))
        with d.section(lang, "overview by region"):
            frame = d.call(
                "compute",
                page.period,
                ("region", "partnership_type"),
                page.filters,
                None,
                ["contributions_usd"],
            )
            figure = d.figure(
                page,
                "by_region",
                lambda: charts.contributions_by_region(
                    frame,
                    ref,
                    lang,
                    origins=d.origins(page, "contributions_usd", ("region", "partnership_type")),
                ),
            )
            event = d.chart(figure, "chart_by_region")
            f.apply_click(event, "chart_by_region", view, "regions")
            st.caption(t("pages.click_to_filter", lang))
    with right:
        st.subheader(t("pages.overview.share_vs_target", lang))
        with d.section(lang, "overview share"):
            frame = d.call("views.share_vs_target", page.period, page.filters)
            figure = d.figure(page, "share", lambda: charts.share_vs_target(frame, ref, lang))
            event = d.chart(figure, "chart_share")
            f.apply_click(event, "chart_share", view, "regions")
            st.caption(ind.definition("private_share_of_budget", lang, page.period))

    left, right = st.columns(2)
    with left:
        st.subheader(t("pages.overview.trend", lang))
        with d.section(lang, "overview trend"):
            frame = d.call(
                "timeseries", None, ("partnership_type",), page.filters, None, ["contributions_usd"]
            )
            figure = d.figure(
                page, "trend", lambda: charts.trend(frame, ref, lang, period=page.period)
            )
            event = d.chart(figure, "chart_trend")
            f.apply_click(event, "chart_trend", view, "period")
            st.caption(t("pages.overview.trend_help", lang))
    with right:
        st.subheader(t("pages.overview.concentration", lang))
        with d.section(lang, "overview concentration"):
            top = d.call("top_partners", page.period, page.filters, 10)
            shares = d.call(
                "compute", page.period, (), page.filters, None, ["top5_share", "top10_share"]
            ).iloc[0]
            st.markdown(
                t(
                    "pages.overview.concentration_text",
                    lang,
                    top5=ind.format_value("top5_share", shares["top5_share"], lang),
                    top10=ind.format_value("top10_share", shares["top10_share"], lang),
                ),
                help=ind.definition("top5_share", lang, page.period),
            )
            figure = d.figure(page, "top", lambda: charts.concentration(top, ref, lang))
            event = d.chart(figure, "chart_top")
            refs = charts.selected(event)
            if refs:
                st.switch_page(
                    "app_pages/dashboards/partners.py",
                    query_params={"partner": refs[0], "lang": lang},
                )
            st.caption(t("pages.overview.concentration_help", lang))

    st.subheader(t("pages.overview.map", lang))
    with d.section(lang, "overview map"):
        countries = d.call("beneficiary_countries", page.period, page.filters)
        if countries.empty:
            st.info(t("pages.no_countries", lang))
        else:
            figure = d.figure(page, "map", lambda: charts.beneficiary_map(countries, lang))
            event = d.chart(figure, "chart_map")
            f.apply_click(
                event, "chart_map", view, "regions", convert=lambda c: region_of_country(ref, c)
            )
            st.caption(t("pages.overview.map_help", lang))

    follow_up(page)


def follow_up(page: d.Page) -> None:
    """The follow-up of agreements (catalogue indicators), when the register has agreements."""
    if page.prepared.agreements.empty:
        return
    lang, ids = page.lang, list(ind.OVERVIEW_FOLLOW_UP)
    st.subheader(t("pages.overview.follow_up", lang))
    with d.section(lang, "overview follow-up"):
        row = d.call("compute", page.period, (), page.filters, None, ids).iloc[0]
        for column, i in zip(st.columns(len(ids)), ids, strict=True):
            column.markdown(
                f"**{ind.short(i, lang)}**  \n{ind.format_value(i, row[i], lang)}",
                help=ind.definition(i, lang, page.period),
            )
        st.caption(t("pages.overview.follow_up_help", lang))
        if st.button(
            t("pages.overview.follow_up_open", lang),
            key="overview_follow_up",
            icon=":material/arrow_forward:",
        ):
            params = views.to_params(page.view) | {"lang": lang}
            st.switch_page("app_pages/dashboards/agreements.py", query_params=params)


d.run("pages.overview.title", body)
