"""The rules of each sheet through Pandera, and their failures as located issues.

Shared by the sheets of the register (analytics.register.validation) and of the follow-up of
agreements (analytics.register.agreements): each model's schema is completed with what only the
reference data and the other sheets know (code lists, ids, the submitted region, exchange rates).
"""

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute

from analytics.reference.load import Reference
from analytics.register.parsing import display
from analytics.register.report import ERROR, WARNING, Issue
from schemas.workbook import CHECK_COLUMNS, Agreements, Contributions, Partners, Reports, columns_of


def _isin(allowed, name: str) -> pa.Check:
    allowed = list(allowed)
    # Text columns are Arrow strings: one look-up in Arrow against a value set made once, where
    # Series.isin would turn each of the (thousands of) allowed ids into an Arrow scalar per call.
    value_set = pyarrow.array(
        [a for a in allowed if isinstance(a, str)], type=pyarrow.large_string()
    )

    def check(s: pd.Series) -> pd.Series:
        if not isinstance(s.array, pd.arrays.ArrowStringArray):
            return s.isin(allowed)
        data = pyarrow.array(s.array)
        found = pyarrow.compute.is_in(data, value_set=value_set.cast(data.type))
        return pd.Series(found.to_numpy(zero_copy_only=False), index=s.index)

    return pa.Check(check, name=name, ignore_na=True)


# The date whose year picks the exchange rate of a row's amount.
RATE_DATE = {Contributions: "date", Agreements: "signed_on"}


def build_schema(
    model, reference: Reference, partner_ids=None, region: str | None = None, agreement_ids=None
) -> pa.DataFrameSchema:
    """The model's schema plus the checks that need the reference data or the other sheets."""
    schema = model.to_schema()
    updates = {}  # column -> its checks: the schema is copied once, not once per column
    for c in columns_of(model):
        extra = []
        # Named custom checks: Pandera reports built-in ones under their own name.
        if c.codelist and c.kind == "code":
            extra.append(_isin(reference.codes(c.codelist), "unknown_code"))
        if model is Partners and c.name == "region" and region:
            extra.append(
                pa.Check(lambda s, r=region: s == r, name="region_mismatch", ignore_na=True)
            )
        if model in (Contributions, Agreements) and c.name == "partner_id":
            if partner_ids is not None:
                extra.append(_isin(partner_ids, "unknown_partner"))
        if model in (Contributions, Reports) and c.name == "agreement_id":
            if agreement_ids is not None:
                extra.append(_isin(agreement_ids, "unknown_agreement"))
        if extra:
            updates[c.name] = {"checks": [*schema.columns[c.name].checks, *extra]}
    if updates:
        schema = schema.update_columns(updates)
    if model in RATE_DATE:

        def has_rate(df: pd.DataFrame) -> pd.Series:
            year = df[RATE_DATE[model]].dt.year
            # The same lookup the conversions use: a rate the indicators could not apply is missing.
            known = ~np.isnan(
                reference.usd_per_unit(df["currency"], year.to_numpy(np.float64, na_value=np.nan))
            )
            # A missing currency or date is reported by its own rule, not as a missing rate.
            return pd.Series(known, index=df.index) | df["currency"].isna() | year.isna()

        schema.checks = [*schema.checks, pa.Check(has_rate, name="no_rate")]
    return schema


CODE_OF_CHECK = {
    "not_nullable": "required",
    "field_uniqueness": "duplicate_id",
    "unknown_code": "unknown_code",
    "unknown_partner": "unknown_partner",
    "unknown_agreement": "unknown_agreement",
    "region_mismatch": "region_mismatch",
    "no_rate": "no_rate",
}


def _code_of(check: str) -> str:
    if check in CODE_OF_CHECK:
        return CODE_OF_CHECK[check]
    if check.startswith("str_matches"):
        return "bad_id"
    if check.startswith("greater_than_or_equal_to"):
        return "not_negative"
    if check.startswith("greater_than"):
        return "not_positive"
    if check.startswith("less_than_or_equal_to"):
        return "amount_too_large"
    return check  # dataframe checks are named after their message (schemas.workbook)


def failures_of(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return exc.failure_cases
    return pd.DataFrame(columns=["column", "check", "index", "failure_case"])


def add_failures(report, df, failures, layout, region, model):
    """Turn Pandera's failure cases into located issues (one per cell; one per region named)."""
    if failures.empty:
        return
    failures = failures[failures["index"].notna()]
    mismatched: dict[str, list[int]] = {}  # region typed -> its rows' positions
    for check, group in failures.groupby("check", sort=False):
        code = _code_of(str(check))
        column_of_check = CHECK_COLUMNS.get(str(check)) or (
            "currency" if code == "no_rate" else None
        )
        for column, index in zip(group["column"], group["index"], strict=True):
            column = column_of_check or column
            pos = int(index)
            if code != "no_rate" and column_of_check and column_of_check != column:
                continue
            typed = typed_value(layout, column, pos)
            if code == "region_mismatch":
                mismatched.setdefault(typed, []).append(pos)
                continue
            params = {}
            if code == "unknown_code":
                params["codelist"] = next(c for c in columns_of(model) if c.name == column).codelist
            elif code == "no_rate":
                year = int(df[RATE_DATE[model]].iat[pos].year)
                params.update(currency=df["currency"].iat[pos], year=year)
            elif code == "start_after_end":
                params["end"] = df["end_date"].iat[pos]
            elif code == "signed_after_start":
                params["start"] = df["start_date"].iat[pos]
            elif code in ("approved_before_submitted", "sent_before_submitted"):
                params["submitted"] = df["submitted_on"].iat[pos]
            add_issue(report, ERROR, layout, df, pos, column, typed, code, params)
    for typed, positions in mismatched.items():
        # A workbook sent for the wrong region names it on every row: one error per region named.
        first = min(positions, key=lambda pos: int(df["excel_row"].iat[pos]))
        params = {"region": region or "", "count": len(positions)}
        params["first_row"] = int(df["excel_row"].iat[first])
        add_issue(report, ERROR, layout, df, first, "region", typed, "region_mismatch", params)


def typed_value(layout, column: str, pos: int) -> str:
    raw = layout.raw.get(column)
    return display(raw[pos]) if raw is not None and raw[pos] not in ("", None) else ""


def add_issue(report, severity, layout, df, pos, column, typed, code, params) -> None:
    row = int(df["excel_row"].iat[pos])
    header = layout.headers.get(column, column)
    cell = layout.cell(column, row)
    report.add(Issue(severity, layout.name, row, header, typed, code, params, cell))


def warn(report, layout, df, mask, column, code, **params_of):
    """Add a warning for each row of `mask`; `params_of` maps message values to row -> value."""
    raw = layout.raw.get(column)
    for pos in np.flatnonzero(np.asarray(mask, dtype=bool)):
        typed = display(raw[pos]) if raw is not None else ""
        params = {k: f(pos) for k, f in params_of.items()}
        add_issue(report, WARNING, layout, df, pos, column, typed, code, params)
