"""Review: the submitted versions waiting, each with its change against the last approved one,
approved or returned with a comment. The refusals are the review service's (services.review)."""

import streamlit as st

from analytics.access.roles import Refused
from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.services import review
from analytics.store.history import fmt_when
from analytics.store.reviews import APPROVED, MAX_COMMENT, RETURNED
from analytics.text import plain
from ui import review_view, tables, upload_view
from ui.auth import signed_in_user
from ui.data import store, version_change
from ui.state import lang as current_lang

lang = current_lang()
reference = load_reference()
user = signed_in_user(lang)


def region_name(code: str) -> str:
    return reference.region_name(code, lang)


def _review(item: review.Waiting, decision: str, comment: str) -> None:
    """Review, then say what happened on the next run (the version leaves the list)."""
    try:
        review.review(
            store(),
            item.region,
            decision,
            user=user,
            comment=comment,
            version_id=item.version.id,
        )
    except (Refused, review.ReviewError) as refused:
        st.session_state["review_flash"] = ("error", refused.message(lang))
        return
    done = "approved_done" if decision == APPROVED else "returned_done"
    message = t(f"review.{done}", lang, number=item.version.number, region=region_name(item.region))
    st.session_state["review_flash"] = ("success", message)


st.title(t("review.title", lang))
st.caption(t("review.intro", lang))
flash = st.session_state.pop("review_flash", None)
if flash is not None:
    getattr(st, flash[0])(plain(flash[1]))

pending = review.waiting(store(), user, reference, change=version_change)
if not pending:
    st.info(t("review.nothing_waiting", lang))
    st.stop()
tables.dataframe(review_view.waiting_frame(pending, region_name, lang), lang)
by_id = {w.version.id: w for w in pending}
picked = st.selectbox(
    t("review.pick", lang),
    list(by_id),
    format_func=lambda i: t(
        "review.pick_option",
        lang,
        region=region_name(by_id[i].region),
        number=by_id[i].version.number,
    ),
    key="review_pick",
)
item = by_id[picked]
st.subheader(
    plain(
        t(
            "review.version_heading",
            lang,
            region=region_name(item.region),
            number=item.version.number,
            who=item.version.uploader,
            when=fmt_when(item.version.created_at, lang),
        )
    )
)
upload_view.show_change(item, lang, reviewing=True)
comment = st.text_area(
    t("review.comment", lang, maximum=MAX_COMMENT),
    max_chars=MAX_COMMENT,
    key=f"review_comment_{picked}",
)
# The service refuses one's own upload anyway; the buttons say it before a click.
own = item.version.uploader.strip().casefold() == user.name.strip().casefold()
if own:
    st.info(
        review.ReviewError("own_upload", region=item.region, number=item.version.number).message(
            lang
        )
    )
approve, send_back = st.columns(2)
if approve.button(t("review.approve", lang), type="primary", disabled=own, key="review_approve"):
    _review(item, APPROVED, comment)
    st.rerun()
if send_back.button(t("review.return", lang), disabled=own, key="review_return"):
    _review(item, RETURNED, comment)
    st.rerun()
