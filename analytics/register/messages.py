"""A validation report written in the reader's language, at the moment it is shown.

The report itself holds codes and language-neutral values (analytics.register.report); the
command line, the upload page, the annotated workbook and the data-quality page call these
functions with the viewer's language, so one report (even a stored one) reads in any language.
"""

from datetime import date

import pandas as pd

from analytics.i18n import fmt_date, fmt_number, labelled, t
from analytics.reference.load import NAMED_BY_CODE, Reference, load_reference
from analytics.register.codes import CODES, message_key
from analytics.register.report import Issue, Report

COLUMNS = ("severity", "sheet", "row", "column", "value", "message", "code")


def allowed_text(reference: Reference, codelist: str, lang: str) -> str:
    """The accepted codes with their labels in the reader's language, for messages."""
    if codelist in NAMED_BY_CODE:
        return ", ".join(reference.codes(codelist))
    return ", ".join(
        f"{code} ({label})" for code, label in reference.labels(codelist, lang).items()
    )


def message(issue: Issue, lang: str, reference: Reference | None = None) -> str:
    """The issue's message in `lang`, its values written as the language writes them."""
    spec = CODES[issue.code]
    values = {"value": "" if issue.value is None else issue.value, **issue.params}
    for name in spec.dates:
        if values.get(name):
            values[name] = fmt_date(date.fromisoformat(values[name]), lang)
    for name in spec.numbers:
        if type(values.get(name)) is int:
            values[name] = fmt_number(values[name], lang)
    for name, table in spec.words.items():
        key = f"{table}.{values.get(name)}"
        written = t(key, lang)
        values[name] = written if written != key else values.get(name)  # an older stored code
    if spec.labels or spec.allowed:
        reference = reference or load_reference()
        for name, codelist in spec.labels.items():
            values[name] = reference.label(codelist, values[name], lang).lower()
        if spec.allowed:
            values["allowed"] = allowed_text(reference, values["codelist"], lang)
    return t(message_key(issue.code), lang, **values)


def _reference_for(issues, reference: Reference | None) -> Reference | None:
    """The reference data read once for a whole report, when any of its messages names labels or
    allowed codes (read per message, its folder was looked up again for each issue)."""
    if reference is None and any(CODES[i.code].labels or CODES[i.code].allowed for i in issues):
        return load_reference()
    return reference


def as_json(report: Report, lang: str, reference: Reference | None = None) -> dict:
    """`validate --format json`: each issue located, with its code and its message in `lang`."""
    reference = _reference_for(report.issues, reference)

    def item(i: Issue) -> dict:
        where = {"sheet": i.sheet, "row": i.row, "column": i.column, "value": i.value}
        return where | {"code": i.code, "message": message(i, lang, reference)}

    return {
        "errors": [item(i) for i in report.errors],
        "warnings": [item(i) for i in report.warnings],
    }


def report_frame(
    report: Report, lang: str = "en", reference: Reference | None = None
) -> pd.DataFrame:
    """The report as a table for screens and downloads, in the reader's language."""
    head = {k: t(f"report.{k}", lang) for k in COLUMNS}
    reference = _reference_for(report.issues, reference)
    rows = [
        {
            head["severity"]: t(f"severity.{i.severity}", lang),
            head["sheet"]: i.sheet,
            head["row"]: i.row,
            head["column"]: i.column,
            head["value"]: i.value,
            head["message"]: message(i, lang, reference),
            head["code"]: i.code,
        }
        for i in report.issues
    ]
    return pd.DataFrame(rows, columns=list(head.values())).astype({head["row"]: "Int64"})


def counted(key: str, n: int, lang: str) -> str:
    """'1 error', '2 errors', '1 erreur': a count with its noun in the language's plural form."""
    return t(key, lang, count=n)


def summary(report: Report, register, lang: str) -> str:
    errors = counted("report.errors_count", len(report.errors), lang)
    warnings = counted("report.warnings_count", len(report.warnings), lang)
    if report.errors:
        return t("report.summary_errors", lang, errors=errors, warnings=warnings)
    if report.warnings:
        return t("report.summary_warnings", lang, warnings=warnings)
    return t(
        "report.summary_ok",
        lang,
        partners=counted("report.partners_count", len(register.partners), lang),
        contributions=counted("report.contributions_count", len(register.contributions), lang),
    )


def summary_of_stored(report: Report | None, lang: str) -> str:
    """What a stored report says in one sentence; uploads older than kept reports say so."""
    if report is None:
        return t("report.not_kept", lang)
    if report.unreadable:
        return unreadable_text(report, lang)
    if report.issues:
        return summary(report, None, lang)
    return t("report.stored_ok", lang)


def unreadable_text(report: Report, lang: str, reference: Reference | None = None) -> str:
    """Why a file could not be read, one reason a line."""
    reference = _reference_for(report.errors, reference)
    return "\n".join(message(i, lang, reference) for i in report.errors)


def format_text(
    report: Report, lang: str, path: str, register=None, reference: Reference | None = None
) -> str:
    """The report as lines for a terminal."""
    lines = [labelled(t("report.file_label", lang), path, lang)]
    reference = _reference_for(report.issues, reference)
    row_word = t("report.row", lang).lower()
    severities = {}
    for i in report.issues:
        where = " ".join(
            p
            for p in (
                i.sheet or "",
                f"{row_word} {i.row}" if i.row else "",
                f"[{i.column}]" if i.column else "",
            )
            if p
        )
        text = message(i, lang, reference)
        if i.severity not in severities:
            severities[i.severity] = t(f"severity.{i.severity}", lang).upper()
        severity = severities[i.severity]
        lines.append(labelled(severity, labelled(where, text, lang) if where else text, lang))
    if register is not None or report.errors:
        lines.append(summary(report, register, lang))
    return "\n".join(lines)
