"""Rules and cross-sheet checks through Pandera, turned into the user's report.

The Pandera models (schemas.workbook) hold the rules of each sheet; here they are completed
with what only the reference data and the other sheet know (code lists, partner ids, the
submitted region, exchange rates) and run lazily, so every failure comes back at once.
"""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analytics.reference.load import Reference
from analytics.register.codelists import allowed_codes
from analytics.register.parsing import display
from analytics.register.report import ERROR, WARNING, Issue, Report
from schemas.workbook import CHECK_COLUMNS, Contributions, Partners, columns_of

REVIEW_WINDOW_DAYS = 183  # SPREP: partner list reviewed twice a year


def _isin(allowed, name: str) -> pa.Check:
    allowed = list(allowed)
    return pa.Check(lambda s: s.isin(allowed), name=name, ignore_na=True)


def build_schema(
    model, reference: Reference, partner_ids=None, region: str | None = None
) -> pa.DataFrameSchema:
    """The model's schema plus the checks that need the reference data or the other sheet."""
    schema = model.to_schema()
    for c in columns_of(model):
        extra = []
        # Named custom checks: Pandera reports built-in ones under their own name.
        if c.codelist and c.kind == "code":
            extra.append(_isin(allowed_codes(reference, c.codelist), "unknown_code"))
        if model is Partners and c.name == "region" and region:
            extra.append(
                pa.Check(lambda s, r=region: s == r, name="region_mismatch", ignore_na=True)
            )
        if model is Contributions and c.name == "partner_id" and partner_ids is not None:
            extra.append(_isin(partner_ids, "unknown_partner"))
        if extra:
            schema = schema.update_column(c.name, checks=[*schema.columns[c.name].checks, *extra])
    if model is Contributions:

        def has_rate(df: pd.DataFrame) -> pd.Series:
            year = df["date"].dt.year
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
    "region_mismatch": "region_mismatch",
    "no_rate": "no_rate",
}


def _code_of(check: str) -> str:
    if check in CODE_OF_CHECK:
        return CODE_OF_CHECK[check]
    if check.startswith("str_matches"):
        return "bad_id"
    if check.startswith("greater_than"):
        return "not_positive"
    if check.startswith("less_than_or_equal_to"):
        return "amount_too_large"
    return check  # dataframe checks are named after their message (schemas.workbook)


def _failures(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return exc.failure_cases
    return pd.DataFrame(columns=["column", "check", "index", "failure_case"])


def _add_failures(report, df, failures, layout, region, model):
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
            typed = _typed(layout, column, pos)
            if code == "region_mismatch":
                mismatched.setdefault(typed, []).append(pos)
                continue
            params = {}
            if code == "unknown_code":
                params["codelist"] = next(c for c in columns_of(model) if c.name == column).codelist
            elif code == "no_rate":
                params.update(currency=df["currency"].iat[pos], year=int(df["date"].iat[pos].year))
            elif code == "start_after_end":
                params["end"] = df["end_date"].iat[pos]
            _add(report, ERROR, layout, df, pos, column, typed, code, params)
    for typed, positions in mismatched.items():
        # A workbook sent for the wrong region names it on every row: one error per region named.
        first = min(positions, key=lambda pos: int(df["excel_row"].iat[pos]))
        params = {"region": region or "", "count": len(positions)}
        params["first_row"] = int(df["excel_row"].iat[first])
        _add(report, ERROR, layout, df, first, "region", typed, "region_mismatch", params)


def _typed(layout, column: str, pos: int) -> str:
    raw = layout.raw.get(column)
    return display(raw[pos]) if raw is not None and raw[pos] not in ("", None) else ""


def _add(report, severity, layout, df, pos, column, typed, code, params) -> None:
    row = int(df["excel_row"].iat[pos])
    header = layout.headers.get(column, column)
    cell = layout.cell(column, row)
    report.add(Issue(severity, layout.name, row, header, typed, code, params, cell))


def _warn(report, layout, df, mask, column, code, **params_of):
    """Add a warning for each row of `mask`; `params_of` maps message values to row -> value."""
    raw = layout.raw.get(column)
    for pos in np.flatnonzero(np.asarray(mask, dtype=bool)):
        typed = display(raw[pos]) if raw is not None else ""
        params = {k: f(pos) for k, f in params_of.items()}
        _add(report, WARNING, layout, df, pos, column, typed, code, params)


def _warnings(register, reference: Reference, report: Report, today: date) -> None:
    partners, contributions = register.partners, register.contributions
    pl, cl = register.layouts["Partners"], register.layouts["Contributions"]
    region = register.region
    for df, layout in ((partners, pl), (contributions, cl)):
        if df.empty:
            params = {"sheet": layout.name}
            report.add(Issue(WARNING, layout.name, None, None, None, "empty_register", params))
    engaged = partners["stage"].isin(["active", "closed"])
    not_cleared = (
        engaged & partners["due_diligence"].notna() & (partners["due_diligence"] != "cleared")
    )
    stages = partners["stage"].to_numpy()
    _warn(
        report,
        pl,
        partners,
        not_cleared,
        "due_diligence",
        "no_due_diligence",
        stage=lambda pos: stages[pos],
    )
    cutoff = pd.Timestamp(today - timedelta(days=REVIEW_WINDOW_DAYS))
    reviews = partners["last_review"].array
    overdue = (
        (partners["stage"] == "active")
        & partners["last_review"].notna()
        & (partners["last_review"] < cutoff)
    )
    _warn(
        report,
        pl,
        partners,
        overdue,
        "last_review",
        "review_overdue",
        reviewed=lambda pos: reviews[pos],
    )
    if region:
        countries = reference.region_countries(region)
        outside = contributions["country"].notna() & ~contributions["country"].isin(list(countries))
        _warn(
            report,
            cl,
            contributions,
            outside,
            "country",
            "country_outside_region",
            region=lambda pos: region,
        )
    ends = contributions[["partner_id"]].merge(
        partners[["partner_id", "end_date"]].drop_duplicates("partner_id"),
        on="partner_id",
        how="left",
    )["end_date"]
    after_end = ends.notna().to_numpy() & (contributions["date"].to_numpy() > ends.to_numpy())
    _warn(
        report,
        cl,
        contributions,
        after_end,
        "date",
        "after_partnership_end",
        end=lambda pos: ends.iat[pos],
    )


def validate_register(
    register, reference: Reference, report: Report, today: date | None = None
) -> None:
    """Run every rule on a parsed register and add the issues to `report`."""
    partners, contributions = register.partners, register.contributions
    pl, cl = register.layouts["Partners"], register.layouts["Contributions"]
    if register.region is None:
        seen = partners["region"].dropna().unique().tolist()
        if len(seen) == 1:
            register.region = seen[0]
        elif len(seen) > 1:
            params = {"regions": ", ".join(sorted(seen))}
            column = pl.headers.get("region")
            report.add(Issue(ERROR, pl.name, None, column, None, "mixed_regions", params))
    elif register.region not in reference.region_codes:
        params = {"allowed": ", ".join(reference.region_codes)}
        report.add(Issue(ERROR, None, None, None, register.region, "unknown_region", params))

    partner_schema = build_schema(Partners, reference, region=register.region)
    failures = _failures(partners, partner_schema)
    _add_failures(report, partners, failures, pl, register.region, Partners)
    ids = partners["partner_id"].dropna().unique().tolist()
    contribution_schema = build_schema(Contributions, reference, partner_ids=ids)
    failures = _failures(contributions, contribution_schema)
    _add_failures(report, contributions, failures, cl, register.region, Contributions)
    _warnings(register, reference, report, today or date.today())
    order = {"Partners": 0, pl.name: 0}
    key = lambda i: (order.get(i.sheet, 1), i.row or 0)  # noqa: E731
    report.errors.sort(key=key)
    report.warnings.sort(key=key)
