"""Widgets of the review cycle: where a region's version stands, and the list of versions waiting."""

import pandas as pd
import streamlit as st

from analytics.i18n import t
from analytics.services.review import State, Waiting
from analytics.store.history import fmt_when, uploader_name
from analytics.store.reviews import APPROVED, RETURNED
from analytics.text import plain


def state_text(state: State, region: str, lang: str) -> str:
    """'Version 3 of RBD: returned by diane on …' (plain text)."""
    values = {
        "number": state.version.number,
        "region": region,
        "state": t(f"review.state_{state.state}", lang),
    }
    if state.review is None:
        return t("review.state_line", lang, **values)
    return t(
        "review.state_line_by",
        lang,
        who=state.review.reviewer,
        when=fmt_when(state.review.at, lang),
        **values,
    )


def show_state(state: State | None, region: str, lang: str) -> None:
    """The review state of a region's current version, and a returned version's comment, for its
    focal point (upload and data-quality pages). Nothing before the region's first version."""
    if state is None:
        return
    line = plain(state_text(state, region, lang))
    if state.state == RETURNED:
        comment = plain(t("review.returned_comment", lang, comment=state.review.comment))
        st.warning(f"{line}  \n{comment}  \n{t('review.answer_returned', lang)}")
    elif state.state == APPROVED:
        st.success(line)
    else:  # the usual state of a new version: said quietly
        st.caption(line)


def waiting_frame(pending: list[Waiting], region_name, lang: str) -> pd.DataFrame:
    """One row per version waiting: region, version, sent by, sent on, last approved."""
    return pd.DataFrame(
        {
            t("review.col_region", lang): [region_name(w.region) for w in pending],
            t("review.col_version", lang): [w.version.number for w in pending],
            t("review.col_by", lang): [uploader_name(w.version.uploader, lang) for w in pending],
            t("review.col_at", lang): [fmt_when(w.version.created_at, lang) for w in pending],
            t("review.col_approved", lang): [
                w.current.number if w.current else "–" for w in pending
            ],
        }
    )


def not_approved_badges(counted: dict, approved: bool, lang: str) -> None:
    """A badge for each region whose counted version is not approved: its current version when
    the latest are counted, or no version at all when only approved ones are and it has none."""
    badges = []
    for region, (state, last_approved) in sorted(counted.items()):
        if approved and last_approved is None:
            badges.append(t("review.badge_none_approved", lang, region=region))
        elif not approved and state.state != APPROVED:
            badges.append(
                t(
                    "review.badge_not_approved",
                    lang,
                    region=region,
                    number=state.version.number,
                    state=t(f"review.state_{state.state}", lang),
                )
            )
    if badges:
        # Region codes and translated words only: nothing typed by a user reaches the Markdown.
        st.markdown(
            t("review.badges_intro", lang)
            + " "
            + " ".join(f":orange-badge[{plain(b)}]" for b in badges)
        )
