"""`python -m analytics ingest` as a data manager runs it: exit statuses, confirmation, no terminal."""

import os
import pty
import subprocess

import pytest

from analytics.access.roles import ADMIN, User
from analytics.store.versions import open_store
from tests import cli
from tests.workbooks import contribution, partner, valid_register


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.db'}"


def ingest(*args, db=None, stdin=subprocess.DEVNULL, env=None, child=False):
    """`python -m analytics ingest ARGS`, in this process unless given a terminal or `child`."""
    environment = {**os.environ, "PARTNERSHIPS_DB_PATH": "/nonexistent/never-used.db"}
    environment.pop("DATABASE_URL", None)
    environment.update(env or {})
    argv = ["ingest", *args, *(["--db", db] if db else [])]
    return cli.run(argv, environment, stdin=stdin, child=child)


def versions(db):
    store = open_store(db)
    try:
        uploads = store.uploads(user=User("hq", ADMIN))
        return store.versions()["number"].tolist(), uploads["status"].tolist()
    finally:
        store.close()


def test_yes_commits_then_the_same_file_is_identical(tmp_path, db):
    """0 and a new version; then 0 again, 'identical', nothing stored."""
    path = valid_register(tmp_path / "rbd.xlsx")
    first = ingest(path, "--region", "RBD", "--yes", "--user", "Awa", db=db)
    assert first.returncode == 0, first.stderr
    assert "First version of RBD" in first.stdout and "Stored as version 1 of RBD." in first.stdout
    second = ingest(path, "--region", "rbd", "--yes", db=db)
    assert (
        second.returncode == 0 and "Identical to version 1 of RBD: nothing stored." in second.stdout
    )
    assert versions(db) == ([1], ["identical", "committed"])


def test_change_is_printed_in_french(tmp_path, db):
    """The change against the current version, field by field, in the chosen language."""
    ingest(valid_register(tmp_path / "v1.xlsx"), "--region", "RBD", "--yes", db=db)
    v2 = valid_register(
        tmp_path / "v2.xlsx",
        partners=[partner("P1", stage="closed", end_date="2024-12-31"), partner("P2")],
        contributions=[contribution("C1", "P1")],
    )
    # C2 is removed: the reason it needs (issue #12) is given.
    run = ingest(v2, "--region", "RBD", "--yes", "--lang", "fr", "--reason", "doublon", db=db)
    assert run.returncode == 0, run.stderr
    assert "Changements par rapport à la version 1 de RBD" in run.stdout
    assert "Partenaires\u00a0: 0 ajoutés, 2 modifiés, 0 supprimés." in run.stdout
    assert "  ~ P1  Étape\u00a0: Actif → Clos" in run.stdout
    assert "  ~ P1  Date de fin\u00a0: (vide) → 31 déc. 2024" in run.stdout
    assert "  - C2  250,5 USD" in run.stdout
    assert "Enregistré comme version 2 de RBD." in run.stdout


def test_errors_found_exit_1_and_nothing_committed(tmp_path, db):
    """A contribution of an unknown partner: 1, the report printed, the file kept as rejected."""
    path = valid_register(tmp_path / "bad.xlsx", contributions=[contribution("C1", "P404")])
    run = ingest(path, "--region", "RBD", "--yes", db=db)
    assert run.returncode == 1
    assert "ERROR" in run.stdout and "P404" in run.stdout
    assert versions(db) == ([], ["rejected"])


def test_unreadable_file_and_bad_usage_exit_2(tmp_path, db):
    """Not a workbook, a missing file, an unknown region, a missing --region: all 2."""
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"hello")
    assert ingest(junk, "--region", "RBD", "--yes", db=db).returncode == 2
    assert versions(db) == ([], ["unreadable"])
    missing = ingest(tmp_path / "nope.xlsx", "--region", "RBD", "--yes", db=db)
    assert missing.returncode == 2 and "not found" in missing.stderr
    unknown = ingest(junk, "--region", "XYZ", "--yes", db=db)
    assert unknown.returncode == 2 and "'XYZ' is not a region code" in unknown.stderr
    assert ingest(junk, "--yes", db=db).returncode == 2
    bad_db = ingest(
        valid_register(tmp_path / "ok.xlsx"), "--region", "RBD", "--yes", db="nosuchdriver://x"
    )
    assert bad_db.returncode == 2 and "cannot be opened" in bad_db.stderr


def test_without_yes_and_without_terminal_it_refuses(tmp_path, db):
    """stdin is not a terminal and no --yes: 2, a clear message, no version (the file is kept)."""
    run = ingest(valid_register(tmp_path / "rbd.xlsx"), "--region", "RBD", db=db)
    assert run.returncode == 2
    assert "no terminal" in run.stderr and "--yes" in run.stderr
    assert "First version of RBD" in run.stdout  # the change was shown before refusing
    assert versions(db) == ([], ["validated"])


@pytest.mark.parametrize(("answer", "status", "numbers"), [("y\n", 0, [1]), ("n\n", 2, [])])
def test_on_a_terminal_it_asks(tmp_path, db, answer, status, numbers):
    """On a terminal the question is asked; yes commits, anything else stores nothing."""
    leader, follower = pty.openpty()
    try:
        os.write(leader, answer.encode())
        run = ingest(
            valid_register(tmp_path / "rbd.xlsx"),
            "--region",
            "RBD",
            "--user",
            "Awa",
            db=db,
            stdin=follower,
        )
    finally:
        os.close(leader)
        os.close(follower)
    assert run.returncode == status, run.stderr
    assert "Commit this as version 1 of RBD? [y/N]" in run.stdout
    assert versions(db)[0] == numbers


def test_database_url_is_used_without_db(tmp_path):
    """Without --db the store is DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'env.db'}"
    run = ingest(
        valid_register(tmp_path / "rbd.xlsx"), "--region", "RBD", "--yes", env={"DATABASE_URL": url}
    )
    assert run.returncode == 0, run.stderr
    assert versions(url)[0] == [1]


def test_the_command_acts_as_the_os_account_never_as_the_name_given(tmp_path, db):
    """USER=hq.admin and --user hq.admin do not make a focal point's account an admin."""
    import pwd

    from analytics.accounts import users
    from analytics.store import audit

    login = pwd.getpwuid(os.geteuid()).pw_name  # the account running the tests
    users_file = tmp_path / "users.toml"
    users.add_user("hq.admin", "admin", None, path=users_file)
    users.add_user(login, "focal_point", None, regions=["RBN"], path=users_file)
    run = ingest(
        valid_register(tmp_path / "rbd.xlsx"),
        "--region",
        "RBD",
        "--yes",
        "--user",
        "hq.admin",
        db=db,
        env={"PARTNERSHIPS_USERS_FILE": str(users_file), "USER": "hq.admin", "LOGNAME": "hq.admin"},
    )
    assert run.returncode == 1, run.stderr
    assert f"{login} (focal point) may not upload the register of RBD" in run.stderr
    assert versions(db) == ([], [])
    store = open_store(db)
    entry = audit.entries(store, User("hq", ADMIN)).iloc[0]
    store.close()
    assert (entry["actor"], entry["action"], entry["detail"]) == (
        login,
        "refused",
        "upload, given as hq.admin",
    )
    users.disable_user(login, path=users_file)
    refused = ingest(
        valid_register(tmp_path / "rbd.xlsx"),
        "--region",
        "RBD",
        "--yes",
        db=db,
        env={"PARTNERSHIPS_USERS_FILE": str(users_file)},
    )
    assert refused.returncode == 1 and f"'{login}' has no enabled account" in refused.stderr


@pytest.mark.parametrize(
    ("lang", "answer", "yes"),
    [("fr", "Oui", True), ("fr", "o", True), ("fr", "yes", True), ("fr", "non", False)]
    + [("en", "Y", True), ("en", "oui", False), ("en", "", False)],
)
def test_the_answer_is_read_in_the_user_s_language(monkeypatch, lang, answer, yes):
    """The yes words are the locale's (`parsing.yes_words`, as a workbook's yes), English too."""
    from analytics.services.ingest_cli import _ask

    monkeypatch.setattr("builtins.input", lambda _prompt: answer)
    assert _ask("Commit?", lang) is yes
