"""The agreement follow-up indicators of the spec: agreements and their reports, per group.

Each function takes a `Context` and returns one value per group, like the other catalogue
functions. An agreement is grouped and filtered through its partner (region, partnership type,
category: the partner-based basis); a report through its agreement; the contributions received
under an agreement count in the agreement's group. The cut-off is the earlier of the period's
last day and today (`Context.cut_off`). The arrays are built by
analytics.indicators.follow_up_prepare; the catalogue (`catalogue.py`) declares the functions.
"""

from datetime import date

import numpy as np

from analytics.indicators.context import Context, share_of
from schemas.workbook import Contributions as C

ENDING_SOON_DAYS = 90  # the renewal pipeline: agreements ending within 90 days of the cut-off
RECEIVED = "received"


def _group_of_agreements(x: Context) -> np.ndarray:
    """Each agreement's group (its partner's), -1 when its partner is filtered out or unknown."""
    return x.memo("agreement_group", lambda: np.append(x.scope.partner_group, -1)[x.a["a_key"]])


def _group_of_reports(x: Context) -> np.ndarray:
    return x.memo(
        "report_group", lambda: np.append(_group_of_agreements(x), -1)[x.a["r_agreement"]]
    )


def _count(x: Context, group: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return np.bincount(group[mask & (group >= 0)], minlength=x.n_groups)


def _active(x: Context) -> np.ndarray:
    """Signed or closed, started by the period's end, not ended before its start."""

    def active():
        start, end = x.a["a_start"], x.a["a_end"]
        return (
            x.a["a_running"]
            & (start <= np.datetime64(date(x.last, 12, 31)))
            & (end >= np.datetime64(date(x.first, 1, 1)))
        )

    return x.memo("agreements_active", active)


def _due(x: Context) -> np.ndarray:
    """Reports due in the period, by the cut-off (due on the cut-off day itself included)."""
    due = x.a["r_due"]
    return x.memo(
        "r_due_in_period", lambda: (due >= np.datetime64(date(x.first, 1, 1))) & (due <= x.cut_off)
    )


def active_agreements(x: Context) -> np.ndarray:
    return _count(x, _group_of_agreements(x), _active(x))


def reports_due(x: Context) -> np.ndarray:
    return _count(x, _group_of_reports(x), _due(x))


def reports_on_time(x: Context) -> np.ndarray:
    submitted = x.a["r_submitted"]
    on_time = _due(x) & ~np.isnat(submitted) & (submitted <= x.a["r_due"])
    return _count(x, _group_of_reports(x), on_time)


def on_time_reporting_rate(x: Context) -> np.ndarray:
    return share_of(reports_on_time(x), reports_due(x))


def reports_overdue(x: Context) -> np.ndarray:
    """Not submitted by the cut-off: no date, or one after it (a late report in by then is not)."""
    submitted = x.a["r_submitted"]
    overdue = _due(x) & (np.isnat(submitted) | (submitted > x.cut_off))
    return _count(x, _group_of_reports(x), overdue)


def agreements_ending_soon(x: Context) -> np.ndarray:
    end, cut = x.a["a_end"], x.cut_off
    ending = x.a["a_open"] & (end > cut) & (end <= cut + np.timedelta64(ENDING_SOON_DAYS, "D"))
    return _count(x, _group_of_agreements(x), ending)


def final_report_coverage(x: Context) -> np.ndarray:
    """Agreements ended in the period by the cut-off with a final report approved by then."""
    end, cut = x.a["a_end"], x.cut_off
    ended = (end >= np.datetime64(date(x.first, 1, 1))) & (end <= cut)
    approved = x.a["r_final"] & (x.a["r_approved"] <= cut) & (x.a["r_agreement"] >= 0)
    covered = np.zeros(len(end), bool)
    covered[x.a["r_agreement"][approved]] = True
    group = _group_of_agreements(x)
    return share_of(_count(x, group, ended & covered), _count(x, group, ended))


def agreement_funds_received(x: Context) -> np.ndarray:
    """USD received under the active agreements with an amount / the USD they committed."""
    group = _group_of_agreements(x)
    funded = _active(x) & x.a["a_has_amount"] & (group >= 0)
    committed = np.bincount(
        group[funded], weights=x.a["a_committed_usd"][funded], minlength=x.n_groups
    )
    # Only the few contributions naming an agreement are read (not the million others).
    rows = x.memo("c_under_agreement", lambda: np.flatnonzero(x.a["c_agreement"] >= 0))
    agreement = x.a["c_agreement"][rows]
    received = x.prepared.contributions[C.status].cat.categories == RECEIVED
    under = funded[agreement] & np.append(received, False)[x.a["c_status"][rows]]
    under &= x.a["c_date"][rows] <= x.cut_off
    received_usd = np.bincount(
        group[agreement[under]], weights=x.a["c_usd"][rows][under], minlength=x.n_groups
    )
    return share_of(received_usd, committed)
