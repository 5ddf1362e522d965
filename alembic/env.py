"""Alembic runs synchronously, on the service's database through a sync driver."""

from logging.config import fileConfig

import sqlalchemy as sa
from sqlmodel import SQLModel

import service.models  # noqa: F401  (registers every table)
from alembic import context
from service.kit.config import get_settings
from service.kit.db import configure_sqlite, sync_url

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def database_url() -> str:
    return str(config.attributes.get("database_url") or sync_url(get_settings().database_url))


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = database_url()
    # Values never in exception messages: the data holds personal identifiers.
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool, hide_parameters=True)
    if url.startswith("sqlite"):
        configure_sqlite(engine, foreign_keys=False)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        # SQLite runs DDL inside our explicit BEGIN (see service.db.configure_sqlite).
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
