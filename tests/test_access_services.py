"""The roles hold when the services and the store are called directly, and every act is audited."""

import pytest

from analytics.access.roles import ADMIN, DIRECTOR, FOCAL_POINT, Refused, User
from analytics.services import ingest, ingest_cli
from analytics.store import audit
from tests.workbooks import contribution, partner, valid_register

AWA = User("awa", FOCAL_POINT, ("RBD",))
ANA = User("ana", FOCAL_POINT, ("RBP",))
DIANE = User("diane", DIRECTOR)
ROOT_USER = User("root", ADMIN)


def _file(tmp_path, name="rbd.xlsx", amount=100.0) -> tuple[bytes, str]:
    path = valid_register(
        tmp_path / name,
        contributions=[
            contribution("C1", "P1", amount=amount),
            contribution("C2", "P2", amount=250.5),
        ],
        partners=[partner("P1"), partner("P2", category="foundation")],
    )
    return path.read_bytes(), name


def test_focal_point_uploads_commits_and_restores_their_region_and_it_is_audited(store, tmp_path):
    data, name = _file(tmp_path)
    prepared = ingest.prepare(store, data, name, "RBD", "awa", user=AWA)
    first = ingest.commit(store, prepared, "awa", user=AWA)
    data2, name2 = _file(tmp_path, "rbd-2.xlsx", amount=900.0)
    second = ingest.commit(
        store, ingest.prepare(store, data2, name2, "RBD", "awa", user=AWA), "awa", user=AWA
    )
    restored = ingest.restore(store, "RBD", 1, "awa", expected_number=2, user=AWA)
    assert (first.number, second.number, restored.number) == (1, 2, 3)
    trail = audit.entries(store, ROOT_USER)
    rows = trail[["actor", "action", "region", "subject", "from_version", "to_version"]].astype(
        object
    )
    assert rows.where(rows.notna(), None).values.tolist() == [
        ["awa", "restore", "RBD", "rbd.xlsx", 2, 3],
        ["awa", "commit", "RBD", "rbd-2.xlsx", 1, 2],
        ["awa", "upload", "RBD", "rbd-2.xlsx", 1, None],
        ["awa", "commit", "RBD", "rbd.xlsx", None, 1],
        ["awa", "upload", "RBD", "rbd.xlsx", None, None],
    ]


def test_focal_point_is_refused_another_region_before_anything_is_kept(store, tmp_path):
    data, name = _file(tmp_path)
    with pytest.raises(Refused) as refused:
        ingest.prepare(store, data, name, "RBN", "awa", user=AWA)
    assert "RBN" in refused.value.message("en")
    assert store.uploads(user=ROOT_USER).empty  # refused before the file was recorded
    entry = audit.entries(store, ROOT_USER).iloc[0]
    assert (entry["actor"], entry["action"], entry["region"], entry["detail"]) == (
        "awa",
        "refused",
        "RBN",
        "upload",
    )


def test_commit_and_restore_are_refused_to_the_wrong_user_at_every_layer(store, tmp_path):
    data, name = _file(tmp_path)
    prepared = ingest.prepare(store, data, name, "RBD", "awa", user=AWA)
    for intruder in (ANA, DIANE):
        with pytest.raises(Refused):
            ingest.commit(store, prepared, intruder.name, user=intruder)
        with pytest.raises(Refused):  # the store itself, called directly
            store.commit(
                "RBD",
                prepared.register,
                upload_id=prepared.upload_id,
                uploader=intruder.name,
                expected_number=0,
                user=intruder,
            )
    assert store.current_version("RBD") is None
    ingest.commit(store, prepared, "awa", user=AWA)
    for intruder in (ANA, DIANE):
        with pytest.raises(Refused):
            ingest.restore(store, "RBD", 1, intruder.name, expected_number=1, user=intruder)
        with pytest.raises(Refused):
            store.restore("RBD", 1, intruder.name, expected_number=1, user=intruder)
    assert store.current_version("RBD").number == 1


def test_uploaded_files_are_read_only_by_their_region_directors_and_admins(store, tmp_path):
    data, name = _file(tmp_path)
    upload_id = ingest.prepare(store, data, name, "RBD", "awa", user=AWA).upload_id
    assert store.upload_file(upload_id, user=AWA) == (name, data)
    assert store.upload_file(upload_id, user=DIANE)[1] == data
    assert len(store.uploads("RBD", user=ROOT_USER)) == 1
    with pytest.raises(Refused):
        store.upload_file(upload_id, user=ANA)
    with pytest.raises(Refused):
        store.uploads("RBD", user=ANA)
    with pytest.raises(Refused):  # every region at once is not "their" region
        store.uploads(None, user=AWA)


def _cli_args(store, path, region="RBD", user=None):
    from types import SimpleNamespace

    url = store.engine.url.render_as_string(hide_password=False)
    return SimpleNamespace(region=region, path=str(path), db=url, yes=True, user=user, lang="en")


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """The command line run by the operating-system account `nadia`, with a users-file path."""
    from analytics.accounts import cli as accounts_cli

    monkeypatch.setattr(accounts_cli, "os_login", lambda: "nadia")
    monkeypatch.setenv("PARTNERSHIPS_USERS_FILE", str(tmp_path / "users.toml"))
    monkeypatch.delenv("PARTNERSHIPS_AUTH", raising=False)
    path = tmp_path / "rbd.xlsx"
    path.write_bytes(_file(tmp_path)[0])
    return tmp_path / "users.toml", path


def test_without_users_file_the_command_line_is_an_admin_named_after_the_os_user(store, cli_env):
    """No users file (demo, embedded use): an admin named after the OS account; --user is noted only."""
    _, path = cli_env
    assert ingest_cli.cli_ingest(_cli_args(store, path, user="hq.admin")) == 0
    trail = audit.entries(store, ROOT_USER)
    assert trail["actor"].tolist() == ["nadia", "nadia"]
    assert trail["detail"].tolist() == [
        "upload, given as hq.admin",
        "validated, 0 errors, 0 warnings, given as hq.admin",
    ]
    assert store.current_version("RBD").uploader == "nadia"


def test_the_command_line_follows_the_os_users_account_and_its_regions(store, cli_env, capsys):
    """A focal point's OS account ingests its own region, never another, whatever --user says."""
    from analytics.accounts import users

    users_file, path = cli_env
    users.add_user("nadia", FOCAL_POINT, "nadia's pass phrase", regions=["RBN"], path=users_file)
    assert ingest_cli.cli_ingest(_cli_args(store, path, user="hq.admin")) == 1
    assert "nadia (focal point) may not upload the register of RBD" in capsys.readouterr().err
    assert store.uploads(user=ROOT_USER).empty and store.current_version("RBD") is None
    entry = audit.entries(store, ROOT_USER).iloc[0]
    assert (entry["actor"], entry["action"], entry["region"], entry["detail"]) == (
        "nadia",
        "refused",
        "RBD",
        "upload, given as hq.admin",
    )
    rbn = valid_register(
        path.with_name("rbn.xlsx"),
        partners=[partner("P1", region="RBN", country="KEN")],
        contributions=[contribution("C1", "P1", country="KEN")],
    )
    assert ingest_cli.cli_ingest(_cli_args(store, rbn, region="RBN")) == 0, capsys.readouterr()
    assert store.current_version("RBN").uploader == "nadia"


@pytest.mark.parametrize("state", ["no account", "disabled", "auth without users file"])
def test_the_command_line_is_refused_to_an_os_user_without_an_account(
    store, cli_env, monkeypatch, capsys, state
):
    """A users file without the OS account (or with it disabled): refused, exit 1, nothing kept."""
    from analytics.accounts import users

    users_file, path = cli_env
    if state == "auth without users file":
        monkeypatch.setenv("PARTNERSHIPS_AUTH", "password")
    else:
        users.add_user("hq.admin", ADMIN, "the admin pass phrase", path=users_file)
        if state == "disabled":
            users.add_user("nadia", ADMIN, "nadia's pass phrase", path=users_file)
            users.disable_user("nadia", path=users_file)
    assert ingest_cli.cli_ingest(_cli_args(store, path, user="hq.admin")) == 1
    err = capsys.readouterr().err
    assert ("'nadia' has no enabled account" in err) or ("no users file" in err), err
    assert store.uploads(user=ROOT_USER).empty and audit.entries(store, ROOT_USER).empty


def test_every_store_and_service_write_needs_the_acting_user(store, tmp_path):
    """Forgetting the user is a TypeError, and passing None is a refusal: never an open door."""
    data, name = _file(tmp_path)
    prepared = ingest.prepare(store, data, name, "RBD", "awa", user=AWA)
    forgetful = {
        "store.record_upload": lambda **u: store.record_upload("RBD", name, data, "x", **u),
        "store.commit": lambda **u: store.commit(
            "RBD",
            prepared.register,
            upload_id=prepared.upload_id,
            uploader="x",
            expected_number=0,
            **u,
        ),
        "store.restore": lambda **u: store.restore("RBD", 1, "x", expected_number=0, **u),
        "store.uploads": lambda **u: store.uploads("RBD", **u),
        "store.upload_file": lambda **u: store.upload_file(prepared.upload_id, **u),
        "ingest.prepare": lambda **u: ingest.prepare(store, data, name, "RBD", "x", **u),
        "ingest.commit": lambda **u: ingest.commit(store, prepared, "x", **u),
        "ingest.restore": lambda **u: ingest.restore(store, "RBD", 1, "x", 0, **u),
    }
    open_doors = []
    for what, call in forgetful.items():
        for kwargs, expected in (({}, TypeError), ({"user": None}, Refused)):
            try:
                call(**kwargs)
            except expected as exc:
                assert expected is Refused or "'user'" in str(exc), exc
            else:
                open_doors.append((what, kwargs))
    assert open_doors == []
    assert store.current_version("RBD") is None
    assert len(store.uploads(user=ROOT_USER)) == 1  # only the focal point's own upload


def test_the_samples_are_loaded_by_the_named_system_user(store):
    """Seeding an empty store acts as access.SYSTEM, named in the versions and the audit trail."""
    from analytics.access.roles import SYSTEM

    loaded = store.seed_samples_if_empty()
    assert loaded and {v.uploader for v in loaded} == {SYSTEM.name} == {"sample data"}
    commits = audit.entries(store, ROOT_USER, actions=["commit"])
    assert set(commits["actor"]) == {"sample data"} and len(commits) == len(loaded)
