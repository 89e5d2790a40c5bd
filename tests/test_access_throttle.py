"""The sign-in throttle under real parallel attempts (threads and processes), on SQLite and PostgreSQL.

Each attempt is counted before its password is checked, so guesses sent at once cannot all be
heard; an address spraying one password over many names, and everyone at once, are slowed too;
and argon2 verifications are bounded in number at any moment.
"""

import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from analytics.access.roles import ADMIN, FOCAL_POINT, User
from analytics.accounts import passwords, sign_in, users
from analytics.store import audit
from analytics.store.versions import open_store

ROOT_USER = User("root", ADMIN)


class CountingHasher(passwords.PasswordHasher):
    """Test-sized argon2 that counts verifications and holds each a moment, so that they overlap."""

    def __init__(self, hold: float = 0.2):
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.hold, self.lock = hold, threading.Lock()
        self.calls = self.running = self.most = 0

    def verify(self, hash, password):
        with self.lock:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(self.hold)
            return super().verify(hash, password)
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def hasher(monkeypatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", counting)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", counting.hash("dummy"))
    monkeypatch.setattr(
        sign_in, "_verifying", threading.BoundedSemaphore(sign_in.VERIFY_CONCURRENCY)
    )
    return counting


@pytest.fixture
def users_file(tmp_path, hasher):
    path = tmp_path / "users.toml"
    users.add_user("awa", FOCAL_POINT, "the right password", regions=["RBD"], path=path)
    return path


def in_parallel(n: int, attempt) -> list:
    """Run attempt(0…n-1) on n threads released at the same instant; results or SignInFailed."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        try:
            return attempt(i)
        except sign_in.SignInFailed as failed:
            return failed

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def outcomes(results) -> list[tuple[str, str]]:
    return sorted((r.code, r.scope) for r in results)


def test_ten_parallel_guesses_for_one_name_check_only_the_free_ones(store, users_file, hasher):
    """10 wrong passwords for awa at once: FREE_FAILURES are checked, the rest refused unchecked."""
    results = in_parallel(
        10,
        lambda i: sign_in.authenticate(store, "awa", f"wrong guess {i}", path=users_file),
    )
    assert hasher.calls == sign_in.FREE_FAILURES == 3
    assert outcomes(results) == [("bad_credentials", "")] * 3 + [("throttled", "name")] * 7
    assert all(r.wait >= sign_in.BASE_DELAY for r in results if r.code == "throttled")
    actions = audit.entries(store, ROOT_USER)["action"].value_counts().to_dict()
    assert actions == {"sign_in_throttled": 7, "sign_in_failed": 3}
    assert sign_in.failed_sign_ins(store, "awa")[0] == 3


def test_one_address_spraying_a_password_over_many_names_is_slowed(store, users_file, hasher):
    """15 names tried at once from one address: ADDRESS_FREE_FAILURES checked, then it waits."""
    spray = "Summer2026!!"
    results = in_parallel(
        15,
        lambda i: sign_in.authenticate(
            store, f"user{i:02}", spray, address="203.0.113.9", path=users_file
        ),
    )
    assert hasher.calls == sign_in.ADDRESS_FREE_FAILURES == 10
    assert outcomes(results) == [("bad_credentials", "")] * 10 + [("throttled", "address")] * 5
    # Another address is still heard: the limit is the sprayer's, not everyone's.
    with pytest.raises(sign_in.SignInFailed) as other:
        sign_in.authenticate(store, "awa", "a typo password", address="192.0.2.1", path=users_file)
    assert other.value.code == "bad_credentials"
    assert sign_in.authenticate(
        store, "awa", "the right password", address="192.0.2.1", path=users_file
    ) == User("awa", FOCAL_POINT, ("RBD",))


def test_a_spray_from_many_addresses_slows_everyone(store, users_file, hasher, monkeypatch):
    """Beyond GLOBAL_FAILURES failures a minute, from anywhere, every attempt waits."""
    monkeypatch.setattr(sign_in, "GLOBAL_FAILURES", 12)
    results = in_parallel(
        15,
        lambda i: sign_in.authenticate(store, f"user{i:02}", "Summer2026!!", path=users_file),
    )
    assert hasher.calls == 12
    assert outcomes(results) == [("bad_credentials", "")] * 12 + [("throttled", "everyone")] * 3
    with pytest.raises(sign_in.SignInFailed) as late:
        sign_in.authenticate(store, "awa", "the right password", path=users_file)
    assert (late.value.code, late.value.scope) == ("throttled", "everyone")
    assert 0 < late.value.wait <= 61


def test_argon2_verifications_are_bounded_and_the_rest_told_to_try_again(
    store, users_file, hasher, monkeypatch
):
    """At most VERIFY_CONCURRENCY checks at once; one that cannot start in time is 'busy', not a failure."""
    results = in_parallel(
        8,
        lambda i: sign_in.authenticate(store, f"user{i}", "some password", path=users_file),
    )
    assert outcomes(results) == [("bad_credentials", "")] * 8  # all heard, a few at a time
    assert hasher.calls == 8 and hasher.most == sign_in.VERIFY_CONCURRENCY == 2
    hasher.hold = 1.0
    monkeypatch.setattr(sign_in, "VERIFY_WAIT", 0.2)
    busy = in_parallel(
        5,
        lambda i: sign_in.authenticate(store, f"other{i}", "some password", path=users_file),
    )
    assert outcomes(busy) == [("bad_credentials", "")] * 2 + [("busy", "")] * 3
    assert hasher.most == 2
    busy_names = [f"other{i}" for i, r in enumerate(busy) if r.code == "busy"]
    assert [sign_in.failed_sign_ins(store, n) for n in busy_names] == [(0, None)] * 3


def _guess_in_a_process(url, barrier, answers, i):
    store = open_store(url)
    try:
        barrier.wait()
        before = passwords._hasher.calls
        try:
            sign_in.authenticate(store, "awa", f"wrong guess {i}", path=_PATH[0])
            answers.put(("signed in", passwords._hasher.calls - before))
        except sign_in.SignInFailed as failed:
            answers.put((failed.code, passwords._hasher.calls - before))
    finally:
        store.close()


_PATH: list = []


def test_parallel_guesses_from_separate_processes_are_counted_too(
    db_url, store, users_file, hasher, monkeypatch
):
    """The lock is the database's: ten app processes guessing at once check FREE_FAILURES only."""
    monkeypatch.setattr(hasher, "hold", 0.5)
    _PATH[:] = [users_file]
    context = multiprocessing.get_context("fork")
    barrier, answers = context.Barrier(10), context.Queue()
    processes = [
        context.Process(target=_guess_in_a_process, args=(db_url, barrier, answers, i))
        for i in range(10)
    ]
    for process in processes:
        process.start()
    got = [answers.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert sum(checked for _, checked in got) == sign_in.FREE_FAILURES
    assert sorted(code for code, _ in got) == ["bad_credentials"] * 3 + ["throttled"] * 7
