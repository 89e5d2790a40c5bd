"""The review cycle's service, called directly as every kind of user, on SQLite and PostgreSQL."""

import pytest

from analytics.access.roles import ADMIN, DIRECTOR, FOCAL_POINT, Refused, User
from analytics.services import ingest, review
from analytics.store import audit
from analytics.store.reviews import APPROVED, RETURNED, SUBMITTED, approved_versions
from tests.workbooks import contribution, partner, valid_register

AWA = User("awa", FOCAL_POINT, ("RBD",))
DIANE = User("diane", DIRECTOR)  # every region
DORA = User("dora", DIRECTOR, ("RBP",))  # RBP only
ROOT_USER = User("root", ADMIN)
COUNTRY = {"RBD": "SEN", "RBP": "PAN"}


def _upload(store, tmp_path, amount=100.0, user=AWA, region="RBD"):
    path = valid_register(
        tmp_path / f"{region}-{amount}.xlsx",
        contributions=[contribution("C1", "P1", amount=amount)],
        partners=[partner("P1", region=region, country=COUNTRY[region])],
    )
    prepared = ingest.prepare(store, path.read_bytes(), path.name, region, user.name, user=user)
    return ingest.commit(store, prepared, user.name, user=user)


def _trail(store):
    rows = audit.entries(store, ROOT_USER, actions=["review", "refused"])
    rows = rows[["actor", "action", "region", "to_version", "detail"]].astype(object)
    return rows.where(rows.notna(), None).values.tolist()


def test_a_director_approves_and_an_admin_returns_and_both_are_audited(store, tmp_path):
    first = _upload(store, tmp_path)
    assert review.states(store)["RBD"].state == SUBMITTED  # a new version is submitted
    done = review.approve(store, "rbd", user=DIANE)
    assert (done.decision, done.reviewer, done.version_id) == (APPROVED, "diane", first.id)
    _upload(store, tmp_path, amount=900.0)
    returned = review.return_version(store, "RBD", "  C1 is in euros, not dollars ", user=ROOT_USER)
    state = review.states(store)["RBD"]
    assert (state.version.number, state.state, state.review.comment) == (
        2,
        RETURNED,
        "C1 is in euros, not dollars",
    )
    assert returned.comment == "C1 is in euros, not dollars"
    # The approved data of RBD is still version 1.
    assert approved_versions(store.engine)["RBD"].number == 1
    assert _trail(store) == [
        ["root", "review", "RBD", 2, "returned: C1 is in euros, not dollars"],
        ["diane", "review", "RBD", 1, "approved"],
    ]


def test_an_earlier_version_is_reviewed_by_its_number(store, tmp_path):
    _upload(store, tmp_path)
    _upload(store, tmp_path, amount=900.0)
    review.approve(store, "RBD", user=DIANE, number=1)
    assert review.states(store)["RBD"].state == SUBMITTED  # version 2 still waits
    assert approved_versions(store.engine)["RBD"].number == 1


def test_the_wrong_users_are_refused_and_nothing_is_stored(store, tmp_path):
    _upload(store, tmp_path)
    with pytest.raises(Refused) as focal:
        review.approve(store, "RBD", user=AWA)
    assert focal.value.message("en") == (
        "awa (focal point) may not review registers: only directors and administrators may."
    )
    with pytest.raises(Refused) as scoped:
        review.approve(store, "RBD", user=DORA)
    assert "may not review the register of RBD" in scoped.value.message("en")
    assert "RBD" in scoped.value.message("fr")
    with pytest.raises(Refused):
        review.approve(store, "RBD", user=None)
    assert review.states(store)["RBD"].state == SUBMITTED
    assert approved_versions(store.engine) == {}
    assert _trail(store) == [
        ["", "refused", "RBD", None, "review"],  # nobody signed in
        ["dora", "refused", "RBD", None, "review"],
        ["awa", "refused", "RBD", None, "review"],
    ]


def test_nobody_reviews_their_own_upload(store, tmp_path):
    _upload(store, tmp_path, user=ROOT_USER)
    with pytest.raises(review.ReviewError) as own:
        review.approve(store, "RBD", user=User("ROOT", ADMIN))  # the name, whatever its case
    assert own.value.message("en") == (
        "Nobody reviews their own upload: version 1 of RBD was sent by you."
    )
    assert review.states(store)["RBD"].state == SUBMITTED


@pytest.mark.parametrize(
    ("comment", "code"),
    [("", "comment_needed"), ("   ", "comment_needed"), ("x" * 2001, "comment_too_long")],
)
def test_a_return_needs_a_comment_of_at_most_2000_characters(store, tmp_path, comment, code):
    _upload(store, tmp_path)
    with pytest.raises(review.ReviewError) as bad:
        review.return_version(store, "RBD", comment, user=DIANE)
    assert bad.value.code == code
    assert bad.value.message("fr") and bad.value.message("fr") != bad.value.message("en")
    assert review.states(store)["RBD"].state == SUBMITTED
    done = review.return_version(store, "RBD", "y" * 2000, user=DIANE)  # exactly the limit
    assert len(done.comment) == 2000


def test_no_such_version_and_a_version_of_another_region(store, tmp_path):
    rbd = _upload(store, tmp_path)
    with pytest.raises(review.ReviewError) as missing:
        review.approve(store, "RBD", user=DIANE, number=7)
    assert missing.value.message("en") == "RBD has no version 7."
    with pytest.raises(review.ReviewError) as nothing:
        review.approve(store, "RBN", user=DIANE)
    assert nothing.value.code == "no_such_version"
    with pytest.raises(review.ReviewError) as other:
        review.approve(store, "RBN", user=DIANE, version_id=rbd.id)
    assert other.value.message("en") == "That version belongs to RBD, not to RBN."
    assert approved_versions(store.engine) == {}


def test_a_scoped_director_reviews_their_region_and_sees_only_it_waiting(store, tmp_path):
    _upload(store, tmp_path)
    _upload(store, tmp_path, region="RBP", user=User("ana", FOCAL_POINT, ("RBP",)))
    assert [w.region for w in review.waiting(store, DORA)] == ["RBP"]
    assert [w.region for w in review.waiting(store, DIANE)] == ["RBD", "RBP"]
    assert review.waiting(store, AWA) == []
    review.approve(store, "RBP", user=DORA)
    assert [w.region for w in review.waiting(store, DORA)] == []


def test_waiting_shows_the_change_against_the_last_approved_version(store, tmp_path):
    _upload(store, tmp_path, amount=100.0)
    (first,) = review.waiting(store, DIANE)
    assert first.current is None and len(first.change.contributions.added) == 1
    review.approve(store, "RBD", user=DIANE)
    _upload(store, tmp_path, amount=900.0)
    _upload(store, tmp_path, amount=950.0)
    (later,) = review.waiting(store, DIANE)
    # Against version 1 (approved), not version 2 (never reviewed).
    assert (later.version.number, later.current.number) == (3, 1)
    changed = later.change.contributions.changed
    assert changed[["id", "field", "old", "new"]].values.tolist() == [
        ["C1", "amount", 100.0, 950.0]
    ]
