"""The agreements page honours the "approved data only" switch (`approved=1`), as every other
dashboard does: an agreement only in a version not yet approved is not shown with it on."""

from dataclasses import replace

import pandas as pd

from analytics.access.roles import ADMIN, User
from analytics.i18n import t
from analytics.services import review
from analytics.store.versions import open_store
from analytics.text import plain
from tests.test_pages import open_page, sample_store, seeded  # noqa: F401 - fixtures
from tests.test_review_counting import DIANE

PAGE = "app_pages/dashboards/agreements.py"
HQ = User("hq", ADMIN)
NEW = "A-NEW"


def _approve_then_add_an_agreement(url: str) -> None:
    """RBD's sample version approved; then a new RBD version (submitted, not approved) that
    adds agreement A-NEW."""
    store = open_store(url)
    try:
        review.approve(store, "RBD", user=DIANE)
        current = store.current_versions()["RBD"]
        register = store.load_version(current.id)
        extra = register.agreements.iloc[[0]].assign(agreement_id=NEW, title="Not yet approved")
        register = replace(
            register, agreements=pd.concat([register.agreements, extra], ignore_index=True)
        )
        upload = store.record_upload("RBD", "RBD.xlsx", b"v2", "test", user=HQ)
        store.commit(
            "RBD",
            register,
            upload_id=upload,
            uploader="test",
            expected_number=current.number,
            user=HQ,
        )
    finally:
        store.close()


def _choices(at) -> list[str]:
    return list(at.selectbox(key="agreement_pick").options)


def test_an_unapproved_agreement_disappears_with_the_switch_on(sample_store):  # noqa: F811
    _approve_then_add_an_agreement(sample_store)
    latest = open_page(PAGE)
    assert any(NEW in c for c in _choices(latest))  # the latest versions: A-NEW is there
    approved = open_page(PAGE, approved="1")
    (switch,) = [w for w in approved.sidebar.toggle if w.label == t("review.approved_only", "en")]
    assert switch.value is True
    shown = _choices(approved)
    assert not any(NEW in c for c in shown)
    # Only RBD has an approved version: its agreements stay, the other regions' are not counted.
    assert any("RBD" in c for c in shown) and not any("RBN" in c for c in shown)
    # A link to the unapproved agreement is a warning, not its profile.
    linked = open_page(PAGE, approved="1", agreement=f"RBD:{NEW}")
    assert [w.value for w in linked.warning] == [
        t("pages.agreements.not_found", "en", ref=plain(NEW))
    ]
    # Switching it off brings the agreement back.
    linked.sidebar.toggle(key=switch.key).set_value(False).run()
    assert any(NEW in c for c in _choices(linked))


def test_the_profile_and_its_pdf_follow_the_switch(sample_store):  # noqa: F811
    """The profile (and the accountability sheet it offers as PDF, built from the same sheet)
    of an RBD agreement in both versions: with the switch on it is read from the approved
    version 1, without it from the latest, version 2."""
    _approve_then_add_an_agreement(sample_store)
    store = open_store(sample_store)
    try:
        agreements = store.load_follow_up()[0]
        rbd = agreements[(agreements["region"] == "RBD") & (agreements["agreement_id"] != NEW)]
        first = rbd["agreement_id"].iloc[0]
    finally:
        store.close()
    for approved, number in (("1", 1), ("0", 2)):
        at = open_page(PAGE, approved=approved, agreement=f"RBD:{first}")
        as_of = [c.value for c in at.caption if "data version" in c.value]
        assert len(as_of) == 1 and as_of[0].endswith(f"data version {number} of region RBD")
        assert [b.proto.label for b in at.get("download_button")] == [
            t("pages.agreements.download_sheet", "en")
        ]
