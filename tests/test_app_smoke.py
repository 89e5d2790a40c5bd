"""The app starts on its embedded default and the upload page answers, in the browser and in AppTest."""

from urllib.parse import urlparse

import pytest
from streamlit.testing.v1 import AppTest

from analytics.i18n import t
from tests.conftest import ROOT


def test_upload_page_through_apptest_in_both_languages(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    for lang in ("en", "fr"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page("pages/upload.py").run()
        assert not at.exception
        assert at.title[0].value == t("upload.title", lang)
        assert at.info[0].value == t("upload.waiting", lang)
        assert len(at.selectbox[0].options) == 6  # the six regional bureaux


@pytest.mark.browser
def test_real_app_serves_the_upload_page_with_no_outside_request(run_app, browser, tmp_path):
    requests: list[str] = []
    with run_app(DATABASE_URL=f"sqlite:///{tmp_path / 'store.db'}") as url:
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{url}/upload?lang=fr")
        page.locator("input[type=file]").wait_for(state="attached", timeout=60_000)
        assert page.get_by_role("heading", name=t("upload.title", "fr")).count() == 1
    outside = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")} - {"127.0.0.1", "localhost"}
    assert not outside, outside
