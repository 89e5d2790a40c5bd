"""Indicators as users read them: labels, values, the change against the previous period.

One formatter for every screen: the pages' cards (ui/dashboard.py), the board deck
(analytics/board/slides.py) and its exports all write a value with `format_value`, its change
against the previous period with `format_change` (a share changes in percentage points), what
it is compared with with `comparison_text` (like for like in an unfinished year), a period with
`period_label` and the filters in force with `describe_filters`. `catalogue_table`
is the catalogue in a language (the catalogue page). Money goes through `analytics.i18n`.
"""

import re

import numpy as np
import pandas as pd

from analytics.i18n import fmt_date, fmt_money, fmt_number, fmt_percent, labelled, t
from analytics.indicators.catalogue import CATALOGUE
from analytics.indicators.scope import FILTER_CODELISTS, Comparison, Filters
from analytics.reference.load import Reference
from analytics.text import plain


def name(indicator_id: str, lang: str = "en") -> str:
    return t(f"indicators.{indicator_id}.name", lang)


def short(indicator_id: str, lang: str = "en") -> str:
    """A short label for axes and cards (the name when there is none)."""
    key = f"indicators.{indicator_id}.short"
    text = t(key, lang)
    return name(indicator_id, lang) if text == key else text


def definition(indicator_id: str, lang: str = "en", period: tuple[int, int] | None = None) -> str:
    """The indicator's definition; with a one-year `period`, naming it ("dated in 2025" for
    "dated in Y", "Y−1" as 2024): shown next to a number, a letter reads as a glitch."""
    text = t(f"indicators.{indicator_id}.definition", lang)
    if period is None or period[0] != period[1]:
        return text
    year = int(period[1])
    symbol = re.escape(t("indicator_catalogue.year_symbol", lang))
    # A letter standing alone: not the "A" of a document symbol (UN A/66/320).
    text = re.sub(rf"(?<![\w/]){symbol}[−-]1\b", str(year - 1), text)
    return re.sub(rf"(?<![\w/]){symbol}(?![\w/])", str(year), text)


def unit(indicator_id: str) -> str:
    """The unit: count, usd or share."""
    return CATALOGUE[indicator_id].unit


def unit_label(indicator_id: str, lang: str = "en") -> str:
    return t(f"indicator_units.{unit(indicator_id)}", lang)


def format_unit_value(unit_name: str, value, lang: str = "en") -> str:
    """A value of a unit (count, usd, share) as users read it; "no data" for NaN, None or ±inf."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return t("ui.no_data", lang)
    if unit_name == "usd":
        return fmt_money(float(value), lang)
    if unit_name == "share":
        return fmt_percent(float(value), lang)
    return fmt_number(value, lang)


def format_value(indicator_id: str, value, lang: str = "en") -> str:
    """The value as shown to users: a count, an amount in USD or a percentage ("no data" if NaN)."""
    return format_unit_value(unit(indicator_id), value, lang)


def format_change(
    indicator_id: str, change, change_pct=None, lang: str = "en", unknown: str | None = None
) -> str:
    """A change against the previous period with its sign: "+3 (+12.5%)" (the % when known),
    "−$20K", and for a share in percentage points, "+1.2 pts". `unknown` (default "no data") is
    what an unknown change reads."""
    if not _is_finite(change):  # None, NaN, or ±inf from a sum that overflowed
        return t("ui.no_data", lang) if unknown is None else unknown
    change = float(change)
    if unit(indicator_id) == "share":  # a share changes in points, never in % of itself
        points = fmt_number(abs(change) * 100, lang, 1)
        return _sign(change) + t("indicator_change.points", lang, value=points)
    text = _sign(change) + format_value(indicator_id, abs(change), lang)
    if _is_finite(change_pct):
        text += f" ({_sign(change_pct)}{fmt_percent(abs(float(change_pct)), lang)})"
    return text


def good_news(indicator_id: str, value: float, previous: float) -> bool | None:
    """Whether the change from `previous` to `value` is good news (the colour of a change);
    None when there is no change, no data, or no better direction."""
    better = CATALOGUE[indicator_id].better
    if not (np.isfinite(value) and np.isfinite(previous)) or value == previous or better == "none":
        return None
    return (value > previous) == (better == "up")


def target_text(indicator_id: str, value, target, lang: str = "en") -> str:
    """'Target: 5.0 % · 83 % reached' (how much of the target the value reaches); "" when the
    indicator has no target for the group. One wording for the cards, the by-region page and the
    deck."""
    if target is None or not _is_finite(target):
        return ""
    text = t("review.target_line", lang, target=format_value(indicator_id, target, lang))
    if target and _is_finite(value):
        text += " · " + t("review.target_reached", lang, share=fmt_percent(value / target, lang))
    return text


def period_label(period: tuple[int, int]) -> str:
    """2024, or 2022–2024 for a range."""
    a, b = period
    return str(a) if a == b else f"{a}–{b}"


def comparison_text(c: Comparison, lang: str = "en") -> str:
    """What a change is measured against, in words: "compared with 2025", or "year to date,
    compared with the same period of 2025" when the period ends in today's unfinished year."""
    key = "year_to_date" if c.like_for_like else "complete"
    return t(f"indicator_comparison.{key}", lang, previous=period_label(c.previous))


def comparison_note(c: Comparison, lang: str = "en") -> str:
    """The days a like-for-like comparison counts, in a sentence ("" for a complete year)."""
    if not c.like_for_like:
        return ""
    through = fmt_date(c.through, lang)
    return t(
        "indicator_comparison.through", lang, through=through, previous=period_label(c.previous)
    )


def compared_labels(c: Comparison, lang: str = "en") -> tuple[str, str]:
    """The period and the previous one as sentences name them: ("2025", "2024"), or ("2026 to
    date", "2025 to the same date") like for like."""
    period, previous = period_label(c.period), period_label(c.previous)
    if not c.like_for_like:
        return period, previous
    return (
        t("indicator_comparison.period", lang, period=period),
        t("indicator_comparison.previous", lang, previous=previous),
    )


def previous_value_text(c: Comparison, value: str, lang: str, key: str) -> str:
    """ "Previous period (2025): $1.2M" (`key`, the caller's message), or "Same period of 2025:
    $1.2M" like for like."""
    previous = period_label(c.previous)
    if c.like_for_like:
        return t("indicator_comparison.previous_value", lang, previous=previous, value=value)
    return t(key, lang, period=previous, value=value)


def describe_filters(
    filters: Filters,
    reference: Reference,
    lang: str,
    messages: str,
    markdown: bool = False,
) -> str:
    """The filters in force in words, "Region: RBD Dakar – Western Africa · …", or the
    `<messages>.everything` sentence when there are none. `messages` is the catalogue section
    naming the filters (the deck's, or the pages' "filters"); `markdown` escapes the labels."""
    parts = []
    for field_name, codelist in FILTER_CODELISTS.items():
        codes = getattr(filters, field_name)
        if not codes:
            continue
        labels = [reference.label(codelist, c, lang) for c in codes]
        shown = ", ".join(plain(x) for x in labels) if markdown else ", ".join(labels)
        parts.append(labelled(t(f"{messages}.{field_name}", lang), shown, lang))
    return " · ".join(parts) or t(f"{messages}.everything", lang)


def _is_finite(x) -> bool:
    try:
        return bool(np.isfinite(float(x)))
    except (TypeError, ValueError):
        return False


def _sign(x) -> str:
    return "+" if x > 0 else "−" if x < 0 else ""


def catalogue_table(lang: str = "en") -> pd.DataFrame:
    """The catalogue in a language, one row per indicator: id, name, unit, basis, growth, definition."""
    rows = [
        {
            "id": i,
            "name": name(i, lang),
            "unit": unit_label(i, lang),
            "basis": t(f"indicator_catalogue.basis_{x.basis}", lang),
            "growth": t(f"indicator_catalogue.{'yes' if x.growth else 'no'}", lang),
            "definition": definition(i, lang),
        }
        for i, x in CATALOGUE.items()
    ]
    return pd.DataFrame(rows, columns=["id", "name", "unit", "basis", "growth", "definition"])
