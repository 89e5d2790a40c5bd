"""Partners: search and sort every partner; a profile per partner with its history and follow-up."""

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from analytics import charts, config
from analytics import indicators as ind
from analytics.i18n import fmt_money, t
from analytics.indicators import follow_up_lists, views
from analytics.store.changes import field_label
from analytics.text import plain
from ui import dashboard as d
from ui import filters as f
from ui import tables

COLUMNS = views.PARTNERS_TABLE
PARAM = "partner"


def _shown(value) -> str:
    """Stored text for Markdown, as typed; a dash when there is none."""
    return plain(value) or "—"


def _yes_no(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return t("pages.partners.unknown", lang)
    return t("pages.partners.yes", lang) if bool(value) else t("pages.partners.no", lang)


def profile(page: d.Page, region: str, partner_id: str) -> None:
    lang, ref = page.lang, page.reference
    everyone = d.call("partners_table", page.period, ind.Filters())
    row = views.find_partner(everyone, region, partner_id)
    if row is None:
        # The reference comes from the link: shown as text, whatever it holds.
        ref_text = plain(views.partner_ref(region, partner_id))
        st.warning(t("pages.partners.not_found", lang, ref=ref_text))
        return
    with st.container(border=True, key="partner_profile"):
        top, close = st.columns([5, 1])
        top.subheader(_shown(row["partner_name"]))
        if close.button(
            t("pages.partners.close", lang), icon=":material/close:", key="close_profile"
        ):
            del st.query_params[PARAM]
            st.rerun()
        labels = views.with_labels(pd.DataFrame([row]), ref, lang).iloc[0]
        facts = [
            (t("columns.partner_id", lang), _shown(row["partner_id"])),
            (t("columns.region", lang), _shown(labels["region"])),
            (t("columns.category", lang), _shown(labels["category"])),
            (t("columns.partnership_type", lang), _shown(labels["partnership_type"])),
            (t("columns.country", lang), _shown(views.country_name(row["country"], lang))),
            (t("columns.stage", lang), _shown(labels["stage"])),
            (t("columns.start_date", lang), tables.date_text(row["start_date"], lang)),
            (t("columns.end_date", lang), tables.date_text(row["end_date"], lang)),
            (t("columns.sector", lang), _shown(row.get("sector"))),
        ]
        st.markdown("  \n".join(f"**{k}**: {v}" for k, v in facts))
        dd, mon, rev = st.columns(3)
        with dd:
            st.markdown(f"**{t('pages.partners.due_diligence', lang)}**")
            st.markdown(
                f"{_shown(labels['due_diligence'])} "
                f"{tables.date_text(row['due_diligence_date'], lang, '')}"
            )
        with mon:
            st.markdown(f"**{t('pages.partners.monitoring', lang)}**")
            st.markdown(
                t("pages.partners.focal_point", lang, name=_shown(row["focal_point"]))
                + "  \n"
                + t("pages.partners.kpis", lang, value=_yes_no(row["has_kpis"], lang))
                + "  \n"
                + t("pages.partners.evaluated", lang, value=_yes_no(row["evaluated"], lang))
            )
        with rev:
            st.markdown(f"**{t('pages.partners.review', lang)}**")
            last = tables.date_text(row["last_review"], lang, t("pages.partners.never", lang))
            status = t(
                "pages.partners.review_ok" if row["review_ok"] else "pages.partners.review_late",
                lang,
            )
            st.markdown(f"{last} · {status}")
        if isinstance(row.get("strategic_objectives"), str) and row["strategic_objectives"]:
            st.markdown(
                f"**{t('columns.strategic_objectives', lang)}**: "
                + plain(row["strategic_objectives"])
            )

        agreements(page, region, partner_id)
        history = d.call("partner_history", region, partner_id)
        st.markdown(f"**{t('pages.partners.history', lang)}**")
        if history.empty:
            st.info(t("pages.partners.no_history", lang))
            return
        figure = d.figure(
            page,
            "partner_history",
            lambda: charts.partner_history(views.history_by_year(history), ref, lang),
            region,
            partner_id,
        )
        d.chart(figure, "chart_partner", clickable=False)
        shown = history.sort_values("date", ascending=False)
        tables.show(
            shown,
            ["date", "status", "kind", "amount", "currency", "usd", "country", "description"],
            ref,
            lang,
            key="partner_contributions",
            money_help=t("provenance.column", lang),
        )


def agreements(page: d.Page, region: str, partner_id: str) -> None:
    """The partner's agreements (of the counted versions), each linking to its profile."""
    lang, ref = page.lang, page.reference
    st.markdown(f"**{t('pages.partners.agreements', lang)}**")
    prepared = page.prepared
    found = follow_up_lists.partner_agreements(
        prepared.agreements, prepared.reports, region, partner_id, config.today()
    )
    if found.empty:
        st.caption(t("pages.partners.no_agreements", lang))
        return
    extra = {"approved": "1"} if f.approved_only() else {}
    shown = pd.DataFrame(
        {
            "agreement_id": found["agreement_id"],
            "title": found["title"],
            "status": [ref.label("agreement_status", s, lang) for s in found["status"]],
            "start_date": [tables.date_text(x, lang) for x in found["start_date"]],
            "end_date": [tables.date_text(x, lang) for x in found["end_date"]],
            "amount": [
                "—" if pd.isna(a) else fmt_money(a, lang, compact=False, currency=str(c))
                for a, c in zip(found["amount"], found["currency"], strict=True)
            ],
            "overdue_reports": found["overdue_reports"],
            "link": [
                "agreements?" + urlencode({"agreement": r, "lang": lang, **extra})
                for r in found["ref"]
            ],
        }
    )
    names = {c: field_label(c, lang) for c in ("agreement_id", "title", "status")}
    names |= {c: field_label(c, lang) for c in ("start_date", "end_date")}
    names |= {
        "amount": t("pages.partners.committed", lang),
        "overdue_reports": t("pages.partners.overdue_reports", lang),
    }
    st.dataframe(
        shown.rename(columns=names),
        hide_index=True,
        key="partner_agreements",
        column_config={
            "link": st.column_config.LinkColumn(
                t("pages.partners.agreement_profile", lang),
                display_text=t("pages.partners.open_agreement", lang),
            )
        },
    )


def body(page: d.Page) -> None:
    lang = page.lang
    table = d.call("partners_table", page.period, page.filters)
    search, order = st.columns([3, 1])
    text = search.text_input(
        t("pages.partners.search", lang),
        key="partner_search",
        placeholder=t("pages.partners.search_hint", lang),
    )
    sort = order.selectbox(
        t("pages.partners.sort", lang),
        list(views.PARTNER_SORTS),
        key="partner_sort",
        format_func=lambda k: t(f"pages.partners.sort_{k}", lang),
    )
    with d.section(lang, "partners table"):
        partners_list(page, table, text, sort)
    chosen = views.parse_partner_ref(st.query_params.get(PARAM))
    if chosen:
        with d.section(lang, "partner profile"):
            profile(page, *chosen)
    else:
        st.caption(t("pages.partners.pick", lang))


def partners_list(page: d.Page, table, text: str, sort: str) -> None:
    """The partners found by the search, in the chosen order; a click on a row opens its profile."""
    lang, ref = page.lang, page.reference
    found = views.sort_partners(views.search_partners(table, text), sort)
    if found.empty:
        st.info(
            t(
                "pages.partners.none" if not text else "pages.partners.no_match",
                lang,
                text=plain(text),
            )
        )
    else:
        st.caption(t("pages.partners.count", lang, n=len(found), period=page.period_label()))
        event = tables.show(
            found,
            COLUMNS,
            ref,
            lang,
            key="partners_table",
            money_help=d.money_help(page),
            on_select="rerun",
            selection_mode="single-row",
        )
        rows = event.selection.rows if event is not None else []
        if rows:
            chosen = found.iloc[rows[0]]
            wanted = views.partner_ref(chosen["region"], chosen["partner_id"])
            if st.query_params.get(PARAM) != wanted:
                st.query_params[PARAM] = wanted


d.run("pages.partners.title", body)
