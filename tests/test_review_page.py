"""The review page and the review state on the focal point's pages, through Streamlit's AppTest."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access.roles import ADMIN, DIRECTOR, FOCAL_POINT, User
from analytics.accounts import passwords, users
from analytics.config import ROOT
from analytics.services import ingest, review
from analytics.store import audit
from analytics.store.versions import open_store
from tests.workbooks import contribution, partner, valid_register

AWA = User("awa", FOCAL_POINT, ("RBD",))
DIANE = User("diane", DIRECTOR)


@pytest.fixture
def db(tmp_path, monkeypatch):
    """An empty store for the app (no samples), and a users file with awa and diane."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    (tmp_path / "no-samples").mkdir()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "no-samples"))
    monkeypatch.setenv("PARTNERSHIPS_USERS_FILE", str(tmp_path / "users.toml"))
    cheap = passwords.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    users.add_user("awa", FOCAL_POINT, None, regions=["RBD"])
    users.add_user("diane", DIRECTOR, None)
    users.add_user("dora", DIRECTOR, None, regions=["RBP"])
    users.add_user("root", ADMIN, None)
    return url


def upload(url, tmp_path, amount):
    store = open_store(url)
    path = valid_register(
        tmp_path / f"rbd-{amount}.xlsx",
        contributions=[contribution("C1", "P1", amount=amount)],
        partners=[partner("P1")],
    )
    prepared = ingest.prepare(store, path.read_bytes(), path.name, "RBD", "awa", user=AWA)
    version = ingest.commit(store, prepared, "awa", user=AWA)
    store.close()
    return version


def page(name: str, user: User, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / "data" / name), default_timeout=60)
    at.session_state["auth_user"] = user
    at.query_params["lang"] = lang
    return at.run()


def texts(elements) -> list[str]:
    """The texts as read, Markdown's escapes (analytics.text.plain) taken off."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in elements]


def test_a_director_approves_then_returns_with_a_comment(db, tmp_path):
    upload(db, tmp_path, 100.0)
    at = page("review.py", DIANE)
    assert not at.exception
    assert at.dataframe[0].value.values.tolist() == [
        ["RBD Dakar – Western Africa", 1, "awa", at.dataframe[0].value.iloc[0, 3], "–"]
    ]
    assert "No version of RBD Dakar – Western Africa was approved yet" in " ".join(
        texts(at.caption)
    )
    at = at.button(key="review_approve").click().run()
    assert texts(at.success) == ["Version 1 of RBD Dakar – Western Africa is approved."]
    assert texts(at.info) == ["No submitted version is waiting for your review."]

    upload(db, tmp_path, 900.0)
    at = page("review.py", DIANE)
    assert "Compared with version 1, the last approved one" in " ".join(texts(at.caption))
    # The change against version 1: C1's amount 100 → 900.
    changed = [d.value for d in at.dataframe if "Field" in d.value.columns]
    assert changed and changed[-1].values.tolist()[0][0] == "C1"
    assert changed[-1][["Before", "After"]].values.tolist() == [["100", "900"]]
    at = at.button(key="review_return").click().run()  # no comment yet
    assert texts(at.error) == ["A returned version needs a comment saying what to correct."]
    at.text_area(key=f"review_comment_{at.selectbox(key='review_pick').value}").input(
        "C1 is in euros"
    )
    at = at.button(key="review_return").click().run()
    assert texts(at.success) == [
        "Version 2 of RBD Dakar – Western Africa is returned to its focal point."
    ]
    store = open_store(db)
    trail = audit.entries(store, User("hq", ADMIN), actions=["review"])
    assert trail[["actor", "to_version", "detail"]].values.tolist() == [
        ["diane", 2, "returned: C1 is in euros"],
        ["diane", 1, "approved"],
    ]
    store.close()

    # The focal point sees the state and the comment, on both pages, in French too.
    shown = page("upload.py", AWA)
    quality = page("data_quality.py", AWA)
    quality = quality.selectbox(key="quality_region").select("RBD").run()
    for at in (shown, quality):
        assert not at.exception
        (warning,) = [w for w in texts(at.warning) if "Version 2" in w]
        assert warning.startswith("Version 2 of RBD Dakar – Western Africa: returned by diane on")
        assert "Comment of the reviewer: C1 is in euros" in warning
    french = page("upload.py", AWA, "fr")
    assert "renvoyée par diane" in texts(french.warning)[0]


def test_nobody_reviews_their_own_upload_on_the_page(db, tmp_path):
    upload(db, tmp_path, 100.0)
    at = page("review.py", User("awa", ADMIN))  # an admin account of the same name
    assert "Nobody reviews their own upload" in texts(at.info)[0]
    assert at.button(key="review_approve").disabled and at.button(key="review_return").disabled


def test_the_page_is_offered_to_directors_and_admins_only(db, tmp_path):
    upload(db, tmp_path, 100.0)
    for user, offered in ((AWA, False), (DIANE, True), (User("root", ADMIN), True)):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["auth_user"] = user
        at.run()
        try:
            at.switch_page("app_pages/data/review.py")
            found = True
        except ValueError:
            found = False
        assert found is offered, user
    # Run directly, a focal point and a director of another region find nothing to review.
    for user in (AWA, User("dora", DIRECTOR, ("RBP",))):
        at = page("review.py", user)
        assert texts(at.info) == ["No submitted version is waiting for your review."]
    assert review.states(open_store(db))["RBD"].state == "submitted"


def test_the_change_of_a_waiting_version_is_diffed_once_not_at_every_rerun(
    db, tmp_path, monkeypatch
):
    """Versions never change: the page keeps each pair's change (ui.data.version_change), so
    picking in the page or any other rerun does not read and diff both registers again."""
    import ui.data

    ui.data._version_change.clear()
    upload(db, tmp_path, 100.0)
    calls = []
    real = ui.data.diff_registers
    monkeypatch.setattr(ui.data, "diff_registers", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = page("review.py", DIANE)
    assert not at.exception and len(calls) == 1
    at.run()  # a rerun, as any click in the page makes
    assert not at.exception and len(calls) == 1
    upload(db, tmp_path, 200.0)  # a new version: its own change
    at.run()
    assert len(calls) == 2
