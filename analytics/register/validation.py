"""Rules and cross-sheet checks through Pandera, turned into the user's report.

The Pandera models (schemas.workbook) hold the rules of each sheet; here they are completed
with what only the reference data and the other sheet know (code lists, partner ids, the
submitted region, exchange rates) and run lazily, so every failure comes back at once.
"""

import io
import json
import sys
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pandera.pandas as pa
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from analytics.downloads import neutralise_value
from analytics.i18n import fmt_date, t
from analytics.reference.load import Reference
from analytics.register.parsing import allowed_codes, allowed_text, display
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


def _add_failures(report, df, failures, layout, reference, lang, region, model):
    """Turn Pandera's failure cases into located, translated issues (one per cell)."""
    if failures.empty:
        return
    failures = failures[failures["index"].notna()]
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
            row = int(df["excel_row"].iat[pos])
            raw = layout.raw.get(column)
            typed = display(raw[pos]) if raw is not None and raw[pos] not in ("", None) else ""
            values = {"value": typed, "region": region or ""}
            if code == "unknown_code":
                c = next(c for c in columns_of(model) if c.name == column)
                values["allowed"] = allowed_text(reference, c.codelist, lang)
            elif code == "no_rate":
                values.update(currency=df["currency"].iat[pos], year=int(df["date"].iat[pos].year))
            elif code == "start_after_end":
                values["end"] = fmt_date(df["end_date"].iat[pos], lang)
            report.add(
                Issue(
                    ERROR,
                    layout.name,
                    row,
                    layout.headers.get(column, column),
                    typed,
                    code,
                    t(f"errors.{code}", lang, **values),
                    layout.cell(column, row),
                )
            )


def _warn(report, layout, df, mask, column, code, lang, **values_of):
    """Add a warning for each row of `mask`; `values_of` maps message names to row -> value."""
    rows = df["excel_row"].to_numpy()
    raw = layout.raw.get(column)
    for pos in np.flatnonzero(np.asarray(mask, dtype=bool)):
        row = int(rows[pos])
        typed = display(raw[pos]) if raw is not None else ""
        values = {k: f(pos) for k, f in values_of.items()}
        values.setdefault("value", typed)
        report.add(
            Issue(
                WARNING,
                layout.name,
                row,
                layout.headers.get(column, column),
                typed,
                code,
                t(f"warnings.{code}", lang, **values),
                layout.cell(column, row),
            )
        )


def _warnings(register, reference: Reference, lang: str, report: Report, today: date) -> None:
    partners, contributions = register.partners, register.contributions
    pl, cl = register.layouts["Partners"], register.layouts["Contributions"]
    region = register.region
    for df, layout in ((partners, pl), (contributions, cl)):
        if df.empty:
            report.add(
                Issue(
                    WARNING,
                    layout.name,
                    None,
                    None,
                    None,
                    "empty_register",
                    t("warnings.empty_register", lang, sheet=layout.name),
                )
            )
    engaged = partners["stage"].isin(["active", "closed"])
    not_cleared = (
        engaged & partners["due_diligence"].notna() & (partners["due_diligence"] != "cleared")
    )
    stages = partners["stage"].to_numpy()
    stage_label = lambda pos: reference.label("stage", stages[pos], lang).lower()  # noqa: E731
    _warn(
        report,
        pl,
        partners,
        not_cleared,
        "due_diligence",
        "no_due_diligence",
        lang,
        stage=stage_label,
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
        lang,
        value=lambda pos: fmt_date(reviews[pos], lang),
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
            lang,
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
        lang,
        end=lambda pos: fmt_date(ends.iat[pos], lang),
    )


def validate_register(
    register, reference: Reference, lang: str, report: Report, today: date | None = None
) -> None:
    """Run every rule on a parsed register and add the issues to `report`."""
    partners, contributions = register.partners, register.contributions
    pl, cl = register.layouts["Partners"], register.layouts["Contributions"]
    if register.region is None:
        seen = partners["region"].dropna().unique().tolist()
        if len(seen) == 1:
            register.region = seen[0]
        elif len(seen) > 1:
            report.add(
                Issue(
                    ERROR,
                    pl.name,
                    None,
                    pl.headers.get("region"),
                    None,
                    "mixed_regions",
                    t("errors.mixed_regions", lang, regions=", ".join(sorted(seen))),
                )
            )
    elif register.region not in reference.region_codes:
        report.add(
            Issue(
                ERROR,
                None,
                None,
                None,
                register.region,
                "unknown_region",
                t(
                    "errors.unknown_region",
                    lang,
                    value=register.region,
                    allowed=", ".join(reference.region_codes),
                ),
            )
        )

    partner_schema = build_schema(Partners, reference, region=register.region)
    _add_failures(
        report,
        partners,
        _failures(partners, partner_schema),
        pl,
        reference,
        lang,
        register.region,
        Partners,
    )
    ids = partners["partner_id"].dropna().unique().tolist()
    contribution_schema = build_schema(Contributions, reference, partner_ids=ids)
    _add_failures(
        report,
        contributions,
        _failures(contributions, contribution_schema),
        cl,
        reference,
        lang,
        register.region,
        Contributions,
    )
    _warnings(register, reference, lang, report, today or date.today())
    order = {"Partners": 0, pl.name: 0}
    key = lambda i: (order.get(i.sheet, 1), i.row or 0)  # noqa: E731
    report.errors.sort(key=key)
    report.warnings.sort(key=key)


def report_frame(report: Report, lang: str = "en") -> pd.DataFrame:
    """The report as a table for screens and downloads, headers in the user's language."""
    rows = [
        {
            t("report.severity", lang): t(f"severity.{i.severity}", lang),
            t("report.sheet", lang): i.sheet,
            t("report.row", lang): i.row,
            t("report.column", lang): i.column,
            t("report.value", lang): i.value,
            t("report.message", lang): i.message,
            t("report.code", lang): i.code,
        }
        for i in report.issues
    ]
    columns = [
        t(f"report.{k}", lang)
        for k in ("severity", "sheet", "row", "column", "value", "message", "code")
    ]
    return pd.DataFrame(rows, columns=columns).astype({t("report.row", lang): "Int64"})


def summary(report: Report, register, lang: str) -> str:
    if report.errors:
        return t(
            "report.summary_errors", lang, errors=len(report.errors), warnings=len(report.warnings)
        )
    if report.warnings:
        return t("report.summary_warnings", lang, warnings=len(report.warnings))
    return t(
        "report.summary_ok",
        lang,
        partners=len(register.partners),
        contributions=len(register.contributions),
    )


def _inert(value):
    """A value safe to write in a cell: no formula, no character XML cannot hold."""
    if isinstance(value, str):
        return neutralise_value(
            ILLEGAL_CHARACTERS_RE.sub(lambda m: f"U+{ord(m.group()):04X}", value)
        )
    return value


def annotated_workbook(data: bytes, report: Report, lang: str = "en") -> bytes:
    """The user's workbook with each erroneous cell in red with a comment, and an Errors sheet."""
    from openpyxl import load_workbook as open_xlsx
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    book = open_xlsx(io.BytesIO(data))
    red = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
    amber = PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C")
    for issue in report.issues:
        if issue.cell and issue.sheet in book.sheetnames:
            cell = book[issue.sheet][issue.cell]
            if issue.severity == ERROR or cell.fill != red:
                cell.fill = red if issue.severity == ERROR else amber
            label = t(f"severity.{issue.severity}", lang)
            previous = cell.comment.text + "\n" if cell.comment else ""
            cell.comment = Comment(
                f"{previous}{label}: {issue.message}", "Validation", width=300, height=120
            )
    title = t("report.errors_sheet", lang)
    if title in book.sheetnames:
        del book[title]
    sheet = book.create_sheet(title, 0)
    frame = report_frame(report, lang)
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        # Values are as the user typed them: '=HYPERLINK(…)' is written as text, never a formula.
        sheet.append(
            [
                None if (isinstance(v, float) and np.isnan(v)) or v is pd.NA else _inert(v)
                for v in row
            ]
        )
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (12, 16, 8, 22, 22, 90, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def format_text(report: Report, lang: str, path: str, register=None) -> str:
    """The report as lines for a terminal."""
    lines = [f"{t('report.file_label', lang)}: {path}"]
    for i in report.issues:
        where = " ".join(
            p
            for p in (
                i.sheet or "",
                f"{t('report.row', lang).lower()} {i.row}" if i.row else "",
                f"[{i.column}]" if i.column else "",
            )
            if p
        )
        lines.append(f"{t(f'severity.{i.severity}', lang).upper()}: {where}: {i.message}")
    if register is not None or report.errors:
        lines.append(summary(report, register, lang))
    return "\n".join(lines)


def cli_validate(args) -> int:
    """`validate PATH`: print every error and warning; 0 valid, 1 errors, 2 unreadable."""
    from analytics.register.reading import load_workbook

    try:
        result = load_workbook(args.path, region=args.region, lang=args.lang)
    except FileNotFoundError:
        print(t("errors.unreadable", args.lang, detail=f"{args.path}: not found"), file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(result.report.as_json(), ensure_ascii=False, indent=2, default=str))
    else:
        print(format_text(result.report, args.lang, args.path, result.register))
    return result.report.exit_code()
