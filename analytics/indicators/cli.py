"""`python -m analytics indicators`: the indicator table as CSV or JSON.

`indicator_table` is the command line's table (group columns, the year or the range, one column
per catalogue id); `write_table` writes it (NaN and ±inf as empty cells or null);
`register_for_cli` reads the store's current register, or the samples the app would seed when it
is empty, without writing to the user's database (the `export` command uses it too).
"""

import sys
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from analytics import config
from analytics.i18n import t
from analytics.indicators.compute import current
from analytics.indicators.prepare import YEAR, Prepared, latest_year, prepare, years_with_data
from analytics.indicators.scope import GROUPINGS, Filters, period_bounds
from analytics.indicators.target_rules import targets_of, with_targets


def indicator_table(
    prepared: Prepared,
    year=None,
    by: Sequence[str] = (),
    filters: Filters | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """Group columns, `year` (or `year_from`, `year_to` for a range), then one column per indicator id.

    The same values as the cards: in today's unfinished year the flows count to today (rows
    dated later have not happened yet), stocks as they are (`compute.current`)."""
    if year is None:
        year = latest_year(prepared, today) or (today or config.today()).year
    first, last = period_bounds(year)
    table = current(prepared, (first, last), by, filters, today)
    if first == last:
        table.insert(len(by), YEAR, first)
    else:
        table.insert(len(by), "year_from", first)
        table.insert(len(by) + 1, "year_to", last)
    return table


def with_target_columns(prepared: Prepared, table: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """The table with `<id>_target` beside each indicator that has a target for some group."""
    if table.empty:
        return table
    year = int(table["year_to"].iloc[0] if "year_to" in table else table[YEAR].iloc[0])
    regions = [] if "region" not in by else None
    found = targets_of(prepared.reference, table[list(by)], "region", regions, year)
    out = table.copy()
    for i in with_targets(prepared.reference):
        if i in out.columns and found[i].notna().any():
            out.insert(out.columns.get_loc(i) + 1, f"{i}_target", found[i].to_numpy())
    return out


def parse_by(text: str | None) -> list[str]:
    """'region,partnership_type' -> ['region', 'partnership_type']; ValueError if unknown."""
    by = [b.strip() for b in (text or "").split(",") if b.strip()]
    if any(b not in GROUPINGS for b in by) or len(set(by)) != len(by):
        raise ValueError(
            f"--by takes a comma-separated subset of {','.join(GROUPINGS)}, not '{text}'"
        )
    return by


def write_table(table: pd.DataFrame, fmt: str, out) -> None:
    """CSV, or JSON as a list of records with NaN ("no data") written as null.

    An infinite value (a sum that overflowed) is no data too: an empty cell, null, never "inf".
    """
    numeric = table.select_dtypes("number").columns
    table = table.assign(**{c: table[c].replace([np.inf, -np.inf], np.nan) for c in numeric})
    if fmt == "json":
        out.write(table.to_json(orient="records", force_ascii=False, double_precision=15, indent=2))
        out.write("\n")
    else:
        table.to_csv(out, index=False, lineterminator="\n")


def _no_store_yet(url: str) -> bool:
    """True when nothing was ever stored at `url`: an SQLite file that does not exist, or a
    database without the store's tables. Opening it would create them; a reader must not."""
    from analytics.store.engine import has_store

    return not has_store(url)


def register_for_cli(
    db_url: str | None, approved: bool = False
) -> tuple[tuple[pd.DataFrame, ...], bool]:
    """The current register of the store (partners, contributions, agreements, reports), or,
    when it is empty, the samples the app would seed; True when these are the samples.

    The app seeds an empty store with the sample workbooks when it opens it; the commands that
    only read (`indicators`, `export`) load the same samples through the same code path into a
    throw-away in-memory store, so they show the numbers the app shows without writing to the
    user's database (a store that does not exist yet is not even created).
    `approved`: each region's latest approved version instead (`--approved`; the samples of an
    empty store were never approved, so nothing is counted then).
    """
    from analytics.store.reviews import load_approved, load_approved_follow_up
    from analytics.store.versions import database_url, open_store

    def load(opened) -> tuple[pd.DataFrame, ...]:
        if approved:
            return (*load_approved(opened), *load_approved_follow_up(opened))
        return (*opened.load_current(), *opened.load_follow_up())

    url = database_url(db_url)
    if not _no_store_yet(url):
        store = open_store(url)
        try:
            if not store.is_empty():
                return load(store), False
        finally:
            store.close()
    scratch = open_store("sqlite://")
    try:
        scratch.seed_samples_if_empty()
        return load(scratch), True
    finally:
        scratch.close()


def no_data_note(prepared: Prepared, year: int | None, lang: str = "en") -> None:
    """Say on stderr that a year asked for has no data: `indicators` and `export` both answer it
    with the empty view (zeros, "no data") and exit 0, as the pages do."""
    years = years_with_data(prepared)
    if year is not None and year not in years:
        listed = ", ".join(map(str, years)) or "-"
        note = t("indicators_cli.no_data_year", lang, year=year, years=listed)
        print(f"note: {note}", file=sys.stderr)


def cli_indicators(args) -> int:
    """`python -m analytics indicators`: print the indicator table as CSV or JSON."""
    from analytics.reference.load import load_reference
    from analytics.reference.refcheck import ReferenceDataError

    try:
        by = parse_by(getattr(args, "by", ""))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    reference = load_reference()  # a damaged file stops here: python -m analytics says which
    try:
        frames, samples = register_for_cli(
            getattr(args, "db", None), bool(getattr(args, "approved", False))
        )
    except ReferenceDataError:  # the samples are read against it: said by the command line
        raise
    except Exception as exc:  # noqa: BLE001 - a bad URL or an unreachable server: one line, no traceback
        print(f"error: cannot read the store: {exc}", file=sys.stderr)
        return 2
    if samples:
        print(f"note: {t('indicators_cli.empty_store')}", file=sys.stderr)
    partners, contributions, agreements, reports = frames
    prepared = prepare(partners, contributions, reference, agreements, reports)
    no_data_note(prepared, getattr(args, "year", None))
    table = indicator_table(prepared, getattr(args, "year", None), by)
    if getattr(args, "format", "csv") == "json":
        table = with_target_columns(prepared, table, by)
    write_table(table, getattr(args, "format", "csv"), sys.stdout)
    return 0
