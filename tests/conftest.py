"""Shared fixtures: an isolated store for every test session, the real app on a free port, a browser.

Browser tests need Debian's chromium (`.ci/run` installs it). Outside CI they are skipped, saying
why, when it is missing; in CI (CI=true) a missing browser is a failure, never a silent skip.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# The store fixtures (`db_url` on SQLite then PostgreSQL, `postgres_url`, `store`) for every module.
pytest_plugins = ["tests.postgres"]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("PARTNERSHIPS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(autouse=True, scope="session")
def _isolated_store(tmp_path_factory) -> Iterator[None]:
    """No test touches var/ (store, reference working copy) or a DATABASE_URL of the developer's shell."""
    saved = {
        k: os.environ.get(k)
        for k in ("PARTNERSHIPS_DB_PATH", "DATABASE_URL", "PARTNERSHIPS_REFERENCE_DIR")
    }
    os.environ["PARTNERSHIPS_DB_PATH"] = str(tmp_path_factory.mktemp("store") / "partnerships.db")
    os.environ["PARTNERSHIPS_REFERENCE_DIR"] = str(tmp_path_factory.mktemp("reference"))
    os.environ.pop("DATABASE_URL", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_running(env: dict[str, str], log: Path, script: Path | None = None) -> Iterator[str]:
    """`streamlit run app.py` (or `script`) on a free loopback port with `env` added; yields its
    base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script or ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def run_app(tmp_path) -> Callable[..., object]:
    """`with run_app(DATABASE_URL=..., PARTNERSHIPS_SAMPLE_DIR=...) as url:` the real app."""

    def start(**env: str):
        return app_running(env, tmp_path / "streamlit.log")

    return start


@pytest.fixture
def run_sample_app(run_app, tmp_path) -> Callable[..., object]:
    """`with run_sample_app(**env) as url:` the real app on a store file already seeded with the
    sample data (and an empty sample folder, so nothing else is loaded at start)."""

    def start(**env: str):
        store_path = tmp_path / "store.db"
        from analytics.store.versions import open_store

        store = open_store(f"sqlite:///{store_path}")
        store.seed_samples_if_empty(ROOT / "data" / "sample")
        store.close()
        (tmp_path / "no-samples").mkdir(exist_ok=True)
        return run_app(
            DATABASE_URL=f"sqlite:///{store_path}",
            PARTNERSHIPS_SAMPLE_DIR=str(tmp_path / "no-samples"),
            **env,
        )

    return start


@pytest.fixture
def browser():
    """Headless Debian chromium driven by Playwright (no downloaded browser)."""
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"browser test skipped: {CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
