"""The reporting calendar: for each region and reporting period (reporting_periods.csv), whether
its register came on time, late, or not at all, and what its reviewer decided.

A period's submission is the region's first upload (a sample load or an HQ restore is no
submission) from the period's last day on: on time up to the due date, late after it, until the
next period's last day, when an upload starts to count for that next period instead. One upload
therefore answers one period only. Nothing received by the due date is `missing` (late, with
nothing to show); before the due date the period is `open`.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics.i18n import fmt_date, t
from analytics.store.reviews import SUBMITTED, Review, latest_reviews

ON_TIME, LATE, MISSING, OPEN = "on_time", "late", "missing", "open"
STATES = (ON_TIME, LATE, MISSING, OPEN)


@dataclass(frozen=True)
class Period:
    code: str
    first_day: date
    last_day: date
    due_date: date


def periods_of(table: pd.DataFrame) -> list[Period]:
    """Reference.reporting_periods as Periods, in date order."""
    return [
        Period(r.period, r.first_day, r.last_day, r.due_date)
        for r in table.sort_values("first_day").itertuples(index=False)
    ]


def begun(periods: list[Period], today: date, count: int | None = None) -> list[Period]:
    """The periods begun by `today` (the latest `count` of them), oldest first."""
    started = [p for p in periods if p.first_day <= today]
    return started[-count:] if count else started


def last_due(periods: list[Period], today: date) -> Period | None:
    """The latest period whose due date has passed: the one `remind` is about by default."""
    past = [p for p in periods if p.due_date < today]
    return past[-1] if past else None


def submissions(
    versions: pd.DataFrame,
    periods: list[Period],
    regions: list[str],
    today: date,
    reviews: dict[int, Review] | None = None,
) -> pd.DataFrame:
    """One row per region and period: state, days_late, version (number), version_id,
    submitted_on (date) and review (submitted, approved or returned) of the version counted.

    `versions` is Store.versions() (every region); `reviews` maps version ids to their latest
    review (store.reviews.latest_reviews)."""
    reviews = reviews or {}
    uploads = versions[versions["status"] == "upload"].sort_values("created_at")
    uploads = uploads.assign(on=pd.to_datetime(uploads["created_at"], utc=True).dt.date)
    ordered = sorted(periods, key=lambda p: p.first_day)
    rows = []
    for region in regions:
        mine = uploads[uploads["region"] == region]
        for i, period in enumerate(ordered):
            window_ends = ordered[i + 1].last_day if i + 1 < len(ordered) else None
            found = mine[mine["on"] >= period.last_day]
            if window_ends is not None:
                found = found[found["on"] < window_ends]
            rows.append(_row(region, period, found.iloc[0] if len(found) else None, today, reviews))
    columns = ["region", "period", "state", "days_late", "version", "version_id", "submitted_on"]
    return pd.DataFrame(rows, columns=[*columns, "review", "due_date"])


def _row(region: str, period: Period, version, today: date, reviews: dict) -> dict:
    row = {"region": region, "period": period.code, "due_date": period.due_date}
    if version is None:
        late = (today - period.due_date).days
        state = MISSING if late > 0 else OPEN
        return row | {"state": state, "days_late": max(late, 0), "review": None}
    on = version["on"]
    late = (on - period.due_date).days
    review = reviews.get(int(version["id"]))
    return row | {
        "state": LATE if late > 0 else ON_TIME,
        "days_late": max(late, 0),
        "version": int(version["number"]),
        "version_id": int(version["id"]),
        "submitted_on": on,
        "review": review.decision if review is not None else SUBMITTED,
    }


def late_regions(grid: pd.DataFrame, period: str) -> list[str]:
    """The regions with nothing received for `period` once it is due (those `remind` writes to)."""
    rows = grid[(grid["period"] == period) & (grid["state"] == MISSING)]
    return rows["region"].tolist()


def store_grid(store, reference, today: date) -> pd.DataFrame:
    """`submissions` of every region of the reference data for every period, from the store's
    versions and their reviews (the data-quality grid and `remind` read the same one)."""
    versions = store.versions()
    reviews = latest_reviews(store.engine, versions["id"].astype(int).tolist())
    periods = periods_of(reference.reporting_periods)
    return submissions(versions, periods, reference.region_codes, today, reviews)


def recent_grid(store, reference, today: date, count: int = 4) -> pd.DataFrame:
    """`store_grid` for the latest `count` periods begun by `today`."""
    shown = begun(periods_of(reference.reporting_periods), today, count)
    if not shown:
        return pd.DataFrame()
    # The whole calendar decides each window (the period after a shown one ends it).
    grid = store_grid(store, reference, today)
    return grid[grid["period"].isin([p.code for p in shown])].reset_index(drop=True)


def cell_text(row, lang: str) -> str:
    """One cell of the region × period grid, in words: "on time (v3, 12 Jan 2026) — approved"."""
    c = "calendar."
    if row["state"] == OPEN:
        return t(c + "open", lang, due=fmt_date(row["due_date"], lang))
    if row["state"] == MISSING:
        return t(c + "missing", lang, count=int(row["days_late"]))
    said = t(
        c + row["state"],
        lang,
        count=int(row["days_late"]),
        version=int(row["version"]),
        on=fmt_date(row["submitted_on"], lang),
    )
    review = t(f"review.state_{row['review']}", lang)
    return f"{said} — {review}"


def grid_frame(grid: pd.DataFrame, region_name, lang: str) -> pd.DataFrame:
    """The region × period grid as a reader sees it: a row per region, a column per period."""
    if grid.empty:
        return pd.DataFrame()
    words = grid.assign(text=[cell_text(r, lang) for _, r in grid.iterrows()])
    table = words.pivot(index="region", columns="period", values="text")
    table.columns.name = None
    table = table.reindex(index=list(dict.fromkeys(grid["region"])))
    table = table[list(dict.fromkeys(grid["period"]))]
    table.index = [region_name(r) for r in table.index]
    table.index.name = t("calendar.region", lang)
    return table.reset_index()
