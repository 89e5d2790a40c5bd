"""Messages from one folder of TOML files per language (locales/xx/*.toml) and Babel formatting.

Each area of the product keeps its messages in its own file (core, template, store, indicators…),
merged per language. Adding a language is adding `locales/xx/` (and `label_xx` columns in the
reference data): no code changes. Missing keys fall back to English so a half-translated file never crashes.
"""

import math
import tomllib
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import numbers
from babel.dates import format_date as _babel_format_date

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LANG = "en"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = str(value)
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of a language, keyed `section.name`."""
    messages: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as f:
            messages.update(_flatten(tomllib.load(f)))
    return messages


def languages() -> list[str]:
    """The languages that have a catalogue, English first."""
    langs = sorted(p.parent.name for p in LOCALES_DIR.glob("*/core.toml"))
    return sorted(langs, key=lambda x: x != DEFAULT_LANG)


def language_name(lang: str) -> str:
    return catalogue(lang).get("meta.language_name", lang)


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANG).get(key)
    if text is None:
        return key
    return text.format(**values) if values else text


def has(key: str, lang: str = DEFAULT_LANG) -> bool:
    return key in catalogue(lang) or key in catalogue(DEFAULT_LANG)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_number(x, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    if _missing(x):
        return t("ui.no_data", lang)
    return numbers.format_decimal(round(float(x), digits), locale=lang)


def fmt_money(x, lang: str = DEFAULT_LANG, compact: bool = True, currency: str = "USD") -> str:
    """1.2M USD style for cards and axes; the full figure when compact is False."""
    if _missing(x):
        return t("ui.no_data", lang)
    if compact and abs(x) >= 10_000:
        return numbers.format_compact_currency(x, currency, locale=lang, fraction_digits=1)
    return numbers.format_currency(x, currency, locale=lang)


def fmt_percent(x, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    if _missing(x):
        return t("ui.no_data", lang)
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return numbers.format_percent(x, pattern, locale=lang)


def fmt_date(d, lang: str = DEFAULT_LANG) -> str:
    if _missing(d) or d is None:
        return ""
    if isinstance(d, datetime):
        d = d.date()
    elif not isinstance(d, date):
        d = d.to_pydatetime().date()
    return _babel_format_date(d, "medium", locale=lang)
