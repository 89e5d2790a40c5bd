"""Gap analysis: strategic objective × region, partners active in the period; empty cells stand out."""

import streamlit as st

from analytics import charts
from analytics.i18n import t
from ui import dashboard as d
from ui import filters as f


def body(page: d.Page) -> None:
    with d.section(page.lang, "gap matrix"):
        matrix_section(page)
    f.clear_button(page.view, page.lang, key="gaps_clear")


def matrix_section(page: d.Page) -> None:
    lang, ref, view = page.lang, page.reference, page.view
    matrix = d.call("gap_matrix", page.period, page.filters)
    if matrix.empty or matrix.shape[1] == 0:
        st.info(t("pages.gaps.no_objectives", lang))
        return
    gaps = int((matrix == 0).to_numpy().sum())
    st.markdown(t("pages.gaps.summary", lang, gaps=gaps, cells=matrix.size))
    figure = d.figure(page, "gaps", lambda: charts.gap_heatmap(matrix, ref, lang))
    event = d.chart(figure, "chart_gaps")
    f.apply_click(event, "chart_gaps", view, "regions")
    st.caption(t("pages.gaps.help", lang))


d.run("pages.gaps.title", body)
