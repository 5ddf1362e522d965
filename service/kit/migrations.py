"""Run the Alembic migrations from code (the CLI, the tests and `make run` use this)."""

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, pool

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


def pending_model_changes(database_url: str, metadata: MetaData) -> list[object]:
    """What autogenerate would still write for ``metadata`` (every table registered): empty
    when the models and the migrations agree."""
    url = sync_url(database_url)
    engine = create_engine(url, poolclass=pool.NullPool)
    if url.startswith("sqlite"):
        configure_sqlite(engine)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()
