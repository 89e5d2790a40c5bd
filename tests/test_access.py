"""Roles, the users file, sign-in and its throttle, the audit trail: on SQLite and PostgreSQL."""

import io
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from analytics.access.roles import (
    ADMIN,
    DIRECTOR,
    EDIT_REFERENCE,
    FOCAL_POINT,
    MANAGE_USERS,
    READ,
    READ_FILES,
    RESTORE,
    UPLOAD,
    VIEW_AUDIT,
    Refused,
    User,
    require,
)
from analytics.accounts import passwords, sign_in, users
from analytics.config import ROOT
from analytics.store import audit
from analytics.store.versions import open_store

AWA = User("awa", FOCAL_POINT, ("RBD",))
ANA = User("ana", FOCAL_POINT, ("RBP", "RBB"))
DIANE = User("diane", DIRECTOR)
ROOT_USER = User("root", ADMIN)


@pytest.mark.parametrize(
    "user, action, region, allowed",
    [
        (AWA, READ, None, True),
        (AWA, UPLOAD, "RBD", True),
        (AWA, UPLOAD, "RBN", False),
        (AWA, RESTORE, "RBD", True),
        (AWA, RESTORE, "RBN", False),
        (AWA, READ_FILES, "RBN", False),
        (AWA, EDIT_REFERENCE, None, False),
        (AWA, VIEW_AUDIT, None, False),
        (ANA, UPLOAD, "rbb", True),  # region codes compared upper-case
        (ANA, UPLOAD, "RBD", False),
        (AWA, UPLOAD, None, False),  # a region-scoped action without a region is refused
        (DIANE, READ, None, True),
        (DIANE, READ_FILES, "RBN", True),
        (DIANE, UPLOAD, "RBD", False),
        (DIANE, RESTORE, "RBD", False),
        (DIANE, EDIT_REFERENCE, None, False),
        (DIANE, MANAGE_USERS, None, False),
        (ROOT_USER, UPLOAD, "RBN", True),
        (ROOT_USER, RESTORE, "RBP", True),
        (ROOT_USER, EDIT_REFERENCE, None, True),
        (ROOT_USER, MANAGE_USERS, None, True),
        (ROOT_USER, VIEW_AUDIT, None, True),
    ],
)
def test_rules(user, action, region, allowed):
    """Each role may do exactly what the issue says, focal points only for their regions."""
    assert user.can(action, region) is allowed
    if allowed:
        assert require(user, action, region) is user
    else:
        with pytest.raises(Refused):
            require(user, action, region)


def test_refusal_says_why_in_the_users_language():
    """The refusal names the user, the role and the region, in English and in French."""
    with pytest.raises(Refused) as caught:
        require(AWA, UPLOAD, "RBN")
    assert caught.value.message("en") == (
        "awa (focal point) may not upload the register of RBN: focal points upload only for their own regions."
    )
    assert "point focal" in caught.value.message("fr") and "RBN" in caught.value.message("fr")
    with pytest.raises(Refused) as nobody:
        require(None, READ)
    assert nobody.value.message("fr") == "Veuillez d'abord vous connecter."


def test_unknown_role_is_refused():
    with pytest.raises(ValueError):
        User("x", "superuser")


# --- the users file --------------------------------------------------------------------------


def test_users_file_keeps_hashes_only_and_is_private(tmp_path):
    """Added users are stored with an argon2 hash (never the password), in a file only its owner reads."""
    path = tmp_path / "users.toml"
    users.add_user(
        "Awa",
        FOCAL_POINT,
        "correct horse battery",
        regions=["rbd"],
        email="Awa@Example.org",
        path=path,
    )
    users.add_user("diane", DIRECTOR, None, email="diane@example.org", path=path)
    text = path.read_text()
    assert "correct horse battery" not in text and "$argon2id$" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    accounts = users.load_accounts(path)
    assert accounts["awa"].user() == User("awa", FOCAL_POINT, ("RBD",))
    assert accounts["diane"].password_hash == ""  # OIDC only
    assert users.account_for_email("AWA@example.org", path).name == "awa"
    users.disable_user("awa", path=path)
    assert users.account_for_email("awa@example.org", path) is None


STRANGE = 'é ü "quoted" \\ back 😀 𝄞 \u2028'  # accents, quotes, a backslash, outside the BMP


def test_users_file_round_trips_any_text_in_every_field(tmp_path):
    """Whatever an account holds, the file written is valid TOML and reads back the same."""
    path = tmp_path / "users.toml"
    strange = users.Account(
        name=f"name {STRANGE}",
        role=f"role {STRANGE}",
        regions=(f"R {STRANGE}", "RBD"),
        email=f"{STRANGE}@example.org",
        password_hash=f"hash {STRANGE}",
        disabled=True,
        changed_at=f"at {STRANGE}",
    )
    plain = users.Account(name="awa", role=FOCAL_POINT, regions=("RBD",))
    users._write({strange.name: strange, plain.name: plain}, path)
    assert users.load_accounts(path) == {strange.name: strange, plain.name: plain}
    # Through the public path too: an e-mail with an emoji and a quote does not break the file.
    users.add_user("ana", DIRECTOR, None, email='ana"😀@exämple.org', path=path)
    assert users.load_accounts(path)["ana"].email == 'ana"😀@exämple.org'
    assert users.account_for_email('ANA"😀@EXäMPLE.ORG', path).name == "ana"


@pytest.mark.parametrize(
    "name, role, password, regions, code",
    [
        ("awa", FOCAL_POINT, "long enough password", [], "focal_point_needs_region"),
        ("awa", FOCAL_POINT, "short", ["RBD"], "password_too_short"),
        ("awa", FOCAL_POINT, " " * 12, ["RBD"], "password_too_short"),
        ("awa", FOCAL_POINT, "   too short   ", ["RBD"], "password_too_short"),
        ("awa", FOCAL_POINT, "a" * 12, ["RBD"], "password_too_plain"),
        ("awa", FOCAL_POINT, "abab abab abab", ["RBD"], "password_too_plain"),
        ("awa", "boss", "long enough password", [], "bad_role"),
        ("bad name!", DIRECTOR, "long enough password", [], "bad_name"),
        ("awa", FOCAL_POINT, "long enough password", ["XYZ"], "unknown_region"),
    ],
)
def test_users_file_refuses_bad_accounts(tmp_path, name, role, password, regions, code):
    with pytest.raises(users.UsersError) as caught:
        users.add_user(
            name,
            role,
            password,
            regions=regions,
            known_regions=["RBD", "RBN"],
            path=tmp_path / "u.toml",
        )
    assert caught.value.code == code


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "the password must have at least 12 characters, not counting spaces at either end"),
        ("fr", "le mot de passe doit avoir au moins 12 caractères, sans compter les espaces"),
    ],
)
def test_a_password_of_spaces_is_refused_in_the_users_language(
    tmp_path, monkeypatch, capsys, lang, expected
):
    """Twelve spaces are not a password; the CLI says so in English or French, and adds nobody."""
    from analytics.cli import main

    path = tmp_path / "users.toml"
    monkeypatch.setattr(sys, "stdin", io.StringIO(" " * 12 + "\n"))
    args = ["users", "--file", str(path), "--lang", lang, "add", "bob", "--role", "director"]
    assert main([*args, "--password-stdin"]) == 2
    assert expected in capsys.readouterr().err
    assert not path.exists()
    users.add_user("bob", DIRECTOR, "a fine pass phrase", path=path)
    with pytest.raises(users.UsersError) as caught:
        users.reset_password("bob", "bbbbbbbbbbbbbbbb", path=path)  # the same check on a reset
    assert caught.value.code == "password_too_plain"


def test_users_cli_add_list_reset_disable(tmp_path, monkeypatch, capsys):
    """The CLI reads the password from stdin (never argv), lists without hashes, records changes."""
    from analytics.cli import main

    path = tmp_path / "users.toml"
    monkeypatch.setenv("PARTNERSHIPS_DB_PATH", str(tmp_path / "store.db"))

    def run(*args, stdin=""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            status = main(["users", "--file", str(path), *args])
        except SystemExit as exc:  # argparse's bad usage
            status = exc.code
        out, err = capsys.readouterr()
        return status, out, err

    assert (
        run(
            "add",
            "awa",
            "--role",
            "focal_point",
            "--region",
            "RBD,RBN",
            "--password-stdin",
            stdin="first password 1\n",
        )[0]
        == 0
    )
    assert (
        run("add", "awa", "--role", "director", "--password-stdin", stdin="first password 1\n")[0]
        == 2
    )
    status, _, err = run("add", "bob", "--role", "director", "--password-stdin", stdin="short\n")
    assert status == 2 and "at least 12 characters" in err
    status, _, err = run(
        "add", "carl", "--role", "director"
    )  # no terminal to ask: refused, not hung
    assert status == 2 and "--password-stdin" in err
    assert run("add", "dan", "--role", "director", "--password", "x")[0] == 2  # no such option
    _, listed, _ = run("list")
    assert listed.split("\t")[:3] == ["awa", "focal_point", "RBD,RBN"] and "argon2" not in listed
    assert run("reset", "awa", "--password-stdin", stdin="second password 2\n")[0] == 0
    assert run("disable", "awa")[0] == 0 and "disabled" in run("list")[1]
    assert users.load_accounts(path)["awa"].disabled
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    trail = audit.entries(store, ROOT_USER, actions=[audit.USER_CHANGE])
    store.close()
    assert trail["detail"].tolist() == [
        "disable: disabled",
        "reset: password reset",
        "add: role focal_point, regions RBD,RBN",
    ]


def test_users_cli_is_a_real_command(tmp_path):
    """`python -m analytics users add … --password-stdin` works from a shell."""
    env = {**os.environ, "PARTNERSHIPS_DB_PATH": str(tmp_path / "store.db")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "users",
            "--file",
            str(tmp_path / "u.toml"),
            "add",
            "awa",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="a long password\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert users.load_accounts(tmp_path / "u.toml")["awa"].role == "admin"


IMPORT_THEN_SIGN_IN = """
import argon2

calls = []
real_hash = argon2.PasswordHasher.hash
argon2.PasswordHasher.hash = lambda self, *a, **k: calls.append(1) or real_hash(self, *a, **k)

from analytics.accounts import passwords, sign_in
from analytics.accounts import users
from analytics.store.versions import open_store

assert calls == [] and passwords._DUMMY_HASH is None, "hashed at import"
passwords._hasher = argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
store = open_store("sqlite://")
try:
    sign_in.authenticate(store, "nobody", "some password", path=users.Path("/nonexistent/u.toml"))
except sign_in.SignInFailed:
    pass
assert len(calls) == 1 and passwords._DUMMY_HASH is not None, calls
print("ok")
"""


def test_importing_users_computes_no_hash_until_a_sign_in_needs_one():
    """`import analytics.accounts.users` (every CLI command) hashes nothing; an unknown name's sign-in does once."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_THEN_SIGN_IN],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch):
    """Argon2 with test-sized costs (the hash records its parameters; verification follows them)."""
    cheap = passwords.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("dummy"))


# --- sign-in, throttle and audit trail on both backends --------------------------------------


def test_sign_in_is_recorded_and_slowed_down_after_failures(store, tmp_path):
    """3 wrong passwords are heard at once; then each attempt must wait 5 s, 10 s…, even the right one."""
    path = tmp_path / "users.toml"
    users.add_user("awa", FOCAL_POINT, "the right password", regions=["RBD"], path=path)
    t0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert sign_in.authenticate(store, "AWA", "the right password", path=path, now=t0) == AWA
    for i in range(3):  # FREE_FAILURES = 3
        with pytest.raises(sign_in.SignInFailed) as failed:
            sign_in.authenticate(store, "awa", "wrong", path=path, now=t0 + timedelta(seconds=i))
        assert failed.value.code == "bad_credentials"
    # 3 failures, the last at t0+2 s: the next attempt is heard from t0+2+5 s (BASE_DELAY).
    with pytest.raises(sign_in.SignInFailed) as throttled:
        sign_in.authenticate(
            store, "awa", "the right password", path=path, now=t0 + timedelta(seconds=4)
        )
    assert (throttled.value.code, throttled.value.wait) == ("throttled", 4)
    with pytest.raises(sign_in.SignInFailed):  # a 4th failure: now 10 s from t0+8 s
        sign_in.authenticate(store, "awa", "wrong", path=path, now=t0 + timedelta(seconds=8))
    with pytest.raises(sign_in.SignInFailed) as again:
        sign_in.authenticate(
            store, "awa", "the right password", path=path, now=t0 + timedelta(seconds=17)
        )
    assert again.value.code == "throttled"
    assert (
        sign_in.authenticate(
            store, "awa", "the right password", path=path, now=t0 + timedelta(seconds=18)
        )
        == AWA
    )
    assert sign_in.failed_sign_ins(store, "awa") == (0, None)  # a success clears the count
    trail = audit.entries(store, ROOT_USER)
    assert trail["action"].tolist() == [
        "sign_in",
        "sign_in_throttled",
        "sign_in_failed",
        "sign_in_throttled",
        "sign_in_failed",
        "sign_in_failed",
        "sign_in_failed",
        "sign_in",
    ]
    assert (trail["actor"] == "awa").all()


def test_unknown_and_disabled_users_get_the_same_answer(store, tmp_path):
    path = tmp_path / "users.toml"
    users.add_user("awa", FOCAL_POINT, "the right password", regions=["RBD"], path=path)
    users.disable_user("awa", path=path)
    for name, password in [("nobody", "whatever password"), ("awa", "the right password")]:
        with pytest.raises(sign_in.SignInFailed) as failed:
            sign_in.authenticate(store, name, password, path=path)
        assert failed.value.code == "bad_credentials"
    assert audit.entries(store, ROOT_USER)["detail"].tolist() == ["disabled", "bad credentials"]


def test_audit_trail_is_append_only_in_the_database(store):
    """Even a direct UPDATE or DELETE on the audit table is refused by the database."""
    audit.record(
        store, AWA, audit.COMMIT, region="RBD", subject="rbd.xlsx", from_version=1, to_version=2
    )
    for statement in ("UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    row = audit.entries(store, ROOT_USER).iloc[0]
    assert (row["actor"], row["region"], row["from_version"], row["to_version"]) == (
        "awa",
        "RBD",
        1,
        2,
    )


def test_audit_trail_is_for_admins_filterable_and_exported_without_formulas(store):
    audit.record(store, AWA, audit.UPLOAD, region="RBD", subject='=HYPERLINK("http://x")')
    audit.record(store, ANA, audit.COMMIT, region="RBP", to_version=3)
    with pytest.raises(Refused):
        audit.entries(store, DIANE)
    only_ana = audit.entries(store, ROOT_USER, actor="ana")
    assert only_ana["to_version"].tolist() == [3]
    assert audit.entries(store, ROOT_USER, region="RBD")["action"].tolist() == ["upload"]
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert audit.entries(store, ROOT_USER, since=tomorrow).empty
    csv = audit.to_csv(audit.entries(store, ROOT_USER)).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and ",=HYPERLINK" not in csv


def test_store_round_trip_on_both_backends(store):
    """The samples seed and read back the same way on SQLite and PostgreSQL."""
    loaded = store.seed_samples_if_empty()
    assert sorted(v.region for v in loaded) == ["RBB", "RBC", "RBD", "RBJ", "RBN", "RBP"]
    partners, contributions = store.load_current()
    assert len(partners) == sum(v.n_partners for v in loaded)
    assert len(contributions) == sum(v.n_contributions for v in loaded)
    assert store.seed_samples_if_empty() == []


def test_migrations_have_exactly_one_head():
    """Two helpers adding migrations at once must not leave two heads."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from analytics.store.engine import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
