"""Commits at the same moment, on PostgreSQL (the shared deployment) and SQLite: nothing lost, nothing mixed.

Each test prepares uploads first (as two focal points looking at their previews), then lets two
threads commit at once behind a barrier, through the same service the page and the CLI use.
"""

import threading

import pytest
import sqlalchemy as sa

from analytics.access.roles import ADMIN, FOCAL_POINT, User
from analytics.services import ingest
from analytics.store import audit
from analytics.store.records import StaleRegister
from analytics.store.tables import partners as partner_rows
from tests.workbooks import contribution, partner, valid_register

# Uploads here that remove rows give a reason, as the upload page and `ingest` ask for one.
REMOVED = "rows removed on purpose"

AWA = User("awa", FOCAL_POINT, ("RBD",))
AMINATA = User("aminata", FOCAL_POINT, ("RBD",))
NADIA = User("nadia", FOCAL_POINT, ("RBN",))
ROOT_USER = User("root", ADMIN)


def _register(tmp_path, name: str, region: str, ids: list[str]) -> tuple[bytes, str]:
    """A valid register of `region` whose partners are `ids` (so each file's rows are recognisable)."""
    country = {"RBD": "SEN", "RBN": "KEN"}[region]
    path = valid_register(
        tmp_path / name,
        partners=[partner(i, region=region, country=country) for i in ids],
        contributions=[contribution(f"C-{i}", i) for i in ids],
    )
    return path.read_bytes(), name


def _at_once(*calls):
    """Run each call in its own thread, all released together; their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test looks at what each one got
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _partner_ids(store, version_id: int) -> set[str]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(partner_rows.c.partner_id).where(partner_rows.c.version_id == version_id)
        )
        return {r[0] for r in rows}


def test_two_regions_committed_at_the_same_moment_both_succeed(store, tmp_path):
    rbd = ingest.prepare(
        store, *_register(tmp_path, "rbd.xlsx", "RBD", ["D1", "D2"]), "RBD", "awa", user=AWA
    )
    rbn = ingest.prepare(
        store, *_register(tmp_path, "rbn.xlsx", "RBN", ["N1"]), "RBN", "nadia", user=NADIA
    )
    results = _at_once(
        lambda: ingest.commit(store, rbd, "awa", user=AWA, reason=REMOVED),
        lambda: ingest.commit(store, rbn, "nadia", user=NADIA, reason=REMOVED),
    )
    assert [(v.region, v.number) for v in results] == [("RBD", 1), ("RBN", 1)]
    assert _partner_ids(store, results[0].id) == {"D1", "D2"}
    assert _partner_ids(store, results[1].id) == {"N1"}
    commits = audit.entries(store, ROOT_USER, actions=["commit"])
    assert sorted(commits["actor"]) == ["awa", "nadia"]


@pytest.mark.parametrize("rounds", [range(5)])
def test_two_commits_for_one_region_give_one_version_and_one_clear_answer(store, tmp_path, rounds):
    """Both saw version n; at once, one becomes n+1 whole, the other is told the register changed."""
    for n in rounds:
        mine = ingest.prepare(
            store,
            *_register(tmp_path, f"awa-{n}.xlsx", "RBD", [f"A{n}-1", f"A{n}-2"]),
            "RBD",
            "awa",
            user=AWA,
        )
        theirs = ingest.prepare(
            store,
            *_register(tmp_path, f"aminata-{n}.xlsx", "RBD", [f"B{n}-1"]),
            "RBD",
            "aminata",
            user=AMINATA,
        )
        assert mine.expected_number == theirs.expected_number == n
        results = _at_once(
            lambda m=mine: ingest.commit(store, m, "awa", user=AWA, reason=REMOVED),
            lambda t=theirs: ingest.commit(store, t, "aminata", user=AMINATA, reason=REMOVED),
        )
        won = [r for r in results if not isinstance(r, Exception)]
        lost = [r for r in results if isinstance(r, Exception)]
        assert len(won) == 1 and len(lost) == 1, results
        assert isinstance(
            lost[0], StaleRegister
        )  # the page says "the register changed, please review"
        assert lost[0].current is not None and lost[0].current.number == n + 1
        winner = won[0]
        assert winner.number == n + 1
        expected = {f"A{n}-1", f"A{n}-2"} if winner.uploader == "awa" else {f"B{n}-1"}
        assert _partner_ids(store, winner.id) == expected  # whole, not mixed
    versions = store.versions("RBD")
    assert sorted(versions["number"]) == [1, 2, 3, 4, 5]  # no number twice, none lost
    # The loser's file is kept and marked stale; exactly one commit per version in the trail.
    statuses = store.uploads("RBD", user=AWA)["status"].value_counts().to_dict()
    assert statuses == {"committed": 5, "stale": 5}
    assert len(audit.entries(store, ROOT_USER, actions=["commit"])) == 5
