"""The validation report: every error and warning, located as the user sees the workbook.

An issue holds no text: its code, where it is, the value as typed and the values of its message
(language-neutral), so that the same report is shown in any language (analytics.register.messages)
and kept with the upload in the store (`to_stored` / `from_stored`) to be shown again later.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from analytics.register.codes import CODES, ERROR, WARNING

__all__ = ["ERROR", "WARNING", "Issue", "Report"]


def _neutral(value):
    """A message value as JSON holds it: numpy scalars as numbers, dates as ISO text."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, datetime | date):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime().date().isoformat()
    return value


@dataclass(frozen=True)
class Issue:
    severity: str  # "error" or "warning"
    sheet: str | None  # the sheet name as in the user's workbook
    row: int | None  # the Excel row number, as Excel shows it
    column: str | None  # the header as typed in the user's workbook
    value: str | None  # the value as typed
    code: str  # stable machine code, e.g. "bad_date" (analytics.register.codes)
    params: dict = field(default_factory=dict)  # the message's other values, language-neutral
    cell: str | None = None  # "D12": where the annotated copy puts its comment

    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"undeclared issue code {self.code!r} (analytics.register.codes)")
        object.__setattr__(self, "params", {k: _neutral(v) for k, v in self.params.items()})
        if self.row is not None:
            object.__setattr__(self, "row", int(self.row))

    def to_stored(self) -> dict:
        return {
            "severity": self.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "params": self.params,
            "cell": self.cell,
        }


@dataclass
class Report:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    # True when the file itself could not be read as a register (exit status 2).
    unreadable: bool = False
    _error_cells: set = field(default_factory=set, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unreadable

    @property
    def issues(self) -> list[Issue]:
        return [*self.errors, *self.warnings]

    def add(self, issue: Issue) -> None:
        """Add an issue; a cell keeps only its first error (a date not understood is not also "missing")."""
        if issue.severity == ERROR and issue.cell is not None:
            key = (issue.sheet, issue.cell)
            if key in self._error_cells:
                return
            self._error_cells.add(key)
        (self.errors if issue.severity == ERROR else self.warnings).append(issue)

    def exit_code(self) -> int:
        """0 valid (warnings allowed), 1 errors found, 2 file unreadable."""
        if self.unreadable:
            return 2
        return 1 if self.errors else 0

    def to_stored(self) -> str:
        """The report as language-neutral JSON, as the store keeps it with the upload."""
        issues = [i.to_stored() for i in self.issues]
        return json.dumps({"unreadable": self.unreadable, "issues": issues}, ensure_ascii=False)

    @classmethod
    def from_stored(cls, text: str) -> "Report":
        data = json.loads(text)
        report = cls(unreadable=bool(data.get("unreadable")))
        for item in data.get("issues", []):
            issue = Issue(**item)
            (report.errors if issue.severity == ERROR else report.warnings).append(issue)
        return report
