"""`python -m analytics review` as a director runs it: exit statuses, the acting account, the trail."""

import os
import pwd

import pytest

from analytics.access.roles import ADMIN, FOCAL_POINT, User
from analytics.accounts import users
from analytics.services import ingest, review
from analytics.store import audit
from analytics.store.versions import open_store
from tests import cli
from tests.workbooks import contribution, partner, valid_register

LOGIN = pwd.getpwuid(os.geteuid()).pw_name  # the account running the tests
AWA = User("awa", FOCAL_POINT, ("RBD",))


def run(*args, env=None, child=False):
    """`python -m analytics review ARGS`, in this process unless `child` (tests/cli.py)."""
    environment = {**os.environ, "PARTNERSHIPS_DB_PATH": "/nonexistent/never-used.db"}
    environment.pop("DATABASE_URL", None)
    environment.update(env or {})
    return cli.run(["review", *args], environment, child=child)


@pytest.fixture
def uploaded(db_url, tmp_path):
    """A store with two versions of RBD sent by the focal point awa; its URL."""
    store = open_store(db_url)
    for amount in (100.0, 900.0):
        path = valid_register(
            tmp_path / f"rbd-{amount}.xlsx",
            contributions=[contribution("C1", "P1", amount=amount)],
            partners=[partner("P1")],
        )
        prepared = ingest.prepare(store, path.read_bytes(), path.name, "RBD", "awa", user=AWA)
        ingest.commit(store, prepared, "awa", user=AWA)
    store.close()
    return db_url


def _states(db_url):
    store = open_store(db_url)
    try:
        trail = audit.entries(store, User("hq", ADMIN), actions=["review", "refused"])
        return review.states(store)["RBD"], trail[["actor", "action", "detail"]].values.tolist()
    finally:
        store.close()


def _users_file(tmp_path, role, regions=()):
    path = tmp_path / "users.toml"
    users.add_user("diane", "director", None, path=path)
    users.add_user(LOGIN, role, None, regions=list(regions), path=path)
    return {"PARTNERSHIPS_USERS_FILE": str(path)}


def test_approve_the_current_version_then_return_an_earlier_one(uploaded, tmp_path):
    env = _users_file(tmp_path, "director")
    done = run(
        "--region", "rbd", "--approve", "--user", LOGIN, "--db", uploaded, env=env, child=True
    )  # the real command, once
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"review: version 2 of RBD approved by {LOGIN}.\n"
    back = run(
        *("--region", "RBD", "--version", "1", "--return", "C1 en euros"),
        *("--user", "diane", "--db", uploaded, "--lang", "fr"),
        env=env,
    )
    assert back.returncode == 0, back.stderr
    assert back.stdout == f"review\u00a0: version 1 de RBD renvoyée par {LOGIN}.\n"
    state, trail = _states(uploaded)
    assert (state.version.number, state.state) == (2, "approved")
    # The command acted as the operating-system account; the name given is only recorded.
    assert trail == [
        [LOGIN, "review", "returned: C1 en euros, given as diane"],
        [LOGIN, "review", "approved"],
    ]


def test_refusals_exit_1_and_change_nothing(uploaded, tmp_path):
    focal = _users_file(tmp_path, "focal_point", ["RBD"])
    refused = run("--region", "RBD", "--approve", "--user", "diane", "--db", uploaded, env=focal)
    assert refused.returncode == 1
    assert f"{LOGIN} (focal point) may not review registers" in refused.stderr
    (tmp_path / "users.toml").unlink()
    director = _users_file(tmp_path, "director", ["RBP"])
    scoped = run("--region", "RBD", "--approve", "--user", LOGIN, "--db", uploaded, env=director)
    assert scoped.returncode == 1 and "may not review the register of RBD" in scoped.stderr
    (tmp_path / "users.toml").unlink()
    env = _users_file(tmp_path, "director")
    for args, message in (
        (("--version", "9", "--approve"), "RBD has no version 9."),
        (("--return", "  "), "A returned version needs a comment"),
        (("--return", "x" * 2001), "The comment is 2001 characters long"),
    ):
        bad = run("--region", "RBD", *args, "--user", LOGIN, "--db", uploaded, env=env)
        assert bad.returncode == 1 and message in bad.stderr, bad.stderr
    ghost = run("--region", "RBD", "--approve", "--user", "nobody", "--db", uploaded, env=env)
    assert ghost.returncode == 1 and "No user named nobody can review here" in ghost.stderr
    state, trail = _states(uploaded)
    assert state.state == "submitted"
    assert trail == [[LOGIN, "refused", "review"], [LOGIN, "refused", "review, given as diane"]]


def test_nobody_reviews_their_own_upload_from_the_command_line(db_url, tmp_path):
    store = open_store(db_url)
    me = User(LOGIN, ADMIN)
    path = valid_register(tmp_path / "rbd.xlsx")
    ingest.commit(
        store,
        ingest.prepare(store, path.read_bytes(), path.name, "RBD", LOGIN, user=me),
        LOGIN,
        user=me,
    )
    store.close()
    own = run(
        "--region", "RBD", "--approve", "--user", LOGIN, "--db", db_url
    )  # no users file: admin
    assert own.returncode == 1 and "Nobody reviews their own upload" in own.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--region", "RBD", "--user", "diane"),  # neither --approve nor --return
        ("--region", "RBD", "--approve", "--return", "x", "--user", "diane"),
        ("--region", "RBD", "--approve"),  # no --user
        ("--approve", "--user", "diane"),  # no --region
        ("--region", "RBD", "--version", "two", "--approve", "--user", "diane"),
    ],
)
def test_bad_usage_exits_2(args):
    result = run(*args)
    assert result.returncode == 2 and "error:" in result.stderr
