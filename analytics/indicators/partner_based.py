"""The partner-based indicators: partners counted by their own partnership type.

Each function takes a `Context` and returns one value per group (numpy, no loop over rows):
partners active in the period, new partnerships, the pipeline of prospects, and the governance
coverage of the active partners (due diligence, monitoring, review, evaluation). The catalogue
(`catalogue.py`) declares them.
"""

from datetime import date

import numpy as np
import pandas as pd

from analytics.indicators.context import (
    ACTIVE_STAGES,
    CLEARED,
    PROSPECT,
    REVIEW_WINDOW_DAYS,
    Context,
)
from schemas.workbook import Partners as P


def active_partners(x: Context) -> np.ndarray:
    return x.partner_count(x.active)


def new_partnerships(x: Context) -> np.ndarray:
    start = x.a["p_start"]
    started = (start >= np.datetime64(date(x.first, 1, 1))) & (start <= np.datetime64(x.period_end))
    stage = x.prepared.partners[P.stage].cat.categories
    return x.partner_count(
        started & np.append(pd.Index(stage).isin(ACTIVE_STAGES), False)[x.a["p_stage"]]
    )


def prospects(x: Context) -> np.ndarray:
    return x.partner_count(x.partner_code(P.stage, "p_stage", PROSPECT))


def due_diligence_coverage(x: Context) -> np.ndarray:
    return x.share_of_active(x.partner_code(P.due_diligence, "p_due_diligence", CLEARED))


def monitoring_coverage(x: Context) -> np.ndarray:
    return x.share_of_active(x.a["p_monitored"])


def review_compliance(x: Context) -> np.ndarray:
    end = np.datetime64(min(date(x.last, 12, 31), x.today))
    review = x.a["p_review"]
    return x.share_of_active(
        (review >= end - np.timedelta64(REVIEW_WINDOW_DAYS, "D")) & (review <= end)
    )


def evaluation_coverage(x: Context) -> np.ndarray:
    return x.share_of_active(x.a["p_evaluated"])
