"""Signing in with a name and a password, and the throttle in front of it.

Sign-in attempts are counted in the store (shared by every app process) before the password is
checked: after a few failures of a name, each further attempt must wait twice as long as the
previous one; an address failing with many names, or everyone failing at once, are slowed too.
"""

import contextlib
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from analytics.access.roles import User
from analytics.accounts import passwords
from analytics.accounts.users import Account, load_accounts, update_account
from analytics.store import audit
from analytics.store.tables import as_utc
from analytics.store.tables import sign_in_attempts as attempts

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


class SignInFailed(Exception):
    """Wrong name or password, a disabled account, too many attempts or too busy (`wait` seconds).

    `scope` says whose attempts were too many: the name's, the address's or everyone's.
    """

    def __init__(self, code: str, wait: int = 0, scope: str = ""):
        super().__init__(code)
        self.code, self.wait, self.scope = code, wait, scope


# Outcomes of a sign-in attempt (sign_in_attempts.outcome). A pending attempt counts as failed
# until it is settled, so that guesses sent in parallel are counted before any is checked.
PENDING, OK, FAILED, BUSY = "pending", "ok", "failed", "busy"
COUNTED = (PENDING, FAILED)
# Serialises the sign-in decisions of every app process on PostgreSQL (pg_advisory_xact_lock).
SIGN_IN_LOCK = 0x5349474E  # "SIGN"


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

    with store.engine.execution_options(sqlite_immediate=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(SIGN_IN_LOCK)))
        yield conn


def failed_sign_ins(conn_or_store, name: str) -> tuple[int, datetime | None]:
    """Failed (or still pending) sign-ins of a name since its last success, and the last one's time."""

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

    with store.engine.execution_options(sqlite_immediate=True).begin() as conn:
        conn.execute(sa.update(attempts).where(attempts.c.id == attempt_id).values(outcome=outcome))
        audit.record(store, name, action, subject=name, detail=detail, at=now, conn=conn)


def _verify(account: Account | None, password: str) -> bool:
    return passwords.verify(account.password_hash if account else "", password)


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
            detail = (
                audit.detail("throttled_from", wait=wait, scope=scope, address=address)
                if address
                else audit.detail("throttled", wait=wait, scope=scope)
            )
            audit.record(
                store, name, audit.SIGN_IN_THROTTLED, subject=name, detail=detail, at=now, conn=conn
            )
    if throttled is not None:
        raise SignInFailed("throttled", wait=wait, scope=scope)
    account = load_accounts(path).get(name)
    # argon2 takes 64 MiB and a fraction of a second of CPU: a few at once, the others wait.
    if not _verifying.acquire(timeout=VERIFY_WAIT):
        _settle(store, attempt_id, BUSY, name, audit.SIGN_IN_THROTTLED, audit.detail("busy"), now)
        raise SignInFailed("busy", wait=int(BASE_DELAY))
    try:
        ok = _verify(account, password)
    finally:
        _verifying.release()
    if not ok or account is None or not account.password_hash or account.disabled:
        reason = (
            "disabled" if account is not None and account.disabled and ok else "bad_credentials"
        )
        _settle(
            store,
            attempt_id,
            FAILED,
            name,
            audit.SIGN_IN_FAILED,
            audit.detail("failed", reason=reason),
            now,
        )
        raise SignInFailed("bad_credentials")
    _settle(store, attempt_id, OK, name, audit.SIGN_IN, audit.detail("password"), now)
    if passwords.needs_rehash(account.password_hash):
        with contextlib.suppress(OSError):
            update_account(name, path, password_hash=passwords.hash_password(password))
    return account.user()
