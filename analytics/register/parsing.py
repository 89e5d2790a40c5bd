"""Understanding values as people type them, one column at a time, vectorised.

Each parser takes the raw cell values of a column (as python-calamine gives them: str, float,
bool, date/datetime, "" for empty) and returns the parsed column plus the cells it could not
understand. Columns with few distinct values (codes, yes/no, countries) are parsed once per
distinct value, which keeps 100,000-row sheets fast.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow
import pycountry
from babel import Locale

from analytics.i18n import catalogue, languages
from analytics.reference.load import currency_codes, normalise

# Yes and no as typed in any language: these, plus each language's words (locales/xx/core.toml).
TRUE_MARKS = {"1", "x", "1.0"}
FALSE_MARKS = {"0", "0.0"}
DATE_FORMATS = (
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d/%m/%y",
    "%Y-%m-%d %H:%M:%S",
)
# A bare number in a date column is read as Excel's day count only when it falls in this range:
# 45292 is 2024-01-01, but 2024 (a year typed in a cell formatted as a number) is 1905-07-16.
SERIAL_DATES = (date(1990, 1, 1), date(2100, 12, 31))
# Day 0 of Excel's serial dates (Windows workbooks; past 1900-02-28, where the range above lies,
# no leap-year correction applies). Computed here: reading never needs openpyxl, a slow import.
SERIAL_EPOCH = datetime(1899, 12, 30)
# Characters below U+0020 other than tab, LF and CR, and the _xHHHH_ escapes that stand for them
# in the XML (Excel decodes those when it opens a file: text holding one is just as broken).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|_x(?:000[0-8bBcCeEfF]|001[0-9a-fA-F])_")
SPACES = re.compile(r"[\s\u00a0\u202f']")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
NUMBER_KINDS = ("floating", "integer", "mixed-integer-float")  # pandas' infer_dtype, no bool


@dataclass
class Parsed:
    values: pd.Series
    # One entry per cell not understood: (position in the column, error code, extra message values)
    problems: list[tuple[int, str, dict]] = field(default_factory=list)
    # Cells understood but worth a warning: (position, warning code, extra message values)
    notes: list[tuple[int, str, dict]] = field(default_factory=list)


def display(value) -> str:
    """A cell value as the user typed it, for messages."""
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def control_character(text) -> str | None:
    """'a\x01b' or 'a_x0001_b' -> 'U+0001'; None when the text holds no control character."""
    m = CONTROL.search(text) if isinstance(text, str) else None
    if m is None:
        return None
    found = m.group()
    return f"U+{(int(found[2:6], 16) if len(found) > 1 else ord(found)):04X}"


def shown(value) -> str:
    """A cell value as typed, for messages, its control characters made visible ('␁')."""
    text = display(value)
    if CONTROL.search(text) is None:
        return text
    return re.sub(r"[\x00-\x1f]", lambda m: chr(0x2400 + ord(m.group())), text)


def control_problems(raw: np.ndarray, distinct=None) -> list[tuple[int, str, dict]]:
    """The cells of a column whose text holds a control character, as parse problems.

    `distinct`: the column's (codes, uniques) when already computed (see _distinct)."""
    codes, uniques = distinct if distinct is not None else _distinct(raw)
    chars = [control_character(v) for v in uniques]
    if not any(chars):
        return []
    chars.append(None)  # code -1 (empty)
    return [
        (int(pos), "control_character", {"char": chars[code]})
        for pos, code in enumerate(codes)
        if chars[code]
    ]


def _distinct(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's index into the column's distinct values (-1 when empty), and those values.

    One hash pass in C; everything after it works per distinct value, which is what makes a
    100,000-row column of a few dozen codes cheap. "", None and cells of spaces are empty.
    """
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    blank = np.fromiter(
        (type(v) is str and not v.strip() for v in uniques), dtype=bool, count=len(uniques)
    )
    if blank.any():
        codes = np.where((codes >= 0) & blank[np.maximum(codes, 0)], -1, codes)
    return codes, uniques


def _empty_mask(raw: np.ndarray) -> np.ndarray:
    return _distinct(raw)[0] < 0


def _map_distinct(
    raw: np.ndarray, parse_one, distinct=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse each distinct non-empty value once: the results per distinct value (None when bad;
    a last None answers empty cells), each cell's index into them, the cells not understood."""
    codes, uniques = distinct if distinct is not None else _distinct(raw)
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [parse_one(v) for v in uniques]
    results[-1] = None
    index = np.where(codes < 0, len(uniques), codes)
    bad = np.flatnonzero((codes >= 0) & np.equal(results, None)[index])
    return results, index, bad


def _from_lookup(raw: np.ndarray, lookup_one, error_code: str, error_values=None) -> Parsed:
    """Parse a column whose values map one to one through `lookup_one(value) -> result or None`."""
    distinct = _distinct(raw)
    results, index, bad = _map_distinct(raw, lookup_one, distinct)
    # A control character is the first thing to say about a cell (the report keeps one per cell).
    problems = control_problems(raw, distinct) + [
        (int(pos), error_code, error_values(raw[pos]) if error_values else {}) for pos in bad
    ]
    # The column from its few distinct values with one take in Arrow, not one object per cell.
    return Parsed(pd.Series(pd.array(results, dtype="str").take(index)), problems)


def parse_text(raw: np.ndarray) -> Parsed:
    """Free text and identifiers: trimmed; numbers typed in a text column lose their '.0'."""
    if pd.api.types.infer_dtype(raw, skipna=False) == "string":  # every cell is text (in C)
        # Straight into Arrow: pandas' own conversion would look at every cell again (2-3× slower).
        typed = pd.Series(pd.array(pyarrow.array(raw, type=pyarrow.large_string()), dtype="str"))
        problems = []
        # One regular-expression pass in Arrow; the cells it finds are looked at one by one.
        if typed.str.contains(CONTROL.pattern, regex=True).any():
            problems = control_problems(raw)
        s = typed.str.strip()
        return Parsed(s.mask(s == ""), problems)
    out = [
        None if (v is None or (isinstance(v, str) and not v.strip())) else display(v).strip()
        for v in raw
    ]
    return Parsed(pd.Series(out, dtype="str"), control_problems(raw))


def parse_code(raw: np.ndarray, lookup: dict[str, str], codelist: str) -> Parsed:
    """A code typed as the code or as its label in any language."""
    return _from_lookup(
        raw,
        lambda v: lookup.get(normalise(display(v))),
        "unknown_code",
        lambda v: {"codelist": codelist},
    )


def parse_codes(raw: np.ndarray, lookup: dict[str, str], codelist: str) -> Parsed:
    """A ';'-separated list of codes, stored as the codes joined by ';'."""

    def one(v):
        parts = [p for p in re.split(r"[;,\n]", display(v)) if p.strip()]
        codes = [lookup.get(normalise(p)) for p in parts]
        return None if None in codes else ";".join(dict.fromkeys(codes))

    return _from_lookup(raw, one, "unknown_code", lambda v: {"codelist": codelist})


@lru_cache(maxsize=1)
def country_lookup() -> dict[str, str]:
    """ISO alpha-3 code, alpha-2 code, English name or name in any language -> alpha-3."""
    names = [Locale(lang).territories for lang in languages() if lang != "en"]
    lookup = {}
    for c in pycountry.countries:
        local = [n.get(c.alpha_2) for n in names]
        for name in (c.alpha_3, c.name, getattr(c, "common_name", None), *local):
            if name:
                lookup.setdefault(normalise(name), c.alpha_3)
    return lookup


def parse_country(raw: np.ndarray) -> Parsed:
    lookup = country_lookup()
    return _from_lookup(raw, lambda v: lookup.get(normalise(display(v))), "bad_country")


def parse_currency(raw: np.ndarray) -> Parsed:
    codes = currency_codes()
    return _from_lookup(
        raw, lambda v: s if (s := display(v).strip().upper()) in codes else None, "bad_currency"
    )


def _words(key: str) -> set[str]:
    """The words of every language for `key` ("oui, o, vrai"), normalised."""
    words = set()
    for lang in languages():
        words |= {normalise(w) for w in catalogue(lang).get(key, "").split(",") if w.strip()}
    return words


@lru_cache(maxsize=1)
def bool_words() -> tuple[frozenset, frozenset]:
    """The values read as yes and as no: marks such as 1/0/x, and each language's words."""
    return (
        frozenset(TRUE_MARKS | _words("parsing.yes_words")),
        frozenset(FALSE_MARKS | _words("parsing.no_words")),
    )


def _bool_one(v, words):
    if isinstance(v, bool):
        return v
    word = normalise(display(v)) if not isinstance(v, float) else display(v)
    if word in words[0]:
        return True
    if word in words[1]:
        return False
    return None


def parse_bool(raw: np.ndarray) -> Parsed:
    words = bool_words()
    results, index, bad = _map_distinct(raw, lambda v: _bool_one(v, words))
    problems = [(int(pos), "bad_bool", {}) for pos in bad]
    return Parsed(pd.Series(pd.array(results[index], dtype="boolean")), problems)


def _serial_date(v: float) -> datetime | None:
    """A number read as Excel's serial day count, when that is a date of 1990–2100."""
    try:
        # As openpyxl's from_excel: whole days, then the fraction of a day to the millisecond.
        day, fraction = divmod(v, 1)
        d = SERIAL_EPOCH + timedelta(days=day, milliseconds=round(fraction * 86_400_000))
    except (ValueError, OverflowError, TypeError):
        return None
    first, last = SERIAL_DATES
    return d if isinstance(d, datetime) and first <= d.date() <= last else None


def _date_example(v: float) -> str:
    """What to type instead of the number `v`: its year's last day when it looks like a year."""
    year = int(v) if float(v).is_integer() and 1900 <= v <= 2100 else 2025
    return f"31/12/{year}"


def _date_one(v):
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    if isinstance(v, float | int) and not isinstance(v, bool):
        # A number cell (a real date cell is read as a date): a serial day count, if plausible.
        return _serial_date(v)
    if isinstance(v, str):
        s = v.strip()
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(s, fmt)
            except ValueError:
                continue
    return None


def parse_date(raw: np.ndarray) -> Parsed:
    if pd.api.types.infer_dtype(raw, skipna=False) in ("datetime", "date"):  # only real dates
        return Parsed(pd.to_datetime(pd.Series(raw, dtype=object)).astype("datetime64[us]"))
    empty = _empty_mask(raw)
    positions = np.flatnonzero(~empty)
    out = np.full(len(raw), None, dtype=object)
    problems = []
    # Real Excel dates (the common case) convert in one go; text is parsed per distinct value.
    is_dt = np.fromiter((isinstance(v, date) for v in raw), dtype=bool, count=len(raw))
    dt_pos = np.flatnonzero(is_dt)
    out[dt_pos] = raw[dt_pos]
    other = np.setdiff1d(positions, dt_pos, assume_unique=True)
    if len(other):
        distinct = {v: _date_one(v) for v in pd.unique(raw[other])}
        for pos in other:
            v = raw[pos]
            result = distinct[v]
            if result is not None:
                out[pos] = result
            elif isinstance(v, float | int) and not isinstance(v, bool):
                problems.append((int(pos), "number_in_date", {"example": _date_example(v)}))
            else:
                problems.append((int(pos), "bad_date", {}))
    values = pd.to_datetime(pd.Series(out, dtype=object), errors="coerce").astype("datetime64[us]")
    return Parsed(values, problems)


def _grouped(digits: str, sep: str) -> bool:
    """'1,234,567' is grouped by thousands with sep ','; '12,5,0' is not (a typing slip)."""
    return re.fullmatch(rf"[+-]?\d{{1,3}}(?:\{sep}\d{{3}})+", digits) is not None


def decimal_separator(lang: str) -> str:
    """The decimal separator people of a language type ("," in French): how '1,234' is read."""
    return catalogue(lang).get("parsing.decimal_separator", ".")


def parse_amount_text(text: str, decimal: str = ".") -> tuple[float | None, bool]:
    """'1 234,50', '1,234.50', '1.234,5' -> 1234.5; the flag says the reading was ambiguous.

    `decimal`: the separator assumed when only that reading is ambiguous ('1,234')."""
    t = SPACES.sub("", text).strip("$€£")
    ambiguous = False
    if "," in t and "." in t:
        decimal = "," if t.rfind(",") > t.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        whole, _, fraction = t.rpartition(decimal)
        if thousands in whole and not _grouped(whole, thousands):
            return None, False
        t = whole.replace(thousands, "") + "." + fraction
    elif "," in t or "." in t:
        sep = "," if "," in t else "."
        if t.count(sep) > 1:
            if not _grouped(t, sep):
                return None, False
            t = t.replace(sep, "")
        elif re.fullmatch(rf"[+-]?\d{{1,3}}\{sep}\d{{3}}", t):
            # '1,234' or '1.234': a thousands separator in one convention, a decimal in the other.
            ambiguous = True
            thousands = sep != decimal
            t = t.replace(sep, "") if thousands else t.replace(sep, ".")
        else:
            t = t.replace(",", ".")
    return (float(t), ambiguous) if PLAIN_NUMBER.fullmatch(t) else (None, False)


def parse_number(raw: np.ndarray, decimal: str = ".") -> Parsed:
    if pd.api.types.infer_dtype(raw, skipna=False) in NUMBER_KINDS:  # only numbers (seen in C)
        empty, is_num = np.zeros(len(raw), dtype=bool), np.ones(len(raw), dtype=bool)
    else:
        empty = _empty_mask(raw)
        is_num = np.fromiter(
            (isinstance(v, float | int) and not isinstance(v, bool) for v in raw),
            dtype=bool,
            count=len(raw),
        )
    out = np.full(len(raw), np.nan)
    num_pos = np.flatnonzero(is_num)
    out[num_pos] = raw[num_pos].astype(float)
    # inf, -inf and NaN come from cells such as <v>1e309</v>: never an amount, always an error.
    infinite = num_pos[~np.isfinite(out[num_pos])]
    out[infinite] = np.nan
    problems = [(int(pos), "not_finite", {}) for pos in infinite]
    notes = []
    other = np.flatnonzero(~empty & ~is_num)
    if len(other):
        distinct = {
            v: (parse_amount_text(v, decimal) if isinstance(v, str) else (None, False))
            for v in pd.unique(raw[other])
        }
        for pos in other:
            number, ambiguous = distinct[raw[pos]]
            if number is None:
                problems.append((int(pos), "bad_number", {}))
            elif not math.isfinite(number):  # '1' and 400 zeros is a number, not a finite one
                problems.append((int(pos), "not_finite", {}))
            else:
                out[pos] = number
                if ambiguous:
                    notes.append((int(pos), "ambiguous_number", {"number": number}))
    return Parsed(pd.Series(out, dtype="float64"), problems, notes)
