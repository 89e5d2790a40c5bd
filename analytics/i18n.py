"""Messages from one folder of TOML files per language (locales/xx/*.toml) and Babel formatting.

Each area of the product keeps its messages in its own file (core, template, store, indicators…),
merged per language. Adding a language is adding `locales/xx/` (and `label_xx` columns in the
reference data): no code changes. Missing keys fall back to English so a half-translated file never crashes.
"""

import math
import re
import tomllib
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale, numbers
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


def _text(key: str, lang: str) -> str | None:
    return catalogue(lang).get(key) or catalogue(DEFAULT_LANG).get(key)


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled.

    A message that depends on a number is a table of plural forms in the TOML (`one`, `other`,
    and any other CLDR category the language has): given `count=`, the language's form of that
    number is chosen by Babel's plural rules ("1 entrée", "2 entrées"), `other` when it lacks one.
    """
    text = _text(key, lang)
    if text is None and "count" in values and _text(f"{key}.other", lang) is not None:
        form = Locale.parse(lang).plural_form(abs(values["count"]))
        text = _text(f"{key}.{form}", lang) or _text(f"{key}.other", lang)
    if text is None:
        return key
    return text.format(**values) if values else text


def labelled(label: str, value, lang: str = DEFAULT_LANG) -> str:
    """ "Period: 2026" / "Période : 2026": a label and its value as the language punctuates them."""
    return t("ui.labelled", lang, label=label, value=value)


def has(key: str, lang: str = DEFAULT_LANG) -> bool:
    return any(k in catalogue(lang) or k in catalogue(DEFAULT_LANG) for k in (key, f"{key}.other"))


# From this size on, a number is written in scientific form ("1.2E25"): no compact word is that
# large, and Babel's decimal arithmetic gives up on the full figure.
HUGE = 1e15


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def finite(x) -> float | None:
    """x as a float, or None when it is no number at all: None, NaN, NA, ±inf."""
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _scientific(x: float | Decimal, lang: str) -> str:
    return numbers.format_scientific(x, "0.0#E0", locale=lang)


def _affixes(pattern: str) -> tuple[str, str]:
    """The text before and after the number in a Babel pattern ("¤#,##0.00" -> "¤", "")."""
    prefix, _, suffix = re.split(r"([#0,.]+)", pattern.split(";")[0], maxsplit=1)
    return prefix, suffix


def fmt_number(x, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    """A number in the language; "no data" when it is none (NaN, ±inf), 1.2E25 when huge."""
    value = finite(x)
    if value is None:
        return t("ui.no_data", lang)
    if abs(value) >= HUGE:
        return _scientific(value, lang)
    return numbers.format_decimal(round(value, digits), locale=lang)


def _symbol(currency: str) -> str:
    """The short symbol people write in every language: "$", not "$US"."""
    return numbers.get_currency_symbol(currency, DEFAULT_LANG)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@cache
def _full_money_pattern(lang: str, currency: str) -> numbers.NumberPattern:
    """The language's currency pattern with cents only when there are some and the symbol
    quoted in as a literal, parsed once (a table writes thousands of amounts)."""
    pattern = _locale(lang).currency_formats["standard"].pattern
    return numbers.parse_pattern(
        pattern.replace("0.00", "0.##").replace(
            "¤", "'" + _symbol(currency).replace("'", "''") + "'"
        )
    )


def fmt_money(x, lang: str = DEFAULT_LANG, compact: bool = True, currency: str = "USD") -> str:
    """$1.2M / 1,2 M $ for cards and axes; the full figure when compact is False: $1,234,567.8 / 1 234 567,8 $.

    "no data" for NaN or ±inf; from HUGE on, scientific whatever `compact`: $1.2E25.
    """
    x = finite(x)
    if x is None:
        return t("ui.no_data", lang)
    if abs(x) >= HUGE or (compact and abs(x) >= 10_000):
        # The language's currency pattern says where the sign and the symbol go.
        prefix, suffix = _affixes(_locale(lang).currency_formats["standard"].pattern)
        number = (
            _scientific(abs(x), lang)
            if abs(x) >= HUGE
            else numbers.format_compact_decimal(abs(x), locale=lang, fraction_digits=1)
        )
        sign = numbers.get_minus_sign_symbol(lang) if x < 0 else ""
        return (
            sign
            + prefix.replace("¤", _symbol(currency))
            + number
            + suffix.replace("¤", _symbol(currency))
        )
    # As numbers.format_decimal(x, pattern, locale=lang) writes it, without parsing both again.
    return _full_money_pattern(lang, currency).apply(
        x, _locale(lang), decimal_quantization=True, group_separator=True, numbering_system="latn"
    )


def fmt_percent(x, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """4.8% / 4,8 %; "no data" for NaN or ±inf, scientific when huge (a growth from almost 0)."""
    x = finite(x)
    if x is None:
        return t("ui.no_data", lang)
    # The language's own pattern ("4.8%", "4,8 %") with `digits` decimals.
    pattern = Locale.parse(lang).percent_formats[None].pattern
    if abs(x) * 100 >= HUGE:
        prefix, suffix = _affixes(pattern)
        return prefix + _scientific(Decimal(x) * 100, lang) + suffix  # x * 100 may overflow
    if digits:
        pattern = re.sub(r"0(?![0#.,])", "0." + "0" * digits, pattern)
    return numbers.format_percent(x, pattern, locale=lang)


def fmt_date(d, lang: str = DEFAULT_LANG) -> str:
    if _missing(d) or d is None:
        return ""
    if isinstance(d, datetime):
        d = d.date()
    elif not isinstance(d, date):
        d = d.to_pydatetime().date()
    return _babel_format_date(d, "medium", locale=lang)
