"""The evidence behind the deck's numbers: what the speaker notes of every chart slide and the
PDF's last page say.

For a view: the period, the filters, the data vintage (for each region in scope, the version
counted, who uploaded it and when, approved or not, from the store's version records and
reviews) and the completeness of
the period (which regions in scope have a register in the store). A chart slide's notes add the
definitions of its indicators. The store is read by the callers (`vintages`), never here.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from analytics import indicators as ind
from analytics.i18n import fmt_date, labelled, t
from analytics.indicators import views
from analytics.indicators.format import describe_filters, period_label
from analytics.store.reviews import SUBMITTED, approved_versions, latest_reviews, state_of


@dataclass(frozen=True)
class Vintage:
    """The version of a region's register that the deck counts."""

    region: str
    number: int
    uploader: str
    created_at: datetime
    status: str  # upload, restore or sample
    review: str = SUBMITTED  # its review state: submitted (not approved yet), approved, returned


def vintages(store, approved: bool = False) -> tuple[Vintage, ...]:
    """The version of every region of a store that is counted, in region order: the current one,
    or (`approved`, as `--approved` and the pages' switch count) the latest approved one; each
    with its review state."""
    counted = approved_versions(store.engine) if approved else store.current_versions()
    reviews = latest_reviews(store.engine, [v.id for v in counted.values()])
    return tuple(
        Vintage(
            v.region,
            int(v.number),
            str(v.uploader),
            v.created_at,
            str(v.status),
            state_of(reviews.get(v.id)),
        )
        for _, v in sorted(counted.items())
    )


SAMPLE_READ = "sample_read"  # a sample workbook read in memory for an empty store, never stored


def sample_vintages(regions: Iterable[str], read_at: datetime) -> tuple[Vintage, ...]:
    """What the commands show on an empty store: the sample workbooks, read in memory (as the app
    would seed them, as version 1 of each region, by "sample data"), at `read_at`."""
    from analytics.access.roles import SYSTEM

    return tuple(Vintage(r, 1, SYSTEM.name, read_at, SAMPLE_READ) for r in sorted(set(regions)))


def evidence_lines(
    prepared: ind.Prepared,
    period: tuple[int, int],
    filters: ind.Filters,
    vintage: Sequence[Vintage] | None,
    lang: str,
) -> tuple[str, ...]:
    """Period, filters, the version counted for each region in scope, completeness."""
    lines = [
        labelled(t("board.period", lang), period_label(period), lang),
        labelled(
            t("board.filters", lang),
            describe_filters(filters, prepared.reference, lang, "board.filter"),
            lang,
        ),
    ]
    regions = views.regions_in_scope(prepared, filters)
    if vintage is None:
        lines.append(t("board.evidence.vintage_unknown", lang))
        return tuple(lines)
    known = {v.region: v for v in vintage}
    lines.append(t("board.evidence.vintage", lang))
    for region in regions:
        v = known.get(region)
        if v is None:
            lines.append(t("board.evidence.no_version", lang, region=region))
            continue
        line = t(
            f"board.evidence.version_{v.status}",
            lang,
            region=region,
            number=v.number,
            uploader=v.uploader,
            date=fmt_date(v.created_at, lang),
        )
        if v.status == SAMPLE_READ:  # in no store: never submitted, never reviewed
            lines.append(line)
            continue
        review = t(f"board.evidence.review.{v.review}", lang)
        lines.append(t("board.evidence.with_review", lang, line=line, review=review))
    missing = [r for r in regions if r not in known]
    if missing:
        lines.append(
            t(
                "board.evidence.incomplete",
                lang,
                count=len(regions) - len(missing),
                total=len(regions),
                missing=", ".join(missing),
            )
        )
    elif any(v.status == SAMPLE_READ for v in vintage):
        lines.append(t("board.evidence.samples_complete", lang, count=len(regions)))
    else:
        lines.append(t("board.evidence.complete", lang, count=len(regions)))
    return tuple(lines)


def chart_notes(indicators: Sequence[str], lines: Sequence[str], lang: str) -> str:
    """A chart slide's speaker notes: its indicators' definitions, then the evidence lines."""
    definitions = [labelled(ind.name(i, lang), ind.definition(i, lang), lang) for i in indicators]
    return "\n".join([*definitions, "", *lines])
