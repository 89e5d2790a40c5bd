"""The codes a workbook may hold, per code list, and every way people type them."""

from analytics.reference.load import Reference, normalise


def lookups(reference: Reference) -> dict[str, dict[str, str]]:
    """Code list name -> (normalised code or label -> code), for every code list the models use."""
    out = {name: reference.code_lookup(name) for name in reference.codelists["list"].unique()}
    regions = {}
    for row in reference.regions.itertuples(index=False):
        for v in (row.code, row.bureau):
            regions.setdefault(normalise(v), row.code)
    out["region"] = regions
    objectives = {}
    for row in reference.objectives.itertuples(index=False):
        for v in (row.code, row.name_en, row.name_fr):
            objectives.setdefault(normalise(v), row.code)
    out["strategic_objective"] = objectives
    return out


def allowed_codes(reference: Reference, codelist: str) -> list[str]:
    if codelist == "region":
        return reference.region_codes
    if codelist == "strategic_objective":
        return reference.objective_codes()
    return reference.codes(codelist)
