"""The first minutes of a new user in a real browser (issue #13): a link opens its page on a fresh
server with no "Page not found" dialog, in the link's language, and the sidebar's language switch
always shows the language the page is in."""

import pytest

from analytics.i18n import language_name, languages, t

# Each page's URL path (Streamlit derives it from the file name) and the key of its title.
PAGES = {
    "": "pages.overview.title",  # the default page answers at the root
    "by_type": "pages.by_type.title",
    "by_region": "pages.by_region.title",
    "partners": "pages.partners.title",
    "gaps": "pages.gaps.title",
    "catalogue": "indicator_catalogue.title",
    "board": "board.nav",
    "upload": "upload.title",
    "data_quality": "quality.title",
    "reference_admin": "refadmin.title",  # demo mode is an admin: the admin pages are offered
    "audit": "audit_page.title",
}
TIMEOUT = 60_000  # the first run of a fresh server imports everything


@pytest.fixture
def app(run_app, tmp_path):
    """A fresh server on an empty store: what matters here is the first request it answers."""
    (tmp_path / "no-samples").mkdir()
    return run_app(
        DATABASE_URL=f"sqlite:///{tmp_path / 'store.db'}",
        PARTNERSHIPS_SAMPLE_DIR=str(tmp_path / "no-samples"),
    )


def _switch(page, lang: str):
    return page.locator('[data-testid="stSidebar"]').get_by_role("radio", name=language_name(lang))


def _shows(page, path: str, lang: str) -> None:
    """The page at `path` is drawn in `lang`, the switch says `lang`, and no dialog covers it."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=t(PAGES[path], lang))).to_be_visible(timeout=TIMEOUT)
    expect(_switch(page, lang)).to_be_checked()
    for other in set(languages()) - {lang}:
        expect(_switch(page, other)).not_to_be_checked()
    assert page.get_by_role("dialog").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert "Traceback" not in page.content()


# A fresh server costs seconds: three pages (a dashboard, the upload page a reminder links to, an
# admin page) are each the first request of their own server, in both languages; every page is
# then opened by a later link, in both languages, on one server.
FIRST = ["upload", "by_type", "audit"]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", FIRST)
def test_a_deep_link_is_the_first_request_of_a_fresh_server(app, browser, path, lang):
    with app as url:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"{url}/{path}?lang={lang}")
        _shows(page, path, lang)
        page.wait_for_timeout(1000)  # a late dialog would come from the same first run
        assert page.get_by_role("dialog").count() == 0


@pytest.mark.browser
def test_every_page_opens_from_a_link_in_both_languages(app, browser):
    with app as url:
        for lang in ("fr", "en"):
            for path in PAGES:
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.goto(f"{url}/{path}?lang={lang}")  # a new tab: a new session
                _shows(page, path, lang)
                page.close()


@pytest.mark.browser
def test_the_language_switch_follows_the_url_the_session_and_a_click(app, browser):
    with app as url:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"{url}/upload?lang=fr")  # from the URL
        _shows(page, "upload", "fr")
        # A click changes the page at once, and the URL with it.
        _switch(page, "en").click(force=True)
        _shows(page, "upload", "en")
        page.wait_for_url("**lang=en**", timeout=TIMEOUT)
        # From the session: another page through the sidebar keeps the language clicked.
        page.locator('[data-testid="stSidebarNav"]').get_by_role(
            "link", name=t("nav.by_type", "en")
        ).click()
        _shows(page, "by_type", "en")
        _switch(page, "fr").click(force=True)
        _shows(page, "by_type", "fr")
        page.locator('[data-testid="stSidebarNav"]').get_by_role(
            "link", name=t("nav.upload", "fr")
        ).click()
        _shows(page, "upload", "fr")
        # A new link in the same tab (a new session) is read from its URL again.
        page.goto(f"{url}/gaps?lang=en")
        _shows(page, "gaps", "en")
