"""Every code a validation report can hold, declared once: its severity and how its values are shown.

An issue carries a code and language-neutral values (numbers, ISO dates, codes); the message is
written only when someone reads it (analytics.register.messages), in their language, from
`errors.<code>` or `warnings.<code>` of the locale folders. Tests check every code declared here
has a message with the same placeholders in every language, and an issue refuses an undeclared code.
"""

from dataclasses import dataclass, field

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Code:
    severity: str
    dates: tuple[str, ...] = ()  # values held as ISO dates, written as the language writes dates
    numbers: tuple[str, ...] = ()  # integers written with the language's digit grouping
    labels: dict[str, str] = field(default_factory=dict)  # value -> code list of its label
    allowed: bool = False  # {allowed}: the codes of the value `codelist`, labelled in the language
    words: dict[str, str] = field(default_factory=dict)  # value -> locale table naming its codes


_E, _W = Code(ERROR), Code(WARNING)
_SIZES = ("limit_mb",)

CODES: dict[str, Code] = {
    # The file itself (analytics.register.safety): nothing else is read.
    "file_too_large": Code(ERROR, numbers=_SIZES),
    "not_a_workbook": Code(ERROR, words={"detected": "file_kinds"}),
    "file_not_found": _E,
    "legacy_xls": _E,
    "ods": _E,
    "encrypted": _E,
    "corrupt": _E,
    "zip_bomb": Code(ERROR, numbers=_SIZES),
    "compression_ratio": Code(ERROR, numbers=("ratio", "compressed_kb")),
    "sheet_too_large": Code(
        ERROR, numbers=("rows", "columns", "max_columns", "max_rows", "max_cells")
    ),
    "empty_workbook": _E,
    "unreadable": _E,
    # Sheets and headers (analytics.register.reading, analytics.register.headers).
    "missing_sheet": _E,
    "hidden_sheet": _E,
    "missing_column": _E,
    "header_too_low": _E,
    "header_not_found": _E,
    "duplicate_column": _E,
    # Cells not understood (analytics.register.parsing).
    "control_character": _E,
    "excel_error": _E,
    "formula_no_value": _E,
    "bad_date": _E,
    "number_in_date": _E,
    "bad_number": _E,
    "not_finite": _E,
    "bad_bool": _E,
    "bad_country": _E,
    "bad_currency": _E,
    "unknown_code": Code(ERROR, allowed=True),
    # The spec's rules (analytics.register.validation).
    "required": _E,
    "bad_id": _E,
    "duplicate_id": _E,
    "not_positive": _E,
    "amount_too_large": _E,
    "unknown_partner": _E,
    "region_mismatch": _E,
    "unknown_region": _E,
    "mixed_regions": _E,
    "no_rate": _E,
    "start_date_required": _E,
    "start_after_end": Code(ERROR, dates=("end",)),
    "due_diligence_date_required": _E,
    # The follow-up of agreements (analytics.register.agreements).
    "not_negative": _E,
    "unknown_agreement": _E,
    "agreement_other_partner": _E,
    "signed_after_start": Code(ERROR, dates=("start",)),
    "currency_required": _E,
    "approved_not_submitted": _E,
    "approved_before_submitted": Code(ERROR, dates=("submitted",)),
    "sent_before_submitted": Code(ERROR, dates=("submitted",)),
    # Warnings: the workbook can be stored.
    "ambiguous_number": _W,
    "country_outside_region": _W,
    "review_overdue": Code(WARNING, dates=("reviewed",)),
    "after_partnership_end": Code(WARNING, dates=("end",)),
    "no_due_diligence": Code(WARNING, labels={"stage": "stage"}),
    "empty_register": _W,
    "report_after_agreement_end": Code(WARNING, dates=("end",)),
    "closed_without_final": _W,
}


def message_key(code: str) -> str:
    """The catalogue key of a code's message: errors.<code> or warnings.<code>."""
    return f"{'errors' if CODES[code].severity == ERROR else 'warnings'}.{code}"
