"""Finding a register's sheets and header rows as people lay them out, in any language.

The names and headers accepted come from the locale folders (`sheets.*`, `headers.*` and the
column labels `columns.*` of every language), so a workbook in a new language is read once its
folder exists. What cannot be read is said with codes and values (analytics.register.report).
"""

from functools import cache

import pandera.pandas as pa

from analytics.i18n import catalogue, languages
from analytics.reference.load import normalise
from analytics.register.report import ERROR, Issue
from analytics.register.sheet_scan import letters as column_letters
from schemas.workbook import ALL_SHEETS, Column

HEADER_SEARCH_ROWS = 30  # the header may sit below a few title rows
HEADER_LOOKAHEAD_ROWS = 1000  # searched further only to say where a header too low sits


def sheet_names(model: type[pa.DataFrameModel]) -> tuple[str, ...]:
    """The names a sheet is accepted under: its English name first, then each language's."""
    name = model.Config.name
    return tuple(
        dict.fromkeys(
            [name, *(catalogue(lang).get(f"sheets.{name}", name) for lang in languages())]
        )
    )


def header_aliases(column: Column) -> tuple[str, ...]:
    """The headers the template writes for a column, its name first, then each language's."""
    local = (catalogue(lang).get(f"headers.{column.name}", column.name) for lang in languages())
    return tuple(dict.fromkeys([column.name, *local]))


@cache
def _header_names(column: Column) -> frozenset[str]:
    """Every header accepted for a column: its name, its header and its label in any language."""
    names = {normalise(a) for a in header_aliases(column)}
    for lang in languages():
        label = catalogue(lang).get(f"columns.{column.name}")
        if label:
            names.add(normalise(label))
    return frozenset(names)


def _matches(row: list, accepted: dict[str, set[str]]) -> dict[str, list[int]]:
    """Column name -> indexes of the cells of `row` whose header is accepted for it."""
    found: dict[str, list[int]] = {}
    for j, cell in enumerate(row):
        key = normalise(cell) if cell not in ("", None) else ""
        if not key:
            continue
        for name, names in accepted.items():
            if key in names:
                found.setdefault(name, []).append(j)
    return found


def find_header(
    rows: list[list], columns: list[Column], start: int = 0, stop: int = HEADER_SEARCH_ROWS
) -> tuple[int, dict[str, list[int]]]:
    """The header row (0-based) among rows[start:stop] and column name -> the indexes of the
    cells heading it (more than one is a duplicated column); the row matching most names wins."""
    accepted = {c.name: _header_names(c) for c in columns}
    best_row, best = start, {}
    for i, row in enumerate(rows[start:stop], start):
        found = _matches(row, accepted)
        if len(found) > len(best):
            best_row, best = i, found
    return best_row, best


def header_problems(rows, columns, sheet_name, header_row, matched) -> list[Issue]:
    """Why the header row cannot be read: a duplicated column, the header too low, columns
    missing. Each makes the sheet unreadable (exit status 2), as a missing column always has:
    the problem is the sheet's layout, not a cell, and which of two columns holds the data
    cannot be guessed; reading one silently would validate the wrong values."""
    header = rows[header_row] if rows else []
    issues = []
    for name, indexes in matched.items():
        if len(indexes) > 1:
            first, second = indexes[:2]
            params = {
                "sheet": sheet_name,
                "column": name,
                "first": str(header[first]).strip(),
                "first_letter": column_letters(first + 1),
                "second": str(header[second]).strip(),
                "second_letter": column_letters(second + 1),
            }
            second_header = params["second"]
            issues.append(
                Issue(
                    ERROR,
                    sheet_name,
                    header_row + 1,
                    name,
                    second_header,
                    "duplicate_column",
                    params,
                )
            )
    missing = [c for c in columns if c.required and c.name not in matched]
    if not missing:
        return issues
    required = {c.name for c in columns if c.required}
    later_row, later = find_header(rows, columns, HEADER_SEARCH_ROWS, HEADER_LOOKAHEAD_ROWS)
    searched = HEADER_SEARCH_ROWS
    if required <= set(later):
        params = {"sheet": sheet_name, "row": later_row + 1, "searched": searched}
        too_low = Issue(ERROR, sheet_name, later_row + 1, None, None, "header_too_low", params)
        return [*issues, too_low]
    if not matched:
        names = ", ".join(c.name for c in columns if c.required)
        params = {"sheet": sheet_name, "searched": searched, "names": names}
        return [*issues, Issue(ERROR, sheet_name, None, None, None, "header_not_found", params)]
    for c in missing:
        params = {"column": c.name, "sheet": sheet_name, "names": ", ".join(header_aliases(c))}
        issues.append(Issue(ERROR, sheet_name, None, c.name, None, "missing_column", params))
    return issues


def match_sheets(names: list[str]) -> dict[type[pa.DataFrameModel], str]:
    """Model -> the name of the sheet holding it among `names` (any language's name)."""
    by_norm = {normalise(n): n for n in names}
    found = {}
    for model in ALL_SHEETS:
        for a in sheet_names(model):
            if normalise(a) in by_norm:
                found[model] = by_norm[normalise(a)]
                break
    return found
