"""By partnership type: for each of the four types, the indicators the IOM strategy sets for it."""

import streamlit as st

from analytics import charts
from analytics import indicators as ind
from analytics.i18n import t
from analytics.text import plain
from ui import dashboard as d
from ui import filters as f


def body(page: d.Page) -> None:
    lang, ref, view = page.lang, page.reference, page.view
    ids = list(ind.CATALOGUE)
    chosen = st.selectbox(
        t("pages.by_type.compare", lang),
        ids,
        index=ids.index("contributions_usd"),
        format_func=lambda i: ind.name(i, lang),
        key="by_type_indicator",
    )
    with d.section(lang, "by type chart"):
        frame = d.call("compute", page.period, ("partnership_type",), page.filters, None, [chosen])
        figure = d.figure(
            page,
            "by_type",
            lambda: charts.by_type(
                frame, chosen, ref, lang, origins=d.origins(page, chosen, ("partnership_type",))
            ),
            chosen,
        )
        event = d.chart(figure, "chart_types")
        f.apply_click(event, "chart_types", view, "partnership_types")
        st.caption(
            ind.definition(chosen, lang, page.period) + " " + t("pages.click_to_filter", lang)
        )
    f.clear_button(view, lang, key="by_type_clear")

    types = [
        c
        for c in ref.codes("partnership_type")
        if not page.filters.partnership_types or c in page.filters.partnership_types
    ]
    for code in types:
        with st.container(border=True):
            st.subheader(plain(ref.label("partnership_type", code, lang)))
            st.caption(t(f"pages.by_type.why.{code}", lang))
            with d.section(lang, f"by type {code}"):
                type_section(page, code)


def type_section(page: d.Page, code: str) -> None:
    lang, ref = page.lang, page.reference
    narrowed = f.narrow(page.filters, partnership_types=(code,))
    counts = d.call(
        "compute",
        page.period,
        (),
        narrowed,
        None,
        ["active_partners", "prospects", "contributing_partners"],
    ).iloc[0]
    if not counts.any():
        label = plain(ref.label("partnership_type", code, lang))
        st.info(t("pages.by_type.none", lang, type=label))
        return
    d.metric_cards(page, ind.BY_TYPE.get(code, ind.OVERVIEW), narrowed)


d.run("pages.by_type.title", body)
