"""The sign-in gate in the real app (AppTest), and admins' reference-data changes."""

import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.access.roles import ADMIN, DIRECTOR, FOCAL_POINT, Refused, User
from analytics.accounts import passwords, sign_in, users
from analytics.config import ROOT
from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.services import refdata
from analytics.store import audit
from analytics.store.versions import open_store

ROOT_USER = User("root", ADMIN)


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A fresh store and a users-file path (not created) for the app."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setenv("PARTNERSHIPS_USERS_FILE", str(tmp_path / "users.toml"))
    monkeypatch.setenv("PARTNERSHIPS_SAMPLE_DIR", str(tmp_path / "no-samples"))
    # Test-sized argon2 costs (the hash records them).
    cheap = passwords.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("dummy"))
    return tmp_path


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def offers(at: AppTest, page: str) -> bool:
    """True when the navigation of the last run has this page (switches to it)."""
    try:
        at.switch_page(page)
    except ValueError:  # "Could not find a navigation page"
        return False
    return True


def test_without_users_the_app_is_a_labelled_demo(env):
    """No users file: the visitor acts as a demo admin, and the sidebar says so."""
    at = app().run()
    assert not at.exception
    assert any("Demo mode" in m.value for m in at.sidebar.markdown)
    assert offers(at, "app_pages/admin/audit.py")
    at.run()
    assert not at.exception and at.title[0].value == t("audit_page.title", "en")


def test_demo_mode_is_refused_on_a_public_address(env):
    """Bound to every interface (0.0.0.0), the app never serves demo mode."""
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = app().run()
    finally:
        config.set_option("server.address", before)
    assert not at.exception
    assert "127.0.0.1" in at.error[0].value
    assert not any("Demo mode" in m.value for m in at.sidebar.markdown)
    assert len(at.title) == 0  # no page rendered


def test_sign_in_form_gates_every_page(env):
    """With a users file: nothing but the form until the right password; failures are audited."""
    users.add_user("awa", FOCAL_POINT, "the right password", regions=["RBD"])
    at = app().run()
    assert not at.exception
    assert at.title[0].value == t("auth.title", "en") and len(at.title) == 1  # no page rendered
    at.text_input(key="auth_name").input("awa")
    at.text_input(key="auth_password").input("a wrong password")
    at.button[0].click().run()  # the form's submit button
    assert at.error[0].value == t("auth.bad_credentials", "en")
    at.text_input(key="auth_password").input("the right password")
    at.button[0].click().run()
    assert not at.exception
    assert any("**awa**" in m.value for m in at.sidebar.markdown)
    assert at.session_state["auth_user"] == User("awa", FOCAL_POINT, ("RBD",))
    store = open_store()
    assert audit.entries(store, ROOT_USER)["action"].tolist() == ["sign_in", "sign_in_failed"]
    assert not offers(at, "app_pages/admin/audit.py")  # not for focal points
    store.close()


def test_a_disabled_user_is_signed_out_at_the_next_run(env):
    """A session whose account an admin disables gets the sign-in form again."""
    users.add_user("awa", FOCAL_POINT, "the right password", regions=["RBD"])
    users.disable_user("awa")
    at = app()
    at.session_state["auth_user"] = User("awa", FOCAL_POINT, ("RBD",))
    at.run()
    assert at.title[0].value == t("auth.title", "en") and len(at.title) == 1


def test_admin_signed_in_sees_the_admin_pages(env):
    users.add_user("root", ADMIN, "the root password")
    at = app()
    at.session_state["auth_user"] = User("root", ADMIN)
    at.run()
    assert offers(at, "app_pages/admin/reference_admin.py")
    at.run()
    assert not at.exception and at.title[0].value == t("refadmin.title", "en")


def test_sign_out_is_audited_and_ends_the_session(env, monkeypatch):
    """The sidebar's sign-out callback forgets the session's user and records it."""
    import ui.auth

    store = open_store()
    session = {ui.auth.SESSION_KEY: User("root", ADMIN)}
    monkeypatch.setattr(ui.auth.st, "session_state", session)
    monkeypatch.setattr(ui.auth, "_store", lambda: store)
    ui.auth._sign_out(User("root", ADMIN))
    assert session == {}
    assert audit.entries(store, ROOT_USER)[["actor", "action"]].values.tolist() == [
        ["root", "sign_out"]
    ]
    store.close()


# --- reference data ----------------------------------------------------------------------------


@pytest.fixture
def reference_dir(tmp_path, monkeypatch):
    folder = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", folder)
    monkeypatch.setenv("PARTNERSHIPS_REFERENCE_DIR", str(folder))
    load_reference.cache_clear()
    yield folder
    load_reference.cache_clear()


def test_reference_change_is_checked_versioned_audited_and_reaches_other_processes(
    tmp_path, reference_dir
):
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    rates = refdata.current("exchange_rates")
    eur_2024 = (rates["currency"] == "EUR") & (rates["year"] == "2024")
    assert eur_2024.sum() == 1
    rates.loc[eur_2024, "usd_per_unit"] = "1.25"
    with pytest.raises(Refused):
        refdata.save(store, User("diane", DIRECTOR), "exchange_rates", rates)
    assert (
        refdata.save(store, ROOT_USER, "exchange_rates", rates) == 2
    )  # the shipped file is version 1
    assert refdata.save(store, ROOT_USER, "exchange_rates", rates) is None  # unchanged: no version
    assert (
        load_reference()
        .exchange_rates.query("currency == 'EUR' and year == 2024")["usd_per_unit"]
        .item()
        == 1.25
    )
    assert refdata.history(store, "exchange_rates")["number"].tolist() == [2, 1]
    assert "EUR,2024,1.25" not in refdata.version_text(store, "exchange_rates", 1)
    entry = audit.entries(store, ROOT_USER).iloc[0]
    assert (entry["action"], entry["subject"], entry["from_version"], entry["to_version"]) == (
        "reference_change",
        "exchange_rates.csv",
        1,
        2,
    )
    # Another process's folder still has the shipped file: syncing brings version 2.
    other = tmp_path / "other"
    shutil.copytree(ROOT / "data" / "reference", other)
    assert refdata.sync_folder(store, other) is True
    assert (other / "exchange_rates.csv").read_text() == (
        reference_dir / "exchange_rates.csv"
    ).read_text()
    assert refdata.sync_folder(store, other) is False
    store.close()


@pytest.mark.parametrize(
    "name, change, expected",
    [
        (
            "exchange_rates",
            {"usd_per_unit": "-1"},
            "Row 2: usd_per_unit = “-1” must be greater than 0.",
        ),
        (
            "exchange_rates",
            {"currency": "XXQ"},
            "Row 2: currency = “XXQ” is not an ISO 4217 currency code.",
        ),
        ("budgets", {"region": "RBX"}, "Row 2: region = “RBX” is not a region of regions.csv."),
        ("budgets", {"year": "20x4"}, "Row 2: year = “20x4” is not a year."),
        (
            "regions",
            {"countries": "SEN;XYZ"},
            "Row 2: countries lists “XYZ”, not an ISO 3166-1 alpha-3 country code.",
        ),
        ("strategic_objectives", {"name_fr": ""}, "Row 2: name_fr is empty."),
    ],
)
def test_reference_problems_are_located(reference_dir, name, change, expected):
    frame = refdata.current(name)
    for column, value in change.items():
        frame.loc[0, column] = value
    assert refdata.problems(name, frame) == [expected]


def test_reference_duplicates_and_missing_columns(reference_dir):
    budgets = refdata.current("budgets")
    doubled = pd.concat([budgets, budgets.iloc[[0]]], ignore_index=True)
    assert refdata.problems("budgets", doubled) == [
        f"Row {len(doubled) + 1}: RBB / 2018 appears more than once."
    ]
    assert refdata.problems("budgets", budgets.drop(columns="budget_usd"), "fr") == [
        "Colonne manquante\u00a0: budget_usd."  # plural forms (#14)
    ]


def test_pages_follow_the_signed_in_users_regions(env):
    """A focal point is offered only their regions to upload, and no restore or files of another."""
    users.add_user("awa", FOCAL_POINT, "the right password", regions=["RBD"])
    awa = User("awa", FOCAL_POINT, ("RBD",))
    upload = AppTest.from_file(str(ROOT / "app_pages" / "data" / "upload.py"), default_timeout=60)
    upload.session_state["auth_user"] = awa
    upload.run()
    assert not upload.exception
    assert upload.selectbox(key="upload_region").options == ["RBD Dakar – Western Africa"]
    assert not [w for w in upload.text_input if w.key == "uploader_name"]  # the account is the name
    quality = AppTest.from_file(
        str(ROOT / "app_pages" / "data" / "data_quality.py"), default_timeout=60
    )
    quality.session_state["auth_user"] = awa
    quality.run()
    quality.selectbox(key="quality_region").select("RBN").run()
    assert not quality.exception
    refusal = Refused(awa, "read_files", "RBN").message("en")
    assert refusal in [c.value for c in quality.caption]


def test_a_page_run_without_anyone_signed_in_stops(env):
    users.add_user("awa", FOCAL_POINT, "the right password", regions=["RBD"])
    at = AppTest.from_file(str(ROOT / "app_pages" / "data" / "upload.py"), default_timeout=60).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [t("access.not_signed_in", "en")]
    assert len(at.selectbox) == 0


@pytest.mark.browser
def test_sign_in_through_the_real_app_in_a_browser(run_app, browser, tmp_path):
    """The real server: the form, a wrong password refused, the right one lets the focal point in."""
    path = tmp_path / "users.toml"
    users.add_user("awa", FOCAL_POINT, "the right password", regions=["RBD"], path=path)
    with run_app(
        DATABASE_URL=f"sqlite:///{tmp_path / 'store.db'}",
        PARTNERSHIPS_USERS_FILE=str(path),
        PARTNERSHIPS_AUTH="password",
    ) as url:
        page = browser.new_page()
        page.set_default_timeout(60_000)
        page.goto(url)
        page.get_by_label(t("auth.name", "en")).fill("awa")
        page.get_by_role("textbox", name=t("auth.password", "en")).fill("not the password")
        page.get_by_role("button", name=t("auth.submit", "en")).click()
        page.get_by_text(t("auth.bad_credentials", "en")).wait_for()
        page.get_by_role("textbox", name=t("auth.password", "en")).fill("the right password")
        page.get_by_role("button", name=t("auth.submit", "en")).click()
        page.get_by_text("Signed in as").wait_for()
        assert page.get_by_text("Demo mode").count() == 0
        assert page.get_by_role("link", name=t("audit_page.nav", "en")).count() == 0


LOCAL = {"Host": "127.0.0.1:8501"}


@pytest.mark.parametrize(
    "address, peer, headers, local",
    [
        ("127.0.0.1", None, LOCAL, True),  # Streamlit gives a loopback peer as None
        ("127.0.0.1", None, {"Host": "localhost:8501"}, True),
        ("::1", None, {"Host": "[::1]:8501"}, True),
        ("127.0.0.1", "127.0.0.7", LOCAL, True),  # all of 127/8 is loopback
        ("127.0.0.1", "::ffff:127.0.0.1", LOCAL, True),
        ("127.0.0.1", None, {}, True),  # AppTest: no connection, no request
        ("0.0.0.0", None, LOCAL, False),
        (None, None, LOCAL, False),  # Streamlit's default: every interface
        ("127.0.0.1", "192.168.1.20", LOCAL, False),  # a peer on the network
        ("127.0.0.1", "203.0.113.9", {}, False),
        ("127.0.0.1", "not an address", LOCAL, False),
        ("127.0.0.1", None, {"Host": "partnerships.example.org"}, False),  # a proxy passing Host
        ("127.0.0.1", None, {**LOCAL, "X-Real-IP": "203.0.113.9"}, False),  # issue #18.9
        ("127.0.0.1", None, {**LOCAL, "x-real-ip": "127.0.0.1"}, False),  # any value, any case
        *[
            ("127.0.0.1", None, {**LOCAL, header: "203.0.113.9"}, False)
            for header in (
                "X-Forwarded-For",
                "Forwarded",
                "X-Forwarded-Host",
                "X-Forwarded-Proto",
                "X-Forwarded-Port",
                "Via",
                "X-Client-IP",
                "True-Client-IP",
                "CF-Connecting-IP",
                "Fastly-Client-IP",
                "X-Cluster-Client-IP",
            )
        ],
    ],
)
def test_demo_mode_only_for_a_direct_local_visit(address, peer, headers, local):
    """A loopback-bound server, a loopback peer, and not one proxy header: else no demo."""
    import ui.auth

    assert ui.auth.demo_allowed(address, peer, headers) is local


@pytest.mark.parametrize(
    "peer, headers, local",
    [
        (None, LOCAL, True),
        ("203.0.113.9", LOCAL, False),
        (None, {**LOCAL, "X-Real-IP": "203.0.113.9"}, False),
        (object(), {}, True),  # AppTest's stand-in for the connection: no visitor at all
    ],
)
def test_the_gate_asks_streamlits_context(monkeypatch, peer, headers, local):
    """_served_locally reads server.address, st.context.ip_address and st.context.headers."""
    import types

    import ui.auth

    fake = types.SimpleNamespace(
        get_option=lambda key: "127.0.0.1",
        context=types.SimpleNamespace(headers=headers, ip_address=peer),
    )
    monkeypatch.setattr(ui.auth, "st", fake)
    assert ui.auth._served_locally() is local


def test_demo_mode_is_refused_through_a_proxy_on_the_same_machine(env, monkeypatch):
    """Bound to 127.0.0.1 but relayed (X-Real-IP): the real app refuses demo mode and says why."""
    import ui.auth

    monkeypatch.setattr(ui.auth, "_served_locally", lambda: False)
    at = app().run()
    assert not at.exception
    assert at.error[0].value == t("auth.demo_refused_proxy", "en")
    assert not any("Demo mode**" in m.value for m in at.sidebar.markdown)
    assert len(at.title) == 0


@pytest.mark.parametrize(
    "peer, address", [("203.0.113.9", "203.0.113.9"), (None, "loopback"), (object(), "loopback")]
)
def test_the_visitors_address_is_streamlits_peer(monkeypatch, peer, address):
    """st.context.ip_address, which Streamlit gives as None for loopback (AppTest: a stand-in)."""
    import types

    import ui.auth

    fake = types.SimpleNamespace(context=types.SimpleNamespace(ip_address=peer))
    monkeypatch.setattr(ui.auth, "st", fake)
    assert ui.auth._client_address() == address


def test_the_form_gives_the_throttle_the_address_and_says_whose_limit(env, monkeypatch):
    """The sign-in form passes the visitor's address; an address limit is named as such."""
    import ui.auth

    seen = []

    def authenticate(store, name, password, *, address=None):
        seen.append((name, address))
        raise sign_in.SignInFailed("throttled", wait=7, scope="address")

    users.add_user("awa", FOCAL_POINT, "the right password", regions=["RBD"])
    monkeypatch.setattr(ui.auth.sign_in, "authenticate", authenticate)
    at = app().run()
    at.text_input(key="auth_name").input("awa")
    at.text_input(key="auth_password").input("a wrong password")
    at.button[0].click().run()
    assert not at.exception
    assert seen == [("awa", "loopback")]
    assert at.error[0].value == t("auth.throttled_address", "en", seconds=7)


def test_every_sign_in_refusal_has_its_message_in_both_languages():
    """Wrong password, each throttle and 'busy': a sentence in English and in French."""
    import ui.auth

    for key in ui.auth.FAILED_MESSAGES.values():
        assert t(key, "en", seconds=5) != key and t(key, "fr", seconds=5) != key


def test_postgres_half_fails_in_ci_instead_of_skipping(monkeypatch):
    """Outside CI a missing server skips (saying why); in CI it is a failure."""
    import tests.postgres as pg

    monkeypatch.setattr(pg, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI"):
        pg._unavailable("no server")
    monkeypatch.setattr(pg, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL half skipped"):
        pg._unavailable("no server")


def test_reference_page_saves_an_uploaded_file_as_a_new_version(env, reference_dir):
    """An admin uploads a corrected budgets.csv on the page: checked, saved as version 2, audited."""
    budgets = refdata.current("budgets")
    budgets.loc[0, "budget_usd"] = "500000000"
    at = AppTest.from_file(
        str(ROOT / "app_pages" / "admin" / "reference_admin.py"), default_timeout=60
    )
    at.session_state["auth_user"] = ROOT_USER
    at.run()
    at.selectbox(key="refadmin_file").select("budgets").run()
    at.file_uploader(key="refadmin_upload_budgets").upload(
        "budgets.csv", refdata.to_csv(budgets).encode(), "text/csv"
    ).run()
    at.button(key="refadmin_save").click().run()
    assert not at.exception
    assert at.success[0].value == t("refadmin.saved", "en", number=2, file="budgets.csv")
    assert refdata.current("budgets").loc[0, "budget_usd"] == "500000000"


@pytest.mark.parametrize(
    "claims, expected",
    [
        ({"email": "Diane@Example.org", "email_verified": True}, User("diane", DIRECTOR)),
        ({"email": "diane@example.org"}, User("diane", DIRECTOR)),  # providers that do not say
        (
            {"email": "diane@example.org", "email_verified": False},
            None,
        ),  # unverified proves nothing
        ({"email": "stranger@example.org"}, None),
    ],
)
def test_oidc_sign_in_maps_the_verified_email_to_a_user(env, monkeypatch, claims, expected):
    import types

    import ui.auth

    users.add_user("diane", DIRECTOR, None, email="diane@example.org")
    shown = []
    fake = types.SimpleNamespace(
        user=claims, warning=shown.append, button=lambda *a, **k: False, logout=lambda: None
    )
    store = open_store()
    monkeypatch.setattr(ui.auth, "st", fake)
    monkeypatch.setattr(ui.auth, "_store", lambda: store)
    assert ui.auth._from_oidc("en") == expected
    trail = audit.entries(store, ROOT_USER)
    store.close()
    if expected is None:
        assert shown and trail.empty
    else:
        assert (trail.iloc[0]["actor"], trail.iloc[0]["action"]) == ("diane", "sign_in")


def test_a_deep_link_opens_its_page_after_sign_in(run_app, browser, tmp_path):
    """A link to a page (`/by_region?lang=fr`) sent to someone not signed in: the form first,
    then that page in that language, not the overview."""
    path = tmp_path / "users.toml"
    users.add_user("diane", DIRECTOR, "the right password", path=path)
    with run_app(
        DATABASE_URL=f"sqlite:///{tmp_path / 'store.db'}",
        PARTNERSHIPS_USERS_FILE=str(path),
        PARTNERSHIPS_AUTH="password",
    ) as url:
        page = browser.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{url}/by_region?lang=fr&year=2025")
        page.get_by_label(t("auth.name", "fr")).fill("diane")
        page.get_by_role("textbox", name=t("auth.password", "fr")).fill("the right password")
        page.get_by_role("button", name=t("auth.submit", "fr")).click()
        page.get_by_role("heading", name=t("pages.by_region.title", "fr"), exact=True).wait_for()
        assert "/by_region" in page.url and "lang=fr" in page.url and "year=2025" in page.url
        overview = page.get_by_role("heading", name=t("pages.overview.title", "fr"), exact=True)
        assert overview.count() == 0
