"""The codes a workbook may hold, per code list, and every way people type them."""

from analytics.reference.load import Reference


def lookups(reference: Reference) -> dict[str, dict[str, str]]:
    """Code list name -> (normalised code, label or alias -> code), for every code list."""
    return {name: reference.code_lookup(name) for name in reference.codelist_names}
