"""Checking an uploaded workbook for the upload page: the report and what the page shows of it.

Kept out of the page so that tests and other front ends get the same answer from the same bytes.
"""

from dataclasses import dataclass

import pandas as pd

from analytics.register.reading import LoadResult, load_workbook
from analytics.register.validation import annotated_workbook, report_frame, summary


@dataclass(frozen=True)
class Checked:
    """One uploaded file checked: the load result and what the page shows of it."""

    file_name: str
    data: bytes
    result: LoadResult
    summary: str
    table: pd.DataFrame

    @property
    def counts(self) -> dict[str, int]:
        register = self.result.register
        return {
            "errors": len(self.result.report.errors),
            "warnings": len(self.result.report.warnings),
            "partners": 0 if register is None else len(register.partners),
            "contributions": 0 if register is None else len(register.contributions),
        }

    def annotated(self, lang: str) -> bytes | None:
        """The workbook with its problems marked, when the file could be read and has any."""
        report = self.result.report
        if report.unreadable or not report.issues:
            return None
        return annotated_workbook(self.data, report, lang)


def check_upload(file_name: str, data: bytes, region: str | None, lang: str) -> Checked:
    result = load_workbook(data, region=region, lang=lang)
    report = result.report
    text = (
        "\n".join(i.message for i in report.errors)
        if report.unreadable
        else summary(report, result.register, lang)
    )
    return Checked(file_name, data, result, text, report_frame(report, lang))
