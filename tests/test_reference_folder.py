"""The reference data the app reads and admins edit is a working copy, never the shipped files."""

from analytics.config import SHIPPED_REFERENCE_DIR
from analytics.reference.load import load_reference, reference_folder


def test_working_copy_is_made_from_the_shipped_files_on_first_use(tmp_path, monkeypatch):
    folder = tmp_path / "reference"
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(folder))
    assert reference_folder() == folder
    shipped = sorted(p.name for p in SHIPPED_REFERENCE_DIR.glob("*.csv"))
    assert sorted(p.name for p in folder.glob("*.csv")) == shipped
    # An edit in the working copy is kept: a later start does not overwrite it with the shipped file.
    (folder / "targets.csv").write_text(
        "indicator,region,year,target\nprivate_share_of_budget,,,0.07\n"
    )
    reference_folder()
    assert load_reference(str(folder)).target("private_share_of_budget") == 0.07
    assert "0.07" not in (SHIPPED_REFERENCE_DIR / "targets.csv").read_text()
