"""The users file: names, roles, regions, e-mails and argon2 password hashes; sign-in and its throttle.

A TOML file outside the repository (PARTNERSHIPS_USERS_FILE, by default users.toml beside the
embedded store, i.e. var/), written atomically under a lock so that several processes agree.
Sign-in attempts are counted in the store (shared by every app process) before the password is
checked: after a few failures of a name, each further attempt must wait twice as long as the
previous one; an address failing with many names, or everyone failing at once, are slowed too.
"""

import contextlib
import fcntl
import getpass
import os
import re
import sys
import tempfile
import threading
import tomllib
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import tomli_w
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics.access.roles import ADMIN, FOCAL_POINT, ROLES, User
from analytics.config import setting
from analytics.i18n import languages, t

NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
MIN_PASSWORD = 12
MIN_DISTINCT = 5  # different characters a password must use
FREE_FAILURES = 3  # failed attempts of a name allowed before any waiting
BASE_DELAY = 5.0  # seconds to wait after the first throttled failure; doubles each time
MAX_DELAY = 15 * 60.0
# One client address failing with many names (one password sprayed over them): free failures
# within the window, then the same doubling delays.
ADDRESS_FREE_FAILURES = 10
ADDRESS_WINDOW = timedelta(hours=1)
# Every address together (a spray from many machines): at most this many failures per window.
GLOBAL_FAILURES = 30
GLOBAL_WINDOW = timedelta(minutes=1)
# argon2 verifications at once in one process (each needs 64 MiB); the others wait this long.
VERIFY_CONCURRENCY = 2
VERIFY_WAIT = 10.0
_verifying = threading.BoundedSemaphore(VERIFY_CONCURRENCY)
_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
# Made at the first sign-in that needs it: hashing at import cost every CLI command ~1 s.
_DUMMY_HASH: str | None = None


class UsersError(ValueError):
    """A users-file request that cannot be done; `code` and `values` make the message."""

    def __init__(self, code: str, **values):
        super().__init__(code if not values else f"{code}: {values}")
        self.code, self.values = code, values


class SignInFailed(Exception):
    """Wrong name or password, a disabled account, too many attempts or too busy (`wait` seconds).

    `scope` says whose attempts were too many: the name's, the address's or everyone's.
    """

    def __init__(self, code: str, wait: int = 0, scope: str = ""):
        super().__init__(code)
        self.code, self.wait, self.scope = code, wait, scope


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    regions: tuple[str, ...] = ()
    email: str = ""
    password_hash: str = ""
    disabled: bool = False
    changed_at: str = ""

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
        )
    return accounts


HEADER = (
    "# Users of the partnerships app: managed with `python -m analytics users …`.\n"
    "# Keep this file out of version control; it holds password hashes.\n\n"
)
FIELDS = ("role", "regions", "email", "password_hash", "disabled", "changed_at")


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
        password_hash=_hasher.hash(password) if password is not None else "",
        changed_at=_now(),
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


def _update(name: str, path: Path | None, **changes) -> Account:
    path = path or users_path()
    with _locked(path):
        accounts = load_accounts(path)
        if name not in accounts:
            raise UsersError("unknown_user", name=name)
        accounts[name] = replace(accounts[name], changed_at=_now(), **changes)
        _write(accounts, path)
    return accounts[name]


def disable_user(name: str, *, path: Path | None = None, disabled: bool = True) -> Account:
    return _update(name, path, disabled=disabled)


def reset_password(name: str, password: str, *, path: Path | None = None) -> Account:
    check_password(password)
    return _update(name, path, password_hash=_hasher.hash(password))


def account_for_email(email: str, path: Path | None = None) -> Account | None:
    """The enabled account with this e-mail (OIDC sign-in maps roles this way), else None."""
    wanted = (email or "").strip().lower()
    for account in load_accounts(path).values():
        if wanted and account.email == wanted and not account.disabled:
            return account
    return None


# --- the command line's acting user ------------------------------------------------------------


def os_login() -> str:
    """The operating-system account running this process (its effective user id's name).

    Not getpass.getuser(): it believes LOGNAME and USER, so anyone could name themselves an admin.
    """
    try:
        import pwd
    except ImportError:  # Windows: no user database to ask
        return getpass.getuser()
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a user id without a name (some containers)
        return f"uid-{os.geteuid()}"


def command_line_user(path: Path | None = None) -> User:
    """Who a command acts as: the operating-system account, with its role and regions.

    With a users file, the account must be an enabled user of it (else UsersError). Without one
    (demo or embedded use, PARTNERSHIPS_AUTH auto or demo), it is an admin of that name: whoever
    runs commands on the server can already change the store's file.
    """
    login = os_login()
    path = path or users_path()
    if not path.exists():
        if setting("PARTNERSHIPS_AUTH").strip().lower() in ("password", "oidc"):
            raise UsersError("cli_no_users_file", path=str(path))
        return User(name=login, role=ADMIN)
    account = load_accounts(path).get(login.strip().lower())
    if account is None or account.disabled:
        raise UsersError("cli_no_account", name=login, path=str(path))
    return account.user()


# --- sign-in ---------------------------------------------------------------------------------

# Outcomes of a sign-in attempt (sign_in_attempts.outcome). A pending attempt counts as failed
# until it is settled, so that guesses sent in parallel are counted before any is checked.
PENDING, OK, FAILED, BUSY = "pending", "ok", "failed", "busy"
COUNTED = (PENDING, FAILED)
# Serialises the sign-in decisions of every app process on PostgreSQL (pg_advisory_xact_lock).
SIGN_IN_LOCK = 0x5349474E  # "SIGN"


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash("not a password of anyone")
    return _DUMMY_HASH


def delay_after(failures: int, free: int = FREE_FAILURES) -> float:
    """Seconds to wait after `failures` failures before the next attempt is heard (`free` are free)."""
    if failures < free:
        return 0.0
    return min(BASE_DELAY * 2 ** (failures - free), MAX_DELAY)


@contextlib.contextmanager
def _sign_in_lock(store):
    """A transaction holding the sign-in lock from its start, shared by every app process.

    SQLite: the write lock, taken by BEGIN IMMEDIATE as a commit of the store takes it;
    PostgreSQL: a transaction-scoped advisory lock. Only the decision is locked, never argon2.
    """
    import sqlalchemy as sa

    with store.engine.execution_options(sqlite_immediate=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(SIGN_IN_LOCK)))
        yield conn


def failed_sign_ins(conn_or_store, name: str) -> tuple[int, datetime | None]:
    """Failed (or still pending) sign-ins of a name since its last success, and the last one's time."""
    import sqlalchemy as sa

    from analytics.store.tables import as_utc
    from analytics.store.tables import sign_in_attempts as attempts

    query = (
        sa.select(attempts.c.outcome, attempts.c.at)
        .where(attempts.c.name == name, attempts.c.outcome != BUSY)
        .order_by(attempts.c.id.desc())
        .limit(64)  # the delay is capped long before this many
    )
    if isinstance(conn_or_store, sa.Connection):
        rows = conn_or_store.execute(query).fetchall()
    else:
        with conn_or_store.engine.connect() as conn:
            rows = conn.execute(query).fetchall()
    failures, last = 0, None
    for outcome, at in rows:
        if outcome == OK:
            break
        failures += 1
        last = last or as_utc(at)
    return failures, last


def _throttled(conn, name: str, address: str | None, now: datetime) -> tuple[str, int] | None:
    """Why and how many seconds this attempt must wait (name, address, everyone), or None."""
    import sqlalchemy as sa

    from analytics.store.tables import as_utc
    from analytics.store.tables import sign_in_attempts as attempts

    ready: list[tuple[datetime, str]] = []
    failures, last = failed_sign_ins(conn, name)
    delay = delay_after(failures)
    if delay:
        ready.append((last + timedelta(seconds=delay), "name"))
    counted = attempts.c.outcome.in_(COUNTED)
    if address:  # one address trying many names: spraying one password
        recent = (
            conn.execute(
                sa.select(attempts.c.at)
                .where(counted, attempts.c.address == address, attempts.c.at > now - ADDRESS_WINDOW)
                .order_by(attempts.c.at.desc())
                .limit(64)
            )
            .scalars()
            .all()
        )
        delay = delay_after(len(recent), ADDRESS_FREE_FAILURES)
        if recent and delay:
            ready.append((as_utc(recent[0]) + timedelta(seconds=delay), "address"))
    # Everyone together (a spray from many addresses): a sliding window of GLOBAL_FAILURES.
    recent = (
        conn.execute(
            sa.select(attempts.c.at)
            .where(counted, attempts.c.at > now - GLOBAL_WINDOW)
            .order_by(attempts.c.at.desc())
            .limit(GLOBAL_FAILURES)
        )
        .scalars()
        .all()
    )
    if len(recent) >= GLOBAL_FAILURES:
        ready.append((as_utc(recent[-1]) + GLOBAL_WINDOW, "everyone"))
    ready_at, scope = max(ready, default=(now, ""))
    if ready_at <= now:
        return None
    return scope, int((ready_at - now).total_seconds()) + 1


def _settle(store, attempt_id: int, outcome: str, name: str, action: str, detail: str, now):
    """Mark the attempt and record it in the audit trail, in one transaction."""
    import sqlalchemy as sa

    from analytics.store import audit
    from analytics.store.tables import sign_in_attempts as attempts

    with store.engine.execution_options(sqlite_immediate=True).begin() as conn:
        conn.execute(sa.update(attempts).where(attempts.c.id == attempt_id).values(outcome=outcome))
        audit.record(store, name, action, subject=name, detail=detail, at=now, conn=conn)


def _verify(account: Account | None, password: str) -> bool:
    try:
        return _hasher.verify(
            account.password_hash if account and account.password_hash else _dummy_hash(), password
        )
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    store,
    name: str,
    password: str,
    *,
    address: str | None = None,
    path: Path | None = None,
    now: datetime | None = None,
) -> User:
    """The user whose name and password these are; every attempt is recorded in the audit trail.

    The attempt is counted (under a lock every app process shares) before the password is
    checked, so parallel guesses cannot all be heard. Raises SignInFailed("throttled", wait,
    scope) while the name, the client `address` or everyone must wait; SignInFailed("busy") when
    too many passwords are being checked in this process; SignInFailed("bad_credentials") for a
    wrong name, password or a disabled account (one answer, so names cannot be guessed).
    """
    import sqlalchemy as sa

    from analytics.store import audit
    from analytics.store.tables import as_utc
    from analytics.store.tables import sign_in_attempts as attempts

    name = (name or "").strip().lower()[:64]
    address = (address or "").strip()[:64] or None
    with _sign_in_lock(store) as conn:
        now = as_utc(now or datetime.now(UTC))  # under the lock: attempts are in time order
        throttled = _throttled(conn, name, address, now)
        if throttled is None:
            attempt_id = conn.execute(
                sa.insert(attempts).values(at=now, name=name, address=address, outcome=PENDING)
            ).inserted_primary_key[0]
        else:
            scope, wait = throttled
            detail = f"wait {wait} s ({scope}{f', from {address}' if address else ''})"
            audit.record(
                store, name, audit.SIGN_IN_THROTTLED, subject=name, detail=detail, at=now, conn=conn
            )
    if throttled is not None:
        raise SignInFailed("throttled", wait=wait, scope=scope)
    account = load_accounts(path).get(name)
    # argon2 takes 64 MiB and a fraction of a second of CPU: a few at once, the others wait.
    if not _verifying.acquire(timeout=VERIFY_WAIT):
        _settle(store, attempt_id, BUSY, name, audit.SIGN_IN_THROTTLED, "busy", now)
        raise SignInFailed("busy", wait=int(BASE_DELAY))
    try:
        ok = _verify(account, password)
    finally:
        _verifying.release()
    if not ok or account is None or not account.password_hash or account.disabled:
        reason = (
            "disabled" if account is not None and account.disabled and ok else "bad credentials"
        )
        _settle(store, attempt_id, FAILED, name, audit.SIGN_IN_FAILED, reason, now)
        raise SignInFailed("bad_credentials")
    _settle(store, attempt_id, OK, name, audit.SIGN_IN, "password", now)
    if _hasher.check_needs_rehash(account.password_hash):
        with contextlib.suppress(OSError):
            _update(name, path, password_hash=_hasher.hash(password))
    return account.user()


# --- command line ----------------------------------------------------------------------------


def _read_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsersError("no_terminal")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise UsersError("passwords_differ")
    return first


def _audit_user_change(args, action: str, name: str, detail: str) -> None:
    """Record a user change in the store's audit trail; the file change stands even if the store is down."""
    from analytics.store import audit
    from analytics.store.versions import open_store

    try:
        store = open_store(getattr(args, "db", None))
    except Exception:  # noqa: BLE001 - the users file is the authority; the trail is best effort here
        print(
            "note: the store could not be opened; this change is not in the audit trail",
            file=sys.stderr,
        )
        return
    try:
        audit.record(
            store,
            f"cli:{os_login()}",
            audit.USER_CHANGE,
            subject=name,
            detail=f"{action}: {detail}",
        )
    finally:
        store.close()


def cli_users(args) -> int:
    """`users add|disable|enable|reset|list`: 0 done, 2 refused (with a one-line reason)."""
    from analytics.reference.load import load_reference

    path = Path(args.file) if args.file else users_path()
    try:
        if args.action == "list":
            for a in sorted(load_accounts(path).values(), key=lambda a: a.name):
                state = "disabled" if a.disabled else "enabled"
                login = "password" if a.password_hash else "oidc only"
                print(
                    f"{a.name}\t{a.role}\t{','.join(a.regions) or '-'}\t{a.email or '-'}\t{state}\t{login}"
                )
            return 0
        if args.action == "add":
            password = None if args.oidc_only else _read_password(args)
            regions = [r for chunk in args.region or [] for r in chunk.split(",")]
            account = add_user(
                args.name,
                args.role,
                password,
                regions=regions,
                email=args.email or "",
                known_regions=load_reference().region_codes,
                path=path,
            )
            detail = f"role {account.role}, regions {','.join(account.regions) or '-'}"
        elif args.action in ("disable", "enable"):
            account = disable_user(args.name, path=path, disabled=args.action == "disable")
            detail = args.action + "d"
        else:  # reset
            account = reset_password(args.name, _read_password(args), path=path)
            detail = "password reset"
    except UsersError as exc:
        print(
            f"users {args.action}: {t('users.' + exc.code, args.lang, **exc.values)}",
            file=sys.stderr,
        )
        return 2
    _audit_user_change(args, args.action, account.name, detail)
    print(f"users {args.action}: {account.name} ({detail}) in {path}")
    return 0


def add_cli_arguments(sub, help_text: str) -> None:
    """The `users` sub-command's arguments (called by analytics.cli)."""
    p = sub.add_parser("users", help=help_text)
    p.add_argument(
        "--file", help="users file (default: PARTNERSHIPS_USERS_FILE, else var/users.toml)"
    )
    p.add_argument(
        "--db", help="store whose audit trail records the change (default: DATABASE_URL)"
    )
    p.add_argument("--lang", choices=languages(), default="en", help="language of the messages")
    actions = p.add_subparsers(dest="action", required=True)  # same parser class: bad usage exits 2
    add = actions.add_parser(
        "add", help="add a user (the password is asked, never given on the command line)"
    )
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument(
        "--region",
        action="append",
        help="region code(s) of a focal point (repeat or comma-separate)",
    )
    add.add_argument("--email", help="e-mail, to map an OpenID Connect sign-in to this user")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.add_argument(
        "--oidc-only", action="store_true", help="no password: signs in through OpenID Connect only"
    )
    for action, text in (
        ("disable", "forbid a user to sign in"),
        ("enable", "allow a disabled user again"),
    ):
        actions.add_parser(action, help=text).add_argument("name")
    reset = actions.add_parser("reset", help="set a new password")
    reset.add_argument("name")
    reset.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    actions.add_parser("list", help="list the users (never the hashes)")
