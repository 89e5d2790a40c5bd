"""One vocabulary (#14): every code list, regions and strategic objectives included, is read,
offered and labelled the same way; the columns tables show are declared once, beside the sheets'."""

import pandas as pd
import pytest

from analytics.indicators import views
from analytics.reference.load import load_reference, normalise
from analytics.register.codelists import lookups
from analytics.register.template import code_lists
from schemas import (
    ALL_SHEETS,
    DERIVED_COLUMNS,
    Agreements,
    Contributions,
    Reports,
    codelists_of,
    columns_of,
    shown_as,
)

REFERENCE = load_reference()


@pytest.mark.parametrize("name", REFERENCE.codelist_names)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_code_list_has_codes_labels_and_spellings(name, lang):
    codes = REFERENCE.codes(name)
    labels = REFERENCE.labels(name, lang)
    lookup = REFERENCE.code_lookup(name)
    assert codes, name
    assert list(labels) == codes  # a label for each code, in file order
    for code in codes:  # the code and its label, in either language, read as the code
        assert lookup[normalise(code)] == code
        assert lookup[normalise(labels[code])] == code
        assert REFERENCE.label(name, code, lang) == labels[code]


def test_every_code_list_a_sheet_draws_from_is_in_the_reference_data():
    used = {c.codelist for model in ALL_SHEETS for c in columns_of(model) if c.codelist}
    assert used <= set(REFERENCE.codelist_names)
    assert set(lookups(REFERENCE)) == set(REFERENCE.codelist_names)


def test_a_region_reads_as_its_code_its_bureau_or_its_full_name():
    lookup = lookups(REFERENCE)["region"]
    # regions.csv: RBD, bureau Dakar, "Western Africa" / "Afrique de l'Ouest"
    for typed in (
        "RBD",
        "rbd",
        "Dakar",
        "RBD Dakar – Western Africa",
        "RBD Dakar – Afrique de l'Ouest",
    ):
        assert lookup[normalise(typed)] == "RBD", typed
    assert REFERENCE.region_name("RBD", "fr") == "RBD Dakar – Afrique de l'Ouest"
    assert REFERENCE.label("region", "RBX", "en") == "RBX"  # an unknown code is shown as typed


def test_an_objective_is_labelled_by_its_name_in_the_reader_s_language():
    row = REFERENCE.objectives.iloc[0]
    assert REFERENCE.label("strategic_objective", row["code"], "fr") == row["name_fr"]
    assert REFERENCE.label("strategic_objective", row["code"], "en") == row["name_en"]


def test_drop_downs_offer_labels_except_for_lists_named_by_code():
    lists = code_lists(REFERENCE, "fr")
    assert lists["region"] == REFERENCE.region_codes  # people type RBD, not its long name
    assert lists["stage"] == list(REFERENCE.labels("stage", "fr").values())


def test_labels_follow_the_sheets_code_columns_regions_included():
    frame = pd.DataFrame({"region": ["RBD"], "status": ["pledged"], "country": ["SEN"]})
    out = views.with_labels(frame, REFERENCE, "fr")
    assert out.loc[0, "region"] == "RBD Dakar – Afrique de l'Ouest"
    assert out.loc[0, "status"] == "Promis"  # codelists.csv: status,pledged,Pledged,Promis
    assert out.loc[0, "country"] == "Sénégal"
    follow_up = pd.DataFrame({"status": ["signed"], "kind": ["financial"]})
    out = views.with_labels(follow_up, REFERENCE, "en", sheets=(Agreements, Reports))
    assert out.loc[0, "status"] == "Signed"  # codelists.csv: agreement_status,signed,Signed
    assert out.loc[0, "kind"] == "Financial report"  # report_kind, not a contribution's kind


def test_a_column_name_means_one_code_list_where_sheets_are_read_together():
    with pytest.raises(ValueError, match="status"):  # a contribution's status is not an agreement's
        codelists_of(Contributions, Agreements)


def test_tables_know_how_to_show_every_column():
    assert shown_as("date") == "date"  # a sheet column: a contribution's date
    assert shown_as("amount") == "amount"  # a number in the row's own currency
    assert shown_as("has_kpis") == "bool"
    assert shown_as("partner_name") == "text"
    assert shown_as("usd_total") == "usd"  # derived, declared beside the sheets
    assert shown_as("received_share") == "share"
    sheet_columns = {c.name for model in ALL_SHEETS for c in columns_of(model)}
    assert not sheet_columns & set(DERIVED_COLUMNS)  # a derived column never shadows a sheet's


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_derived_column_has_its_header_in_each_language(lang):
    from analytics.i18n import catalogue

    missing = [c for c in DERIVED_COLUMNS if f"pages.columns.{c}" not in catalogue(lang)]
    assert not missing
