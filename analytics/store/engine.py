"""Opening the store's database: its URL, the engine (SQLite's settings), the Alembic upgrade.

A store this process may only read (an SQLite file, or its folder, not writable by this
account, or a URL that says `mode=ro`) is opened read-only when its schema is at head: it can
be read, never upgraded, and a write is refused with ReadOnlyStore before anything is tried.
"""

import os
from pathlib import Path
from urllib.request import pathname2url, url2pathname

import sqlalchemy as sa

from analytics.config import setting

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class ReadOnlyStore(Exception):
    """A write asked of a store this process may only read (`code` names the message)."""

    code = "ingest.read_only"

    def __init__(self, store: str):
        super().__init__(f"the store {store} can only be read by this account")
        self.store = store

    def message(self, lang: str) -> str:
        from analytics.i18n import t

        return t(self.code, lang, store=self.store)


def database_url(db_url: str | None = None) -> str:
    """The store's URL: the argument, else DATABASE_URL, else the embedded SQLite file."""
    if db_url:
        return db_url
    if setting("DATABASE_URL"):
        return setting("DATABASE_URL")
    path = Path(setting("PARTNERSHIPS_DB_PATH")).expanduser().resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:  # a folder that cannot be made here: opening the file will say so
        pass
    return f"sqlite:///{path}"


def _file_of(url: sa.URL) -> Path | None:
    """The SQLite file of a URL (plain path or `file:` URI), None in memory."""
    database = url.database or ""
    if database in ("", ":memory:") or url.query.get("mode") == "memory":
        return None
    if database.startswith("file:"):
        database = database[len("file:") :].split("?", 1)[0]
    return Path(database)


def where(engine: sa.Engine) -> str:
    """The store as people name it: the SQLite file's path, else the URL without its password."""
    path = _file_of(engine.url)
    if engine.url.get_backend_name() == "sqlite" and path is not None:
        return url2pathname(str(path))
    return engine.url.render_as_string(hide_password=True)


def _read_only_wanted(url: sa.URL) -> bool:
    """The URL asks for read-only, or the file (or its folder: the journal is written beside
    it) exists but this account may not write it."""
    if url.query.get("mode") == "ro":
        return True
    path = _file_of(url)
    if path is None or not path.exists():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _read_only_url(url: sa.URL, immutable: bool) -> sa.URL:
    path = _file_of(url).resolve()
    options = "mode=ro" + ("&immutable=1" if immutable else "")
    return sa.make_url(f"sqlite:///file:{pathname2url(str(path))}?{options}&uri=true")


def _sqlite_engine(url: sa.URL, read_only: bool) -> sa.Engine:
    engine = sa.create_engine(url)

    # pysqlite's own transaction handling commits DDL and delays BEGIN; SQLAlchemy's recipe
    # makes every engine.begin() one real transaction (migrations included).
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not read_only and _file_of(engine.url) is not None:
            # Readers (the app) are not blocked while a commit (the CLI) is being written.
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection):
        # A new version takes the write lock first (BEGIN IMMEDIATE): a second commit for the
        # region waits, then sees the new version and is told the register changed.
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate and not read_only else "BEGIN")

    return engine


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: sa.Engine) -> None:
    """Run the Alembic migrations up to head, without any alembic.ini."""
    from alembic import command

    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def at_head(engine: sa.Engine) -> bool:
    """Whether the database's schema is the latest migration's (read, nothing written)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(_alembic_config()).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads


def _read_only_engine(url: sa.URL) -> sa.Engine:
    """A read-only engine on an SQLite file that can be read (else OperationalError)."""
    for immutable in (False, True):
        # A WAL file in a folder this account cannot write is readable only if SQLite is told
        # nothing will change it (no -shm file can be made there): the second try says so.
        engine = _sqlite_engine(_read_only_url(url, immutable), read_only=True)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            return engine
        except sa.exc.OperationalError:
            engine.dispose()
            if immutable:
                raise
    raise AssertionError("unreachable")


def _open_read_only(url: sa.URL) -> sa.Engine:
    """A read-only engine on an SQLite file whose schema is at head (else RuntimeError)."""
    engine = _read_only_engine(url)
    if not at_head(engine):
        engine.dispose()
        raise RuntimeError(
            f"{_file_of(url)}: this store needs an upgrade, and it can only be read here"
        )
    return engine


def has_store(db_url: str | None = None) -> bool:
    """Whether something was ever stored at the URL (an SQLite file that exists, a database
    with the store's tables), found without creating anything: a reader must not."""
    url = sa.make_url(database_url(db_url))
    if url.get_backend_name() == "sqlite":
        path = _file_of(url)
        if path is None or not path.exists():
            return False
        engine = _read_only_engine(url) if _read_only_wanted(url) else sa.create_engine(url)
    else:
        engine = sa.create_engine(url)
    try:
        return sa.inspect(engine).has_table("versions")
    finally:
        engine.dispose()


def open_engine(db_url: str | None = None) -> tuple[sa.Engine, bool]:
    """The engine of the store at a URL (created or upgraded when writable), and whether it
    is read-only."""
    url = sa.make_url(database_url(db_url))
    if url.get_backend_name() != "sqlite":
        engine = sa.create_engine(url, pool_pre_ping=True)
        upgrade(engine)
        return engine, False
    if _read_only_wanted(url):
        return _open_read_only(url), True
    engine = _sqlite_engine(url, read_only=False)
    upgrade(engine)
    return engine, False
