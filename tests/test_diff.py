"""The change between two registers, on hand-made before/after workbooks read like real uploads."""

import datetime as dt

import pandas as pd
import pytest

from analytics.access.roles import ADMIN, User
from analytics.reference.load import load_reference
from analytics.register.reading import load_workbook
from analytics.store.changes import change_lines, changed_frame, counts_frame, rows_frame
from analytics.store.diff import diff_registers, usd_amounts
from analytics.store.versions import open_store
from tests.workbooks import (
    CONTRIBUTION_HEADER,
    PARTNER_HEADER,
    contribution,
    partner,
    valid_register,
    write,
)

EUR_2024 = 1.04079  # data/reference/exchange_rates.csv, EUR 2024 (sample value)


def read(path):
    result = load_workbook(path, region="RBD")
    assert result.report.ok, result.report.errors
    return result.register


@pytest.fixture
def before(tmp_path):
    return read(
        valid_register(
            tmp_path / "before.xlsx",
            partners=[partner("P1"), partner("P2"), partner("P3", category="foundation")],
            contributions=[
                contribution("C1", "P1", amount=1000),
                contribution("C2", "P2", amount=250.5),
                contribution("C3", "P3", amount=100, currency="EUR"),
            ],
        )
    )


@pytest.fixture
def after(tmp_path):
    return read(
        valid_register(
            tmp_path / "after.xlsx",
            partners=[
                partner("P4", partner_name="New Bank"),  # added, first row
                partner(
                    "P2", partner_name="Partner Two", has_kpis="no", last_review=dt.date(2024, 1, 2)
                ),
                partner("P1"),  # moved down a row: not a change
            ],
            contributions=[
                contribution("C2", "P2", amount=250.5),
                contribution("C1", "P1", amount=1500),
                contribution("C4", "P4", amount=40, currency="EUR"),
            ],
        )
    )


def test_added_changed_removed_partners(before, after):
    """P4 added, P3 removed, P2 changed in three fields, P1 only moved."""
    change = diff_registers(before, after, load_reference())
    p = change.partners
    assert p.added["partner_id"].tolist() == ["P4"]
    assert p.added["partner_name"].tolist() == ["New Bank"]
    assert p.removed["partner_id"].tolist() == ["P3"]
    assert p.changed_ids == ["P2"]
    changed = p.changed.set_index("field")
    assert changed.index.tolist() == ["partner_name", "has_kpis", "last_review"]  # template order
    assert changed.loc["partner_name", ["old", "new"]].tolist() == ["Partner P2", "Partner Two"]
    assert changed.loc["has_kpis", ["old", "new"]].tolist() == [True, False]
    assert changed.loc["last_review", "new"] == pd.Timestamp(2024, 1, 2)
    assert p.counts() == {"added": 1, "changed": 1, "removed": 1}


def test_added_changed_removed_contributions_and_usd_totals(before, after):
    """C4 added, C3 removed, C1's amount 1000 → 1500; totals at the reference rates."""
    change = diff_registers(before, after, load_reference())
    c = change.contributions
    assert c.added["contribution_id"].tolist() == ["C4"]
    assert c.removed["contribution_id"].tolist() == ["C3"]
    assert c.changed[["id", "field", "old", "new"]].values.tolist() == [
        ["C1", "amount", 1000.0, 1500.0]
    ]
    # before: 1000 + 250.5 USD + 100 EUR × 1.04079 = 1354.579; after: 1500 + 250.5 + 40 × 1.04079 = 1792.1316
    assert change.usd_before == pytest.approx(1000 + 250.5 + 100 * EUR_2024)
    assert change.usd_after == pytest.approx(1500 + 250.5 + 40 * EUR_2024)
    assert change.removals == 2 and not change.identical


def test_same_content_in_another_file_is_identical(tmp_path, before):
    """Title rows, French sheet names and another row order: a different file, the same register."""
    rows_p = [partner("P3", category="foundation"), partner("P1"), partner("P2")]
    rows_c = [
        contribution("C3", "P3", amount=100, currency="EUR"),
        contribution("C1", "P1"),
        contribution("C2", "P2", amount=250.5),
    ]
    other = read(
        write(
            tmp_path / "resaved.xlsx",
            {
                "Partenaires": [["Registre RBD"], [], PARTNER_HEADER, *rows_p],
                "Contributions": [CONTRIBUTION_HEADER, *rows_c],
            },
        )
    )
    change = diff_registers(before, other, load_reference())
    assert change.identical
    assert change.usd_before == pytest.approx(change.usd_after)


def test_first_version_everything_added(after):
    """With no current version every row is added and the total before is 0."""
    change = diff_registers(None, after, load_reference())
    assert change.partners.counts() == {"added": 3, "changed": 0, "removed": 0}
    assert change.contributions.counts() == {"added": 3, "changed": 0, "removed": 0}
    assert change.usd_before == 0 and change.usd_after == pytest.approx(1750.5 + 40 * EUR_2024)


def test_stored_register_compares_equal_to_its_workbook(tmp_path, before):
    """A register read back from the store is not 'changed' against the same workbook (dtypes agree)."""
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    hq = User("hq", ADMIN)
    upload = store.record_upload("RBD", "before.xlsx", b"x", "me", user=hq)
    version = store.commit(
        "RBD", before, upload_id=upload, uploader="me", expected_number=0, user=hq
    )
    stored = store.load_version(version.id)
    store.close()
    assert diff_registers(stored, before, load_reference()).identical


def test_extra_columns_count_as_a_change(tmp_path, before):
    """A value typed in an extra column is kept with the row, so changing it is a change."""
    header = [*PARTNER_HEADER, "Notes"]
    rows = [
        [*partner("P1"), "call back"],
        [*partner("P2"), None],
        [*partner("P3", category="foundation"), None],
    ]
    other = read(
        write(
            tmp_path / "notes.xlsx",
            {
                "Partners": [header, *rows],
                "Contributions": [
                    CONTRIBUTION_HEADER,
                    contribution("C1", "P1", amount=1000),
                    contribution("C2", "P2", amount=250.5),
                    contribution("C3", "P3", amount=100, currency="EUR"),
                ],
            },
        )
    )
    change = diff_registers(before, other, load_reference())
    assert change.partners.changed[["id", "field"]].values.tolist() == [["P1", "extra"]]


def test_usd_without_a_rate_is_missing():
    """A currency with no rate for the year gives NaN, not 0 (it is counted apart in the totals)."""
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-05-01", "2024-05-01", "1990-01-01"]),
            "amount": [10.0, 10.0, 10.0],
            "currency": ["USD", "EUR", "USD"],
        }
    )
    usd = usd_amounts(frame, load_reference())
    assert (
        usd.iloc[0] == 10 and usd.iloc[1] == pytest.approx(10 * EUR_2024) and pd.isna(usd.iloc[2])
    )


def test_preview_tables_and_lines_in_french(before, after):
    """The preview speaks the user's language: headers, yes/no, dates and amounts."""
    change = diff_registers(before, after, load_reference())
    table = changed_frame(change.partners, "partners", "fr")
    assert table.iloc[1][["Avant", "Après"]].tolist() == ["oui", "non"]  # has_kpis
    assert "2 janv. 2024" in table["Après"].tolist()
    added = rows_frame(change.contributions.added, "contributions", "fr")
    assert added.iloc[0].tolist() == ["C4", "P4", "15 mars 2024", "Reçu", "40", "EUR"]
    counts = counts_frame(change, "en")
    assert counts.iloc[0].tolist() == ["Partners", 1, 1, 1]

    class Prepared:  # the two attributes change_lines reads
        region, current = "RBD", None

    Prepared.change = change
    lines = change_lines(Prepared, "en")
    assert "  + P4  New Bank" in lines and "  - C3  100 EUR" in lines
    assert "  ~ C1  Amount: 1,000 → 1,500" in lines
