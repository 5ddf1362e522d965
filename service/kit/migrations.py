"""Run the Alembic migrations from code (the CLI, the tests and `make run` use this)."""

from functools import lru_cache

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, create_engine, pool

from alembic import command
from service.kit.config import PROJECT_ROOT
from service.kit.db import configure_sqlite, sync_url


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["database_url"] = sync_url(database_url)
    config.attributes["configure_logger"] = False
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


@lru_cache
def head_revisions() -> frozenset[str]:
    """The revisions at the head of ``alembic/versions``: the schema this code expects."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def current_revisions(connection: Connection) -> frozenset[str]:
    """The revisions the database on ``connection`` is at (none before the first migration)."""
    return frozenset(MigrationContext.configure(connection).get_current_heads())


def pending_model_changes(database_url: str, metadata: MetaData) -> list[object]:
    """What autogenerate would still write for ``metadata`` (every table registered): empty
    when the models and the migrations agree."""
    url = sync_url(database_url)
    engine = create_engine(url, poolclass=pool.NullPool, hide_parameters=True)
    if url.startswith("sqlite"):
        configure_sqlite(engine)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()
