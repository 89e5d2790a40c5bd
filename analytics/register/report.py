"""The validation report: every error and warning, located as the user sees the workbook."""

from dataclasses import asdict, dataclass, field

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Issue:
    severity: str  # "error" or "warning"
    sheet: str | None  # the sheet name as in the user's workbook
    row: int | None  # the Excel row number, as Excel shows it
    column: str | None  # the header as typed in the user's workbook
    value: str | None  # the value as typed
    code: str  # stable machine code, e.g. "bad_date"
    message: str  # in the user's language
    cell: str | None = None  # "D12": where the annotated copy puts its comment

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("severity")
        d.pop("cell")
        return d


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

    def as_json(self) -> dict:
        return {
            "errors": [i.as_dict() for i in self.errors],
            "warnings": [i.as_dict() for i in self.warnings],
        }
