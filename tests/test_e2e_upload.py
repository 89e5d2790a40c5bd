"""End to end in headless Chromium: the real app on an empty store, a sample workbook through the file input."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from analytics.config import ROOT

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """`streamlit run app.py` on a free port, an empty store, no samples to seed it with."""
    (tmp_path / "no-samples").mkdir()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}",
        "PARTNERSHIPS_SAMPLE_DIR": str(tmp_path / "no-samples"),
    }
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the app did not start: " + (tmp_path / "streamlit.log").read_text())
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_upload_a_sample_through_the_browser(server):
    """Drop RBB.xlsx, see the preview, commit, find version 1 on the data-quality page."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)  # the first run of the app imports everything

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            # A deep link as the very first request of the fresh server, as a reminder sends it.
            page.goto(f"{server}/upload")
            expect(page.get_by_text("Drop your workbook above.")).to_be_visible()
            # The region picker starts on RBB, the region of the sample sent.
            expect(page.get_by_role("combobox", name="Region")).to_have_value(
                "RBB Bangkok – Asia and the Pacific"
            )
            name = page.get_by_role("textbox", name="Your name")
            name.fill("Awa Diop")
            name.press("Enter")
            page.locator("input[type=file]").set_input_files(
                str(ROOT / "data" / "sample" / "RBB.xlsx")
            )

            expect(page.get_by_text("What will change")).to_be_visible()
            expect(
                page.get_by_text("RBB Bangkok – Asia and the Pacific has no version yet")
            ).to_be_visible()
            expect(page.get_by_role("tab", name="Added (70)")).to_be_visible()
            expect(page.get_by_role("tab", name="Added (900)")).to_be_visible()
            commit = page.get_by_role("button", name="Commit as version 1 of RBB")
            expect(commit).to_be_enabled()
            commit.click()
            expect(page.get_by_text("Stored as version 1 of RBB Bangkok")).to_be_visible()

            page.goto(f"{server}/data_quality")
            expect(page.get_by_text("Versions of RBB Bangkok")).to_be_visible()
            expect(
                page.get_by_text(
                    "Version 1 of RBB Bangkok – Asia and the Pacific: 70 partners, 900 contributions."
                )
            ).to_be_visible()
            expect(page.get_by_text("This is the current version.")).to_be_visible()
            assert "Traceback" not in page.content()
        finally:
            browser.close()
