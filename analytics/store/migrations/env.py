"""Alembic environment: the app passes its open connection in `config.attributes["connection"]`."""

from alembic import context
from sqlalchemy import create_engine

from analytics.store.tables import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        # `alembic -x url=… upgrade head` from a shell, for administrators.
        url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
            "sqlalchemy.url"
        )
        with create_engine(url).begin() as conn:
            _migrate(conn)
    else:
        _migrate(connection)


def _migrate(connection) -> None:
    # Batch mode lets later migrations alter columns on SQLite, which has almost no ALTER TABLE.
    context.configure(
        connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True
    )
    with context.begin_transaction():
        context.run_migrations()


run()
