"""Checking an uploaded workbook: the report, and what the upload page and the command line show of it.

Kept out of the page so that tests and other front ends get the same answer from the same bytes.
The check is done once; what is shown of it is written in the viewer's language when shown.
"""

import json
import sys
from dataclasses import dataclass, field

import pandas as pd

from analytics.i18n import t
from analytics.register.messages import as_json, format_text, report_frame, summary, unreadable_text
from analytics.register.parsing import decimal_separator
from analytics.register.reading import LoadResult, load_workbook


@dataclass(frozen=True)
class Checked:
    """One uploaded file checked: the load result, shown in any language."""

    file_name: str
    data: bytes
    result: LoadResult
    # The table in each language it was shown in: the page shows it again at every rerun.
    _tables: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def counts(self) -> dict[str, int]:
        register = self.result.register
        return {
            "errors": len(self.result.report.errors),
            "warnings": len(self.result.report.warnings),
            "partners": 0 if register is None else len(register.partners),
            "contributions": 0 if register is None else len(register.contributions),
        }

    def summary(self, lang: str) -> str:
        """The sentence that sums the check up (why the file is unreadable, when it is)."""
        report = self.result.report
        if report.unreadable:
            return unreadable_text(report, lang)
        return summary(report, self.result.register, lang)

    def table(self, lang: str) -> pd.DataFrame:
        if lang not in self._tables:
            self._tables[lang] = report_frame(self.result.report, lang)
        return self._tables[lang]

    def annotated(self, lang: str) -> bytes | None:
        """The workbook with its problems marked, when the file could be read and has any."""
        report = self.result.report
        if report.unreadable or not report.issues:
            return None
        # Imported when asked for: openpyxl is for the upload page's download, not `validate`.
        from analytics.register.annotate import annotated_workbook

        return annotated_workbook(self.data, report, lang)


def check_upload(file_name: str, data: bytes, region: str | None, decimal: str = ".") -> Checked:
    return Checked(file_name, data, load_workbook(data, region=region, decimal=decimal))


def cli_validate(args) -> int:
    """`validate PATH`: print every error and warning; 0 valid, 1 errors, 2 unreadable."""
    try:
        result = load_workbook(args.path, region=args.region, decimal=decimal_separator(args.lang))
    except FileNotFoundError:
        print(t("errors.unreadable", args.lang, detail=f"{args.path}: not found"), file=sys.stderr)
        return 2
    if args.format == "json":
        shown = as_json(result.report, args.lang)
        print(json.dumps(shown, ensure_ascii=False, indent=2, default=str))
    else:
        print(format_text(result.report, args.lang, args.path, result.register))
    return result.report.exit_code()
