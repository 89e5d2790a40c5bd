"""The follow-up of agreements: the optional Agreements and Reports sheets and their cross-checks.

A workbook without the two sheets stays valid (its frames are empty, with the declared
columns); when they are there, each sheet's rules (schemas.workbook) run as for the other sheets,
and so do the checks that need the other sheets: an agreement of an unknown partner, a report of
an unknown agreement, a contribution under another partner's agreement. Two warnings do not block:
a report due long after its agreement's end, a closed agreement with no final report.
"""

import numpy as np
import pandas as pd

from analytics.reference.load import Reference
from analytics.register.report import ERROR, Report
from analytics.register.rules import add_failures, add_issue, build_schema, failures_of, warn
from analytics.register.rules import typed_value as typed
from schemas.workbook import Agreements, Reports, columns_of

LATE_REPORT_DAYS = 30  # spec: a report due more than 30 days after its agreement's end is odd


def empty_frame(model) -> pd.DataFrame:
    """A sheet with no rows, typed as reading types it (for a workbook without the sheet)."""
    frame = {}
    for c in columns_of(model):
        if c.kind == "date":
            frame[c.name] = pd.Series([], dtype="datetime64[us]")
        elif c.kind == "number":
            frame[c.name] = pd.Series([], dtype="float64")
        elif c.kind == "bool":
            frame[c.name] = pd.Series([], dtype="boolean")
        else:
            frame[c.name] = pd.Series([], dtype="str")
    df = pd.DataFrame(frame)
    df["excel_row"] = pd.Series([], dtype="int64")
    df["extra"] = pd.Series([], dtype=object)
    return df


def _of_agreement(frame: pd.DataFrame, agreements: pd.DataFrame, column: str) -> pd.Series:
    """For each row of `frame`, `column` of the agreement it names (NaN/NaT when none)."""
    looked_up = frame[["agreement_id"]].merge(
        agreements[["agreement_id", column]].drop_duplicates("agreement_id"),
        on="agreement_id",
        how="left",
    )[column]
    return looked_up.set_axis(frame.index)


def _other_partner(register, report: Report) -> None:
    """A contribution naming an agreement of another partner."""
    contributions, agreements = register.contributions, register.agreements
    layout = register.layouts["Contributions"]
    named = contributions["agreement_id"]
    partner_of = _of_agreement(contributions, agreements, "partner_id")
    wrong = named.notna() & partner_of.notna() & contributions["partner_id"].notna()
    wrong &= partner_of != contributions["partner_id"]
    for pos in np.flatnonzero(wrong.to_numpy(dtype=bool)):
        value = typed(layout, "agreement_id", pos)
        params = {"partner": partner_of.iat[pos]}
        code = "agreement_other_partner"
        add_issue(report, ERROR, layout, contributions, pos, "agreement_id", value, code, params)


def _warnings(register, report: Report) -> None:
    agreements, reports = register.agreements, register.reports
    al, rl = register.layouts["Agreements"], register.layouts["Reports"]
    ends = _of_agreement(reports, agreements, "end_date")
    late = ends.notna() & (reports["due_date"] > ends + pd.Timedelta(days=LATE_REPORT_DAYS))
    warn(
        report,
        rl,
        reports,
        late,
        "due_date",
        "report_after_agreement_end",
        end=lambda pos: ends.iat[pos],
    )
    finals = set(reports.loc[reports["kind"] == "final", "agreement_id"].dropna())
    closed = (agreements["status"] == "closed") & ~agreements["agreement_id"].isin(finals)
    warn(report, al, agreements, closed, "status", "closed_without_final")


def validate_agreements(register, reference: Reference, report: Report, partner_ids) -> dict:
    """Check the two sheets when the workbook has them; sheet name -> its place in the report."""
    if "Agreements" not in register.layouts:
        return {}
    al, rl = register.layouts["Agreements"], register.layouts["Reports"]
    agreements, reports = register.agreements, register.reports
    schema = build_schema(Agreements, reference, partner_ids=partner_ids)
    failures = failures_of(agreements, schema)
    add_failures(report, agreements, failures, al, register.region, Agreements)
    ids = agreements["agreement_id"].dropna().unique().tolist()
    schema = build_schema(Reports, reference, agreement_ids=ids)
    add_failures(report, reports, failures_of(reports, schema), rl, register.region, Reports)
    _other_partner(register, report)
    _warnings(register, report)
    return {al.name: 2, rl.name: 3}
