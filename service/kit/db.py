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
from service.kit.watchdog import guarded_connect

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


RESPONSE_GRACE_SECONDS = 2.0
"""How long after its statement timeout a server that answers probes yet not the statement
is given up on."""


def _postgres_connect_args(url: str, connect_timeout: int, statement_timeout_ms: int) -> Any:
    options = make_url(url).query.get("options")
    ours = f"-c statement_timeout={statement_timeout_ms}"
    # Without a statement timeout, a wait still ends once the server stops answering probes.
    guard = statement_timeout_ms / 1000 + RESPONSE_GRACE_SECONDS if statement_timeout_ms else 1e9
    answer = get_settings().database_answer_seconds
    return {
        "connect_timeout": connect_timeout,
        "options": f"{options} {ours}" if isinstance(options, str) else ours,
        "async_creator_fn": guarded_connect(guard, answer, float(connect_timeout)),
    }


def create_engine_for(
    url: str,
    *,
    pool_size: int = 10,
    echo: bool = False,
    connect_timeout: int | None = None,
    statement_timeout_ms: int | None = None,
    pool_timeout: float | None = None,
) -> AsyncEngine:
    """An engine for ``url``; the timeouts not given come from the settings."""
    settings = get_settings()
    if connect_timeout is None:
        connect_timeout = settings.database_connect_timeout_seconds
    if statement_timeout_ms is None:
        statement_timeout_ms = settings.database_statement_timeout_ms
    if pool_timeout is None:
        pool_timeout = settings.database_pool_timeout_seconds
    url = async_url(url)
    # Exception messages and logs never carry values: the data holds personal identifiers.
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if url.startswith("sqlite"):
        if make_url(url).database not in (None, "", ":memory:"):
            kwargs["pool_timeout"] = pool_timeout
    else:
        kwargs |= {
            "pool_size": pool_size,
            "pool_pre_ping": True,
            "pool_timeout": pool_timeout,
            "connect_args": _postgres_connect_args(url, connect_timeout, statement_timeout_ms),
        }
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
