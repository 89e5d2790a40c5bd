"""The store's history as people read it: completeness, versions and uploads, in their language."""

import pandas as pd

from analytics.access.roles import SYSTEM
from analytics.i18n import fmt_date, t
from analytics.reference.load import Reference


def fmt_when(value, lang: str) -> str:
    """A stored UTC time as a date and hh:mm (UTC), or empty."""
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return f"{fmt_date(stamp, lang)} {stamp:%H:%M} UTC"


def completeness_frame(
    table: pd.DataFrame, reference: Reference, lang: str, year: int
) -> pd.DataFrame:
    """Store.completeness as a table: one row per region, submitted this year or not, current version."""

    def q(key, **kw):
        return t(f"quality.{key}", lang, **kw)

    return pd.DataFrame(
        {
            q("region"): [reference.region_name(r, lang) for r in table["region"]],
            q("submitted", year=year): table["submitted"].astype(bool).tolist(),
            q("last_submitted"): [fmt_when(v, lang) for v in table["last_submitted_at"]],
            q("version"): table["version"].astype(int).tolist(),
            q("version_at"): [fmt_when(v, lang) for v in table["version_at"]],
            q("by"): [
                uploader_name(u, lang) if isinstance(u, str) else "" for u in table["version_by"]
            ],
            q("file"): table["file_name"].fillna("").tolist(),
            q("partners"): table["n_partners"].astype(int).tolist(),
            q("contributions"): table["n_contributions"].astype(int).tolist(),
            q("sample"): table["is_sample"].astype(bool).tolist(),
        }
    )


def missing_regions(table: pd.DataFrame) -> list[str]:
    """Regions that have not submitted in the year of the completeness table."""
    return table.loc[~table["submitted"].astype(bool), "region"].tolist()


def uploader_name(name: str, lang: str) -> str:
    """Who made a version, as the reader says it: the samples' maker is named in the language
    ("données d'exemple"), a person by their name."""
    return t("quality.sample_uploader", lang) if name == SYSTEM.name else name


def stored_uploader(shown: str, lang: str) -> str:
    """The name a store keeps for who a reader names: `uploader_name` the other way round."""
    return SYSTEM.name if shown == t("quality.sample_uploader", lang) else shown


def versions_frame(versions: pd.DataFrame, lang: str, reviews: dict | None = None) -> pd.DataFrame:
    """Store.versions of one region as a table, newest first; with `reviews` (version id -> its
    latest review, store.reviews.latest_reviews), the review state of each version."""

    def q(key, **kw):
        return t(f"quality.{key}", lang, **kw)

    return pd.DataFrame(
        {
            q("number"): versions["number"].astype(int).tolist(),
            q("current"): versions["current"].astype(bool).tolist(),
            q("status"): [q(f"status_{s}") for s in versions["status"]],
            q("version_at"): [fmt_when(v, lang) for v in versions["created_at"]],
            q("by"): [uploader_name(u, lang) for u in versions["uploader"]],
            q("file"): versions["file_name"].tolist(),
            q("partners"): versions["n_partners"].astype(int).tolist(),
            q("contributions"): versions["n_contributions"].astype(int).tolist(),
            q("restored_from"): [
                "" if pd.isna(v) else str(int(v)) for v in versions["restored_from"]
            ],
            q("sample"): versions["is_sample"].astype(bool).tolist(),
            t("removals.column", lang): _reasons(versions),
        }
        | (
            {}
            if reviews is None
            else {t("review.state_column", lang): _reviews(versions, reviews, lang)}
        )
    )


def _reviews(versions: pd.DataFrame, reviews: dict, lang: str) -> list[str]:
    """ "approved by Hawa on 3 Dec 2026", "returned by … — comment", or "submitted"."""
    said = []
    for version_id in versions["id"].astype(int):
        review = reviews.get(version_id)
        if review is None:
            said.append(t("review.state_submitted", lang))
            continue
        text = t(
            "review.state_by",
            lang,
            state=t(f"review.state_{review.decision}", lang),
            who=review.reviewer,
            when=fmt_date(review.at, lang),
        )
        said.append(f"{text} — {review.comment}" if review.comment else text)
    return said


def _reasons(versions: pd.DataFrame) -> list[str]:
    """Why each version removed rows, as its uploader said it ("" when it removed none)."""
    if "removal_reason" not in versions:
        return [""] * len(versions)
    return ["" if v is None or pd.isna(v) else str(v) for v in versions["removal_reason"]]


def outcome(status: str, lang: str) -> str:
    return t(f"quality.outcome_{status}", lang)


def uploads_frame(uploads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Store.uploads of one region as a table: every file sent, what became of it."""

    def q(key, **kw):
        return t(f"quality.{key}", lang, **kw)

    return pd.DataFrame(
        {
            q("uploaded_at"): [fmt_when(v, lang) for v in uploads["uploaded_at"]],
            q("by"): [uploader_name(u, lang) for u in uploads["uploader"]],
            q("file"): uploads["file_name"].tolist(),
            q("upload_status"): [outcome(s, lang) for s in uploads["status"]],
            q("number"): ["" if pd.isna(v) else str(int(v)) for v in uploads["version"]],
            q("errors"): uploads["n_errors"].astype("Int64").tolist(),
            q("warnings"): uploads["n_warnings"].astype("Int64").tolist(),
            q("size"): (uploads["size"].astype(float) / 1024).round(1).tolist(),
        }
    )


def upload_choice(row, lang: str) -> str:
    """How one upload is named in a picker."""
    return f"{fmt_when(row['uploaded_at'], lang)} · {row['file_name']} · {outcome(row['status'], lang)}"
