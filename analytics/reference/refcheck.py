"""The rules of the reference files, declared once: checked when an admin saves a file
(analytics.services.refdata) and whenever a file is loaded (analytics.reference.load), by the app and the CLI.

A problem is a message key and its values (`findings`), put into words in the reader's language
(`problems`, `ReferenceDataError.message`). No pandas reading and no Streamlit here: the two
modules that use it import it, never the other way round.
"""

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

import pandas as pd
import pycountry

from analytics.i18n import t

CODE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


@dataclass(frozen=True)
class Spec:
    """A reference file: its columns, the key that must be unique, and how each column is checked."""

    columns: tuple[str, ...]
    key: tuple[str, ...]
    checks: dict[
        str, str
    ]  # column -> required, code, year, year?, date, positive, number, currency, region, region?, countries
    optional: tuple[str, ...] = ("source",)


# The files admins edit (code lists are tied to the workbook schema: changed with the code).
FILES: dict[str, Spec] = {
    "regions": Spec(
        ("code", "name_en", "name_fr", "bureau", "countries"),
        ("code",),
        {
            "code": "code",
            "name_en": "required",
            "name_fr": "required",
            "bureau": "required",
            "countries": "countries",
        },
        optional=(),
    ),
    "exchange_rates": Spec(
        ("currency", "year", "usd_per_unit", "source"),
        ("currency", "year"),
        {"currency": "currency", "year": "year", "usd_per_unit": "positive"},
    ),
    "budgets": Spec(
        ("region", "year", "budget_usd", "source"),
        ("region", "year"),
        {"region": "region", "year": "year", "budget_usd": "positive"},
    ),
    "targets": Spec(
        ("indicator", "region", "year", "target", "source"),
        ("indicator", "region", "year"),
        {"indicator": "indicator", "region": "region?", "year": "year?", "target": "number"},
    ),
    # When each region owes a new version of its register (the data-quality grid, `remind`).
    "reporting_periods": Spec(
        ("period", "first_day", "last_day", "due_date", "source"),
        ("period",),
        {"period": "code", "first_day": "date", "last_day": "date", "due_date": "date"},
    ),
    "strategic_objectives": Spec(
        ("code", "name_en", "name_fr"),
        ("code",),
        {"code": "code", "name_en": "required", "name_fr": "required"},
        optional=(),
    ),
    # Not edited in the app, but read by every page: checked on load like the others.
    "codelists": Spec(
        ("list", "code", "label_en"),
        ("list", "code"),
        {"list": "required", "code": "code", "label_en": "required"},
        optional=(),
    ),
}
EDITABLE = tuple(name for name in FILES if name != "codelists")


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes."""
    return frozenset(c.alpha_3 for c in pycountry.countries)


@cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 alphabetic codes."""
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def _bad(value: str, check: str, regions: set[str]) -> str | None:
    """The problem key for one cell, or None."""
    if check.endswith("?"):
        if value == "":
            return None
        check = check[:-1]
    if value == "":
        return "required"
    if check == "code" and not CODE.match(value):
        return "code"
    if check == "year" and not (value.isdigit() and 1900 <= int(value) <= 2200):
        return "year"
    if check in ("number", "positive"):
        try:
            number = float(value)
        except ValueError:
            return "number"
        if not math.isfinite(number):  # "nan", "inf" and "1e999" parse, but are no numbers
            return "number"
        if check == "positive" and not number > 0:
            return "positive"
    if check == "date" and as_date(value) is None:
        return "date"
    if check == "currency" and value.upper() not in currency_codes():
        return "currency"
    if check == "region" and value not in regions:
        return "region"
    if check == "indicator" and value not in indicator_ids():
        return "indicator"
    return None


def as_date(value: str) -> date | None:
    """An ISO date (2026-03-31) of a reference file, else None."""
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _period_findings(cells: pd.DataFrame) -> list[tuple[str, dict]]:
    """Reporting periods in order: first day ≤ last day ≤ due date, and no two periods sharing a
    day (a version would count for both). Rows with an unreadable date are already named."""
    out: list[tuple[str, dict]] = []
    spans = []
    for i, row in enumerate(cells.to_dict("records"), start=2):
        first, last, due = (as_date(row[c]) for c in ("first_day", "last_day", "due_date"))
        if first is None or last is None or due is None:
            continue
        if last < first:
            out.append(("refadmin.problem.period_ends_first", {"row": i, "value": row["period"]}))
        elif due < last:
            out.append(("refadmin.problem.due_before_end", {"row": i, "value": row["period"]}))
        else:
            spans.append((first, last, i, row["period"]))
    spans.sort()
    for (_, end, _, before), (start, _, row, period) in zip(spans, spans[1:], strict=False):
        if start <= end:
            out.append(
                ("refadmin.problem.periods_overlap", {"row": row, "value": period, "other": before})
            )
    return out


@cache
def indicator_ids() -> frozenset[str]:
    """The catalogue's indicator ids, as its messages declare them (`[indicators.<id>]`): the
    catalogue itself (analytics.indicators, a higher layer) is not imported here; a test checks
    that both name the same ids."""
    from analytics.i18n import catalogue

    return frozenset(
        key.split(".")[1]
        for key in catalogue("en")
        if key.startswith("indicators.") and key.endswith(".definition")
    )


def findings(name: str, frame: pd.DataFrame, regions: set[str]) -> list[tuple[str, dict]]:
    """Every problem of a reference file as (message key, values); empty when it is valid.

    `frame` holds text cells; `regions` are the codes of regions.csv (for regions.csv itself,
    its own codes are used). Rows are numbered as in the file, the header being row 1.
    """
    spec = FILES[name]
    required = [c for c in spec.columns if c not in spec.optional]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        return [
            (
                "refadmin.problem.missing_columns",
                {"columns": ", ".join(missing), "count": len(missing)},
            )
        ]
    if frame.empty:
        return [("refadmin.problem.empty", {})]
    cells = frame.fillna("").astype(str).apply(lambda s: s.str.strip())
    if name == "regions":
        regions = set(cells["code"])
    countries = country_codes()
    out: list[tuple[str, dict]] = []
    for i, row in enumerate(cells.to_dict("records"), start=2):  # row 1 is the header
        for column, check in spec.checks.items():
            value = row.get(column, "")
            if check == "countries":
                for code in [c.strip().upper() for c in value.split(";") if c.strip()]:
                    if code not in countries:
                        out.append(
                            (
                                "refadmin.problem.country",
                                {"row": i, "column": column, "value": code},
                            )
                        )
                continue
            key = _bad(value, check, regions)
            if key:
                out.append(
                    (f"refadmin.problem.{key}", {"row": i, "column": column, "value": value})
                )
    if name == "reporting_periods":
        out.extend(_period_findings(cells))
    # One row per key: currencies compare as the conversions read them (upper case).
    key_cells = cells[list(spec.key)].apply(lambda s: s.str.upper() if s.name == "currency" else s)
    # Joined column by column (a row-wise agg calls Python once per row through pandas).
    keys = pd.Series([" / ".join(r) for r in zip(*(key_cells[c] for c in spec.key), strict=True)])
    for i in keys[keys.duplicated()].index:
        out.append(("refadmin.problem.duplicate", {"row": int(i) + 2, "what": keys[i]}))
    return out


def problems(name: str, frame: pd.DataFrame, regions: set[str], lang: str = "en") -> list[str]:
    """Every problem of a reference file, as sentences in the user's language (empty: valid)."""
    return [t(key, lang, **values) for key, values in findings(name, frame, regions)]


class ReferenceDataError(Exception):
    """A reference file cannot be used: which file, and its problems (row, column, value)."""

    SHOWN = 3  # problems put in the sentence; the file names the rest when it is opened

    def __init__(self, file: str, found: list[tuple[str, dict]]):
        self.file, self.found = file, found
        super().__init__(self.message("en"))

    def problems(self, lang: str = "en") -> list[str]:
        return [t(key, lang, **values) for key, values in self.found]

    def message(self, lang: str = "en") -> str:
        """One sentence for a page or the command line, in the reader's language."""
        listed = self.problems(lang)
        text = " ".join(listed[: self.SHOWN])
        if len(listed) > self.SHOWN:
            text += " " + t("reference_error.more", lang, count=len(listed) - self.SHOWN)
        return t("reference_error.invalid", lang, file=self.file, problems=text)
