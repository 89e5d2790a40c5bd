"""Sample agreements and their reports, drawn from a sample register's partners (deterministic).

About half the engaged partners have an agreement, signed a few weeks before the partnership
starts, one to three years long, with a named officer (the partner's focal point when it has one).
Each agreement owes an activity and a financial report every year and a final report 30 days
after its end. In the regions of OVERDUE some reports due in the last months are still missing,
some came late, and some older ones came only the next year or never: so the board's year
(BOARD_YEAR, the year before AS_OF, counted to its 31 December) has overdue reports there too.
In the other regions every report due by AS_OF came in on time, so the demo shows both. Every
date is drawn from AS_OF and the seeds, never from today: the same files on any day.
"""

import random
from datetime import date, timedelta

import pandas as pd

from analytics.reference.load import Reference, load_reference
from analytics.sample.draws import AS_OF
from analytics.sample.generate import frame_of
from schemas.workbook import Agreements, Reports

# Regions whose sample registers have overdue and late reports (the others report on time).
OVERDUE = ("RBC", "RBD", "RBN")
OFFICERS = ("Mariam Sow", "Daniel Okafor", "Lucía Herrera", "Somchai Prasert", "Nadia Haddad")
FINAL_AFTER_DAYS = (
    30  # the final report is due 30 days after the end (no warning: spec says "more")
)
BOARD_YEAR = AS_OF.year - 1  # the last complete year: the board's year in the demo
# In OVERDUE regions, an older report (due 240 days or more before AS_OF) never comes with this
# chance, or comes only in the year after its due date with NEXT_YEAR: overdue at the cut-off
# of its own year (31 December) either way.
NEVER, NEXT_YEAR = 0.08, 0.2
BOARD_YEAR_OVERDUE = 2  # at least this many reports of BOARD_YEAR overdue per OVERDUE region


def _day(value) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _later(rng: random.Random, day: date, low: int, high: int) -> date | None:
    """A day `low`..`high` days after `day`, or None if it is still to come at AS_OF."""
    when = day + timedelta(days=rng.randint(low, high))
    return when if when <= AS_OF else None


def _reports(rng, aid: str, start: date, end: date, overdue: bool) -> list:
    dues = []
    year = 1
    while True:
        due = date(start.year + year, start.month, min(start.day, 28)) + timedelta(days=30)
        if due > end:
            break
        dues += [("activity", due), ("financial", due)]
        year += 1
    dues.append(("final", end + timedelta(days=FINAL_AFTER_DAYS)))
    rows = []
    for kind, due in dues:
        row = {"report_id": f"{aid}-R{len(rows) + 1}", "agreement_id": aid, "kind": kind}
        row.update(due_date=due, submitted_on=None, approved_on=None, sent_on=None)
        if due <= AS_OF:
            recent = (AS_OF - due).days < 240
            if overdue and recent and rng.random() < 0.5:
                rows.append(row)  # still missing at AS_OF
                continue
            draw = rng.random() if overdue and not recent else 1.0
            if draw < NEVER:
                rows.append(row)  # never came
                continue
            late = overdue and rng.random() < 0.3
            submitted = due - timedelta(days=rng.randint(0, 20))
            if draw < NEVER + NEXT_YEAR:
                submitted = _next_year(rng, due)
            elif late:
                submitted = due + timedelta(days=rng.randint(3, 45))
            _submit(rng, row, submitted)
        rows.append(row)
    return rows


def _next_year(rng: random.Random, due: date) -> date:
    """A day of the year after `due`'s, 10 to 120 days into it: overdue at its year's cut-off."""
    return date(due.year + 1, 1, 1) + timedelta(days=rng.randint(10, 120))


def _submit(rng: random.Random, row: dict, submitted: date) -> None:
    """The report came on `submitted` (if by AS_OF), then approved and sent if by AS_OF."""
    row["submitted_on"] = submitted if submitted <= AS_OF else None
    row["approved_on"] = row["sent_on"] = None
    if row["submitted_on"] is not None:
        row["approved_on"] = _later(rng, submitted, 3, 25)
        if row["approved_on"]:
            row["sent_on"] = _later(rng, row["approved_on"], 1, 10)


def _overdue_at_year_end(row: dict, year: int) -> bool:
    due, submitted = row["due_date"], row["submitted_on"]
    return due.year == year and (submitted is None or submitted > date(year, 12, 31))


def _board_year_overdue(rng: random.Random, reports: list) -> None:
    """Make sure the board's year has overdue reports: if fewer than BOARD_YEAR_OVERDUE of its
    reports are overdue at its 31 December, the earliest ones in on time come the next year."""
    missing = BOARD_YEAR_OVERDUE - sum(_overdue_at_year_end(r, BOARD_YEAR) for r in reports)
    in_time = sorted(
        (r for r in reports if r["due_date"].year == BOARD_YEAR and r["submitted_on"] is not None)
        if missing > 0
        else (),
        key=lambda r: (r["due_date"], r["report_id"]),
    )
    for row in in_time[:missing]:
        if not _overdue_at_year_end(row, BOARD_YEAR):
            _submit(rng, row, _next_year(rng, row["due_date"]))


def generate_agreements(
    region: str,
    seed: int,
    partners: pd.DataFrame,
    contributions: pd.DataFrame,
    reference: Reference | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(agreements, reports, contributions naming their agreement) of a sample register."""
    reference = reference or load_reference()
    rng = random.Random(seed * 7919 + 5)  # its own stream: the partners' draws do not move
    overdue = region in OVERDUE
    agreements, reports = [], []
    windows = {}
    for p in partners.itertuples(index=False):
        start = _day(p.start_date)
        if p.stage not in ("active", "closed") or start is None or rng.random() < 0.45:
            continue
        aid = f"{p.partner_id}-A1"
        end = start + timedelta(days=365 * rng.randint(1, 3) - 1)
        if _day(p.end_date) is not None:
            end = max(start, min(end, _day(p.end_date)))
        signed = start - timedelta(days=rng.randint(5, 40))
        status = "signed" if end >= AS_OF else ("terminated" if rng.random() < 0.1 else "closed")
        currency = "EUR" if rng.random() < 0.25 else "USD"
        if pd.isna(reference.usd_per_unit(pd.Series([currency]), [float(signed.year)])[0]):
            continue  # signed before the reference rates begin: an old partnership, no agreement
        officer = p.focal_point if isinstance(p.focal_point, str) else rng.choice(OFFICERS)
        agreements.append(
            {
                "agreement_id": aid,
                "partner_id": p.partner_id,
                "title": f"{p.partner_name} — {start.year}–{end.year}",
                "status": status,
                "signed_on": signed,
                "signed_by": rng.choice(("Regional director", "Deputy regional director")),
                "officer": officer,
                "start_date": start,
                "end_date": end,
                "amount": float(rng.randrange(20, 600) * 1000),
                "currency": currency,
            }
        )
        reports += _reports(rng, aid, start, end, overdue)
        windows[p.partner_id] = (aid, pd.Timestamp(start), pd.Timestamp(end))
    if overdue:
        _board_year_overdue(rng, reports)
    named = [
        windows[pid][0]
        if pid in windows and windows[pid][1] <= when <= windows[pid][2] and rng.random() < 0.8
        else None
        for pid, when in zip(contributions["partner_id"], contributions["date"], strict=True)
    ]
    contributions = contributions.assign(agreement_id=pd.Series(named, dtype="str"))
    return frame_of(Agreements, agreements), frame_of(Reports, reports), contributions
