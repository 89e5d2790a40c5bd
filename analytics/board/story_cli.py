"""`python -m analytics summary`: the board's story of a view, as sentences or as JSON.

The store and the period are picked as `export` picks them (`prepared_for_cli`, `cli_filters`:
the store's register, or the samples the app would seed when it is empty, never written; the
latest year with data by default). Exit statuses: 0 written (even when nothing changed), 2 bad
usage (region, year, store).
"""

import json
import sys

from analytics.board import slides, story
from analytics.board.exports import UsageError, cli_filters, read_for_cli, story_inputs


def write_summary(items: list[story.Item], period, fmt: str, lang: str, out) -> None:
    """One sentence a line (or the sentence saying nothing changed), or a JSON list of items."""
    if fmt == "json":
        out.write(json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=2))
        out.write("\n")
        return
    for text in [i.text for i in items] or [story.nothing_changed(period, lang)]:
        out.write(text + "\n")


def cli_summary(args) -> int:
    """`python -m analytics summary [--db URL] [--year Y] [--region CODE] [--lang en|fr] [--format text|json]`."""
    lang = getattr(args, "lang", "en") or "en"
    year, region = getattr(args, "year", None), getattr(args, "region", None)
    try:
        prepared, vintage = read_for_cli(getattr(args, "db", None), lang)
        filters = cli_filters(prepared, year, region, lang)
        removed = story_inputs(getattr(args, "db", None), vintage)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    period = slides.resolve_period(prepared, year)
    items = story.summary(prepared, period, filters, lang, removals=removed)
    write_summary(items, period, getattr(args, "format", "text") or "text", lang, sys.stdout)
    return 0
