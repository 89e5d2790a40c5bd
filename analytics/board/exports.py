"""Board deck exports: PowerPoint and PDF files of `analytics.board.slides`, and `python -m analytics export`.

`export(deck, fmt)` gives the file's bytes for the app's download buttons; `cli_export` writes
the same file from the command line, from the store (from the samples the app would seed when
it is empty, never writing to it). Exit statuses: 0 written, 2 bad usage (extension, region,
year, path, store).
"""

import logging
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from analytics import indicators as ind
from analytics.board import evidence, slides
from analytics.i18n import t

FORMATS = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}
log = logging.getLogger(__name__)


def export(deck: slides.Deck, fmt: str) -> bytes:
    """The deck as a .pptx or .pdf file's bytes."""
    if fmt == "pptx":
        from analytics.board.pptx_deck import write_pptx

        return write_pptx(deck)
    if fmt == "pdf":
        from analytics.board.pdf_deck import write_pdf

        return write_pdf(deck)
    raise ValueError(f"unknown format {fmt!r}")


def file_name(deck: slides.Deck, fmt: str) -> str:
    """board-2024.pptx, board-2022-2024-RBD.pdf: what the deck shows, in the name."""
    a, b = deck.period
    return f"board-{a}{'' if a == b else f'-{b}'}-{deck.lang}.{fmt}"


class UsageError(Exception):
    """A bad argument: exit status 2 with this message."""


def deck_for(
    prepared: ind.Prepared,
    year: int | None,
    region: str | None,
    lang: str,
    vintage: tuple[evidence.Vintage, ...] | None = None,
    db_url: str | None = None,
) -> slides.Deck:
    """The deck of the command line's view; UsageError for a region that does not exist (a year
    with no data is the empty view, as `indicators` answers it: see indicators.no_data_note)."""
    filters = cli_filters(prepared, year, region, lang)
    removed = story_inputs(db_url, vintage)
    return slides.build_deck(prepared, year, filters, lang, vintage=vintage, removals=removed)


def story_inputs(db_url: str | None, vintage) -> list:
    """What the story needs beyond the prepared register, from the store: the versions that
    removed rows with a reason (analytics.store.removals). None for the samples read in memory
    from an empty store: they were never uploaded, so nothing was removed."""
    if vintage is None or any(v.status == evidence.SAMPLE_READ for v in vintage):
        return []
    from analytics.store.removals import removals
    from analytics.store.versions import open_store

    store = open_store(db_url)
    try:
        return removals(store)
    finally:
        store.close()


def cli_filters(
    prepared: ind.Prepared, year: int | None, region: str | None, lang: str
) -> ind.Filters:
    """The filters of `--region` (`export`, `summary`); UsageError for a region that does not
    exist. A year with no data is no error: its view is empty, and a note says so."""
    reference = prepared.reference
    if region is not None and region.upper() not in reference.region_codes:
        raise UsageError(
            t("board.errors.region", lang, region=region, known=", ".join(reference.region_codes))
        )
    ind.no_data_note(prepared, year, lang)
    return ind.Filters(regions=(region.upper(),) if region else ())


def prepared_for_cli(db_url: str | None, lang: str) -> ind.Prepared:
    """The store's register prepared against the reference data (`export`, `summary`); an empty
    store gives the samples the app would seed, read in memory; nothing is written."""
    return read_for_cli(db_url, lang)[0]


def read_for_cli(
    db_url: str | None, lang: str, approved: bool = False
) -> tuple[ind.Prepared, tuple[evidence.Vintage, ...] | None]:
    """`prepared_for_cli` and the versions it was read from (for the samples of an empty store,
    which are in no store, the sample workbooks read now: evidence.sample_vintages); `approved`:
    each region's latest approved version (`--approved`)."""
    from analytics.reference.load import load_reference
    from analytics.reference.refcheck import ReferenceDataError
    from analytics.store.versions import open_store

    reference = load_reference()  # a damaged file stops here: python -m analytics says which
    try:
        frames, samples = ind.register_for_cli(db_url, approved)
        partners, contributions, agreements, reports = frames
        vintage = None
        if not samples:
            store = open_store(db_url)
            try:
                vintage = evidence.vintages(store, approved=approved)
            finally:
                store.close()
    except ReferenceDataError:  # the samples are read against it: said by the command line
        raise
    except Exception as exc:  # noqa: BLE001 - a bad URL or an unreachable server: one line, no traceback
        raise UsageError(t("board.errors.store", lang, reason=exc)) from exc
    if samples:
        print(f"note: {t('indicators_cli.empty_store', lang)}", file=sys.stderr)
        # The vintage of what is shown: the samples, read now, labelled as sample data.
        regions = partners["region"].dropna().astype(str) if "region" in partners else []
        vintage = evidence.sample_vintages(regions, datetime.now(UTC))
    return ind.prepare(partners, contributions, reference, agreements, reports), vintage


def with_counted(deck: slides.Deck, approved: bool, lang: str) -> slides.Deck:
    """The deck whose title slide says which data it counts (latest or approved versions)."""
    said = t("review.counts_approved" if approved else "review.counts_latest", lang)

    def told(s: slides.Slide) -> slides.Slide:
        if s.kind != "title":
            return s
        if s.items:  # a line of its own under the view and the filters, in the body's type
            return replace(s, items=(*s.items[:2], said, *s.items[2:]))
        return replace(s, subtitle=f"{s.subtitle} · {said}" if s.subtitle else said)

    return replace(deck, slides=tuple(told(s) for s in deck.slides))


def cli_export(args) -> int:
    """`python -m analytics export OUT.pptx|OUT.pdf [--db URL] [--year Y] [--region CODE] [--lang en|fr]`."""
    lang = getattr(args, "lang", "en") or "en"
    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    try:
        if fmt not in FORMATS:
            raise UsageError(t("board.errors.extension", lang, name=out.name))
        approved = bool(getattr(args, "approved", False))
        prepared, vintage = read_for_cli(getattr(args, "db", None), lang, approved)
        db_url = getattr(args, "db", None)
        year, region = getattr(args, "year", None), getattr(args, "region", None)
        deck = deck_for(prepared, year, region, lang, vintage, db_url)
        deck = with_counted(deck, approved, lang)
        data = export(deck, fmt)
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise UsageError(
                t("board.errors.unwritable", lang, path=out, reason=exc.strerror or exc)
            ) from exc
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{out} ({len(deck.slides)} slides)")
    return 0
