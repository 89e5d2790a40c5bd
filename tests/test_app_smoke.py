"""The app starts on its embedded default and the upload page answers, in the browser and in AppTest."""

from urllib.parse import urlparse

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access.roles import FOCAL_POINT
from analytics.accounts import users
from analytics.i18n import t
from tests.conftest import ROOT


def test_upload_page_through_apptest_in_both_languages(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    for lang in ("en", "fr"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page("app_pages/data/upload.py").run()
        assert not at.exception
        assert at.title[0].value == t("upload.title", lang)
        assert at.info[0].value == t("upload.waiting", lang)
        assert len(at.selectbox[0].options) == 6  # the six regional bureaux


def test_no_pages_folder_beside_the_main_script():
    """A `pages/` folder beside app.py, even an empty one, puts Streamlit in its old multipage
    mode until st.navigation has run once in the process (streamlit/runtime/pages_manager.py):
    the first deep link of a fresh server then shows "Page not found" (issue #13) and the files
    of the folder are served without the sign-in gate."""
    assert not (ROOT / "pages").exists()
    assert (ROOT / "app_pages").is_dir()


@pytest.mark.browser
def test_a_deep_link_as_first_request_still_goes_through_the_sign_in(run_app, browser, tmp_path):
    """The first request of a fresh server, to an admin page, gets the sign-in form, not the page.
    (Streamlit's old multipage mode served files of a `pages/` folder without running app.py:
    the pages live in app_pages/, see test_no_pages_folder_beside_the_main_script.)"""
    path = tmp_path / "users.toml"
    users.add_user("awa", FOCAL_POINT, "the right password", regions=["RBD"], path=path)
    requests: list[str] = []
    with run_app(
        DATABASE_URL=f"sqlite:///{tmp_path / 'store.db'}",
        PARTNERSHIPS_USERS_FILE=str(path),
        PARTNERSHIPS_AUTH="password",
    ) as url:
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{url}/audit")  # an admin page, as the very first request of the server
        page.get_by_role("button", name=t("auth.submit", "en")).wait_for(timeout=60_000)
        assert page.get_by_text(t("audit_page.nav", "en")).count() == 0
        assert page.get_by_text(t("upload.title", "en")).count() == 0
    outside = {
        urlparse(u).hostname
        for u in requests
        if urlparse(u).scheme in ("http", "https", "ws", "wss")
    }
    assert not outside - {"127.0.0.1", "localhost"}, outside
