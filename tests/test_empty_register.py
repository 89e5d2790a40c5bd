"""An empty register (no partner, no contribution) is committed only when someone says so."""

import pytest

from analytics.access.roles import ADMIN, User
from analytics.cli import main
from analytics.services import ingest
from analytics.store.versions import open_store
from tests.test_upload_page import app, db, send  # noqa: F401 - db is a fixture
from tests.workbooks import valid_register

HQ = User("hq", ADMIN)


def test_the_service_refuses_an_empty_register_unless_confirmed(tmp_path):
    """EmptyRegister without empty_confirmed; a version with 0 rows with it."""
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    data = valid_register(tmp_path / "empty.xlsx", partners=[], contributions=[]).read_bytes()
    prepared = ingest.prepare(store, data, "empty.xlsx", "RBD", "Awa", user=HQ)
    assert prepared.report.ok and prepared.empty
    with pytest.raises(ingest.EmptyRegister):
        ingest.commit(store, prepared, "Awa", user=HQ)
    assert store.current_version("RBD") is None
    version = ingest.commit(store, prepared, "Awa", user=HQ, empty_confirmed=True)
    assert version.number == 1 and store.load_version(version.id).partners.empty
    store.close()


def test_the_command_line_needs_allow_empty(tmp_path, capsys):
    """`ingest --yes` stops at 1 with a sentence; `--allow-empty` commits."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    path = valid_register(tmp_path / "empty.xlsx", partners=[], contributions=[])
    args = ["ingest", str(path), "--region", "RBD", "--yes", "--db", url]
    assert main(args) == 1
    assert "--allow-empty" in capsys.readouterr().err
    store = open_store(url)
    assert store.current_version("RBD") is None
    assert main([*args, "--allow-empty"]) == 0
    assert store.current_version("RBD").number == 1
    store.close()


def test_the_upload_page_asks_for_a_confirmation(db, tmp_path):  # noqa: F811
    """First upload of an empty register: the commit button waits for the checkbox."""
    path = valid_register(tmp_path / "empty.xlsx", partners=[], contributions=[])
    at = send(app("app_pages/data/upload.py"), path)
    assert not at.exception
    box = at.checkbox[0]
    assert box.label.startswith("I confirm that this register is empty")
    assert at.button(key="commit").disabled
    at = box.check().run()
    assert not at.button(key="commit").disabled
    at.button(key="commit").click().run()
    assert not at.exception
    store = open_store(db)
    assert store.current_version("RBD").number == 1
    store.close()
