"""The random draws every part of the sample shares, and the day the sample describes."""

import math
import random
from datetime import date, timedelta

import pycountry
from babel import Locale

# The day the sample registers describe: nothing is dated after it, so that reruns give the same data.
AS_OF = date(2026, 11, 23)


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def days(rng: random.Random, lo: date, hi: date) -> date:
    """A day between lo and hi included."""
    return lo + timedelta(days=rng.randint(0, max((hi - lo).days, 0)))


def nice(rng: random.Random, x: float) -> float:
    """An amount as people record it: mostly rounded to 2 or 3 significant digits."""
    if rng.random() < 0.15:
        return round(x, 2)
    step = 10 ** max(math.floor(math.log10(x)) - rng.choice((1, 2)), 0)
    return float(max(round(x / step), 1) * step)


def country_name(code: str, lang: str) -> str:
    alpha2 = pycountry.countries.get(alpha_3=code).alpha_2
    return Locale(lang).territories.get(alpha2, code)
