"""Migrations build the schema from empty, go down to base and up again, and agree with
the models, on every test database."""

import sqlalchemy as sa
from sqlmodel import SQLModel

import service.models  # noqa: F401  (every table)
from service.kit import migrations
from service.kit.db import configure_sqlite, sync_url


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(sync_url(url), poolclass=sa.pool.NullPool)
    if url.startswith("sqlite"):
        configure_sqlite(engine)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(sync_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(scratch_database_url: str) -> None:
    url = scratch_database_url
    migrations.upgrade(url)
    built = _tables(url)
    assert {"student", "enrolment", "employment", "residence_registration"} <= built
    assert _count(url, "region") == 20
    migrations.downgrade(url, "base")
    assert _tables(url) == set()
    migrations.upgrade(url)
    assert _tables(url) == built
    assert _count(url, "region") == 20


def test_models_and_migrations_agree(database_url: str) -> None:
    assert migrations.pending_model_changes(database_url, SQLModel.metadata) == []
