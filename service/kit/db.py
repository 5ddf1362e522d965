"""Engines, sessions and the metadata every table model shares."""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.config import get_settings

# Named constraints: batch migrations on SQLite must recreate them by name, and PostgreSQL
# error messages then point at something a person can find in the migrations.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware timestamp that SQLite also returns aware (it stores no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def sync_url(url: str) -> str:
    """The same database through a synchronous driver, for Alembic and scripts."""
    parsed = make_url(url)
    if parsed.drivername == "sqlite+aiosqlite":
        parsed = parsed.set(drivername="sqlite")
    elif parsed.drivername in ("postgresql", "postgresql+asyncpg"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def async_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


SNAPSHOT_READ = "snapshot_read"


def configure_sqlite(engine: Engine, *, foreign_keys: bool = True) -> None:
    """Foreign keys on, and real transactions (savepoints, transactional DDL) on SQLite.

    pysqlite opens transactions lazily and commits DDL at once; taking over BEGIN makes
    a failed migration or a rolled-back test leave nothing behind. BEGIN IMMEDIATE takes
    the write lock up front, so writers queue (busy_timeout) instead of failing when one
    read a snapshot another then changed, and ids are assigned in commit order.
    Migrations turn foreign keys off (batch mode recreates referenced tables) and check
    them at the end instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A snapshot read (an export) must not hold the write lock for its whole stream.
        if connection.get_execution_options().get(SNAPSHOT_READ):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine_for(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    url = async_url(url)
    # Parameters hold personal data: they never appear in an error's message.
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if not url.startswith("sqlite"):
        kwargs |= {"pool_size": pool_size, "pool_pre_ping": True}
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):
        configure_sqlite(engine.sync_engine)
    return engine


class Database:
    """The process-wide engine and session factory, created on first use."""

    def __init__(self) -> None:
        self._engine: AsyncEngine | None = None
        self._sessionmaker: async_sessionmaker[AsyncSession] | None = None

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            settings = get_settings()
            self._engine = create_engine_for(
                settings.database_url,
                pool_size=settings.database_pool_size,
                echo=settings.database_echo,
            )
        return self._engine

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        if self._sessionmaker is None:
            self._sessionmaker = async_sessionmaker(
                self.engine, class_=AsyncSession, expire_on_commit=False, autoflush=False
            )
        return self._sessionmaker

    async def dispose(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
        self._engine = None
        self._sessionmaker = None


database = Database()
