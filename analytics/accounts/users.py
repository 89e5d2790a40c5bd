"""The users file: names, roles, regions, e-mails and argon2 password hashes.

A TOML file outside the repository (PARTNERSHIPS_USERS_FILE, by default users.toml beside the
embedded store, i.e. var/), written atomically under a lock so that several processes agree.
Signing in is analytics.accounts.sign_in; the `users` command, analytics.accounts.cli.
"""

import contextlib
import fcntl
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import tomli_w

from analytics.access.roles import FOCAL_POINT, ROLES, User
from analytics.accounts.passwords import hash_password
from analytics.config import setting
from analytics.i18n import languages

NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
MIN_PASSWORD = 12
MIN_DISTINCT = 5  # different characters a password must use


class UsersError(ValueError):
    """A users-file request that cannot be done; `code` and `values` make the message."""

    def __init__(self, code: str, **values):
        super().__init__(code if not values else f"{code}: {values}")
        self.code, self.values = code, values


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    regions: tuple[str, ...] = ()
    email: str = ""
    password_hash: str = ""
    disabled: bool = False
    changed_at: str = ""
    lang: str = "en"  # the language of the e-mails the user receives (`remind`)

    def user(self) -> User:
        return User(name=self.name, role=self.role, regions=self.regions)


def users_path() -> Path:
    """The users file: the setting, else users.toml beside the embedded store."""
    configured = setting("PARTNERSHIPS_USERS_FILE")
    if configured:
        return Path(configured).expanduser()
    return Path(setting("PARTNERSHIPS_DB_PATH")).expanduser().parent / "users.toml"


def load_accounts(path: Path | None = None) -> dict[str, Account]:
    """Every account of the users file (none when the file does not exist)."""
    path = path or users_path()
    if not path.exists():
        return {}
    with path.open("rb") as f:
        data = tomllib.load(f)
    accounts = {}
    for name, row in data.get("users", {}).items():
        accounts[name] = Account(
            name=name,
            role=row.get("role", ""),
            regions=tuple(row.get("regions", [])),
            email=row.get("email", ""),
            password_hash=row.get("password_hash", ""),
            disabled=bool(row.get("disabled", False)),
            changed_at=row.get("changed_at", ""),
            lang=row.get("lang", "en"),
        )
    return accounts


HEADER = (
    "# Users of the partnerships app: managed with `python -m analytics users …`.\n"
    "# Keep this file out of version control; it holds password hashes.\n\n"
)
FIELDS = ("role", "regions", "email", "password_hash", "disabled", "changed_at", "lang")


def _write(accounts: dict[str, Account], path: Path) -> None:
    # tomli-w writes any text TOML can hold (a hand-made writer once escaped emoji in a way
    # TOML rejects, and the whole file became unreadable).
    table = {}
    for account in sorted(accounts.values(), key=lambda a: a.name):
        table[account.name] = {key: getattr(account, key) for key in FIELDS}
        table[account.name]["regions"] = list(account.regions)
    text = HEADER + tomli_w.dumps({"users": table})
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".users-", suffix=".toml")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)  # readers see the old file or the new one, never half of one


@contextlib.contextmanager
def _locked(path: Path):
    """Serialise read-modify-write of the users file between processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_password(password: str) -> None:
    """Refuse a password shorter than MIN_PASSWORD once the spaces around it are set aside, or
    one made of fewer than MIN_DISTINCT different characters (twelve spaces, "aaaaaaaaaaaa")."""
    core = password.strip()
    if len(core) < MIN_PASSWORD:
        raise UsersError("password_too_short", minimum=MIN_PASSWORD)
    if len(set(core)) < MIN_DISTINCT:
        raise UsersError("password_too_plain", distinct=MIN_DISTINCT)


def _check(account: Account, known_regions: list[str] | None) -> None:
    if not NAME.match(account.name):
        raise UsersError("bad_name", name=account.name)
    if account.role not in ROLES:
        raise UsersError("bad_role", role=account.role, roles=", ".join(ROLES))
    if account.lang not in languages():
        raise UsersError("bad_lang", lang=account.lang, langs=", ".join(languages()))
    if account.role == FOCAL_POINT and not account.regions:
        raise UsersError("focal_point_needs_region")
    if known_regions is not None:
        unknown = [r for r in account.regions if r not in known_regions]
        if unknown:
            raise UsersError("unknown_region", regions=", ".join(unknown), count=len(unknown))


def add_user(
    name: str,
    role: str,
    password: str | None,
    *,
    regions: list[str] = (),
    email: str = "",
    lang: str = "en",
    known_regions: list[str] | None = None,
    path: Path | None = None,
) -> Account:
    """Add an account; `password` None for an account that signs in through OIDC only."""
    path = path or users_path()
    if password is not None:
        check_password(password)
    account = Account(
        name=name.strip().lower(),
        role=role,
        regions=tuple(sorted({r.strip().upper() for r in regions if r.strip()})),
        email=email.strip().lower(),
        password_hash=hash_password(password) if password is not None else "",
        changed_at=_now(),
        lang=lang,
    )
    _check(account, known_regions)
    with _locked(path):
        accounts = load_accounts(path)
        if account.name in accounts:
            raise UsersError("exists", name=account.name)
        if account.email and any(a.email == account.email for a in accounts.values()):
            raise UsersError("email_taken", email=account.email)
        accounts[account.name] = account
        _write(accounts, path)
    return account


def update_account(name: str, path: Path | None, **changes) -> Account:
    path = path or users_path()
    with _locked(path):
        accounts = load_accounts(path)
        if name not in accounts:
            raise UsersError("unknown_user", name=name)
        accounts[name] = replace(accounts[name], changed_at=_now(), **changes)
        _write(accounts, path)
    return accounts[name]


def set_language(name: str, lang: str, *, path: Path | None = None) -> Account:
    """The language of the e-mails a user receives."""
    if lang not in languages():
        raise UsersError("bad_lang", lang=lang, langs=", ".join(languages()))
    return update_account(name, path, lang=lang)


def disable_user(name: str, *, path: Path | None = None, disabled: bool = True) -> Account:
    return update_account(name, path, disabled=disabled)


def reset_password(name: str, password: str, *, path: Path | None = None) -> Account:
    check_password(password)
    return update_account(name, path, password_hash=hash_password(password))


def account_for_email(email: str, path: Path | None = None) -> Account | None:
    """The enabled account with this e-mail (OIDC sign-in maps roles this way), else None."""
    wanted = (email or "").strip().lower()
    for account in load_accounts(path).values():
        if wanted and account.email == wanted and not account.disabled:
            return account
    return None
