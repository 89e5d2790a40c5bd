"""Store URLs for tests on both SQLite and a real PostgreSQL server.

PARTNERSHIPS_TEST_POSTGRES_URL names a server (any database on it, e.g.
postgresql+psycopg://<user>:<password>@127.0.0.1:5432/postgres) whose role may create
databases; each test module gets a fresh database, dropped at the end. `.ci/run` starts one.
Without a reachable server the PostgreSQL half is skipped, saying why; in CI it fails.

tests/conftest.py loads this module as a plugin: every test module can ask for these fixtures.
"""

import os
import re
import time
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from analytics.config import ROOT
from analytics.store.versions import open_store

SAMPLE_DIR = ROOT / "data" / "sample"

ENV = "PARTNERSHIPS_TEST_POSTGRES_URL"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKENDS = ["sqlite", "postgresql"]


def server_url() -> sa.URL | None:
    raw = os.environ.get(ENV, "").strip()
    return sa.make_url(raw).set(drivername="postgresql+psycopg") if raw else None


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}")
    pytest.skip(f"PostgreSQL half skipped: {reason}")


@pytest.fixture(scope="module")
def postgres_url(request) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test module; its URL."""
    server = server_url()
    if server is None:
        _unavailable(f"{ENV} is not set (bash .ci/run shows how to start a local server)")
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    module = re.sub(r"[^a-z0-9]+", "_", request.module.__name__.rsplit(".", 1)[-1].lower())
    name = f"test_{module}_{uuid.uuid4().hex[:8]}"[:63]
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        admin.dispose()
        _unavailable(
            f"no server reachable at {server.render_as_string(hide_password=True)} ({str(exc).splitlines()[0]})"
        )
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(admin, name)
        admin.dispose()


def _drop(admin: sa.Engine, name: str, attempts: int = 20) -> None:
    """DROP DATABASE … WITH (FORCE), again for a few seconds while it is refused for want of the
    right to end another role's process: an autovacuum worker that the tests' writes woke up in
    that database (seen in CI once), which ends on its own."""
    for attempt in range(attempts):
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except sa.exc.ProgrammingError as exc:
            if "must be a member of the role" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.25)


def fresh_schema(url: str) -> str:
    """A new empty schema in the module's database; the URL that works in it (search_path)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    finally:
        engine.dispose()
    return (
        sa.make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """An empty store URL: an SQLite file, then a PostgreSQL database (the test runs on both)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    # A schema per test: as empty as a new file, without the cost of a new database.
    return fresh_schema(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """An SQLite store file holding the six sample registers, made once per test module."""
    path = tmp_path_factory.mktemp("seeded") / "store.db"
    store = open_store(f"sqlite:///{path}")
    assert store.seed_samples_if_empty(SAMPLE_DIR)
    store.close()
    return path


@pytest.fixture
def store(db_url):
    """The store at `db_url`, opened (schema created) for the test and closed after it."""
    opened = open_store(db_url)
    yield opened
    opened.close()
