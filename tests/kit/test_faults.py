"""Database faults that are not the client's fault answer 503 with Retry-After, each logged as
one line: first every error class through a small application, then real faults of the test
database (timeouts, an unreachable server, an exhausted pool)."""

import logging
import socket
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from psycopg import errors as pg_errors
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from service.kit.db import RESPONSE_GRACE_SECONDS, create_engine_for
from service.kit.errors import install_error_handlers
from service.kit.faults import RETRY_AFTER_SECONDS, install_fault_handlers

PROBLEM = "application/problem+json"
IIN = "010517650013"
"""A value that must never reach a log line or a response."""
STATEMENT = "INSERT INTO student (iin) VALUES (%(iin)s)"


def _wrapped(cls: type[sa_exc.DBAPIError], orig: BaseException, **kwargs: Any) -> Exception:
    return cls(STATEMENT, {"iin": IIN}, orig, **kwargs)  # type: ignore[arg-type]


class _Bug(psycopg.DatabaseError):
    """A driver error that is no outage (as a wrong statement would be)."""


FAULTS: dict[str, tuple[Callable[[], Exception], str | None]] = {
    "refused": (
        lambda: _wrapped(sa_exc.OperationalError, psycopg.OperationalError("refused")),
        None,
    ),
    "admin-shutdown": (
        lambda: _wrapped(sa_exc.OperationalError, pg_errors.AdminShutdown("terminating")),
        "57P01",
    ),
    "cannot-connect-now": (
        lambda: _wrapped(sa_exc.OperationalError, pg_errors.CannotConnectNow("starting up")),
        "57P03",
    ),
    "statement-timeout": (
        lambda: _wrapped(sa_exc.OperationalError, pg_errors.QueryCanceled("timeout")),
        "57014",
    ),
    "too-many-connections": (
        lambda: _wrapped(sa_exc.OperationalError, pg_errors.TooManyConnections("full")),
        "53300",
    ),
    "interface": (
        lambda: _wrapped(sa_exc.InterfaceError, psycopg.InterfaceError("connection closed")),
        None,
    ),
    "invalidated": (
        lambda: _wrapped(sa_exc.DBAPIError, _Bug("lost"), connection_invalidated=True),
        None,
    ),
    "pool-timeout": (lambda: sa_exc.TimeoutError("QueuePool limit reached"), None),
    "raw-driver": (lambda: pg_errors.AdminShutdown("terminating"), "57P01"),
    "raw-driver-lost": (lambda: psycopg.OperationalError("consuming input failed"), None),
}

NOT_FAULTS: dict[str, Callable[[], Exception]] = {
    # Deadlocks and serialization failures belong to the unit of work's retry.
    "serialization": lambda: _wrapped(
        sa_exc.OperationalError, pg_errors.SerializationFailure("could not serialize")
    ),
    "deadlock": lambda: _wrapped(sa_exc.OperationalError, pg_errors.DeadlockDetected("deadlock")),
    "program-limit": lambda: _wrapped(
        sa_exc.OperationalError, pg_errors.ProgramLimitExceeded("row too big")
    ),
    "bug": lambda: _wrapped(sa_exc.ProgrammingError, pg_errors.UndefinedTable("no relation")),
    "sqlite-bug": lambda: _wrapped(sa_exc.OperationalError, _sqlite_error("SELECT * FROM nope")),
}


def _sqlite_error(sql: str) -> sqlite3.Error:
    with sqlite3.connect(":memory:") as connection:
        try:
            connection.execute(sql)
        except sqlite3.Error as exc:
            return exc
    raise AssertionError(f"{sql} did not fail")


def fault_app(raisers: dict[str, Callable[[], Exception]]) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.exception_handler(sa_exc.OperationalError)
    async def _earlier(request: Request, exc: sa_exc.OperationalError) -> JSONResponse:
        # Stands for the deadlock handling of another module, installed first.
        sqlstate = getattr(exc.orig, "sqlstate", None)
        if sqlstate in ("40001", "40P01"):
            return JSONResponse({"handled": "earlier"}, status_code=409)
        raise exc

    install_fault_handlers(app)

    for name, raiser in raisers.items():

        async def endpoint(raiser: Callable[[], Exception] = raiser) -> None:
            raise raiser()

        app.add_api_route(f"/{name}", endpoint, methods=["POST"])
    return app


@pytest.fixture
async def faulty() -> AsyncIterator[httpx.AsyncClient]:
    raisers = {name: raiser for name, (raiser, _) in FAULTS.items()} | NOT_FAULTS
    transport = httpx.ASGITransport(app=fault_app(raisers), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


def assert_unavailable(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    problem: dict[str, Any] = response.json()
    assert problem["status"] == 503
    assert problem["type"].endswith("/database-unavailable")
    assert problem["instance"] == response.request.url.path
    assert problem["detail"]
    return problem


def fault_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "service.kit.faults"]


@pytest.mark.parametrize("name", list(FAULTS))
async def test_an_outage_is_a_503_logged_in_one_line(
    faulty: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    caplog.set_level(logging.INFO)
    response = await faulty.post(f"/{name}")
    problem = assert_unavailable(response)
    assert IIN not in response.text
    assert "INSERT" not in response.text
    (line,) = fault_lines(caplog)
    assert line.levelno == logging.WARNING
    assert line.exc_info is None
    assert line.stack_info is None
    message = line.getMessage()
    assert message.startswith(f"database unavailable: POST /{name} ")
    assert f"sqlstate={FAULTS[name][1] or '-'}" in message
    assert IIN not in message
    assert "INSERT" not in message
    assert "\n" not in message
    if name == "statement-timeout":
        assert "in time" in problem["detail"]
    # Nothing else logged a trace either.
    assert not [r for r in caplog.records if r.exc_info]


async def test_the_error_class_is_named(
    faulty: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await faulty.post("/admin-shutdown")
    await faulty.post("/pool-timeout")
    messages = [r.getMessage() for r in fault_lines(caplog)]
    assert "OperationalError/AdminShutdown sqlstate=57P01" in messages[0]
    assert "TimeoutError sqlstate=-" in messages[1]


@pytest.mark.parametrize("name", ["serialization", "deadlock"])
async def test_deadlocks_go_to_the_handler_installed_before(
    faulty: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    response = await faulty.post(f"/{name}")
    assert response.status_code == 409
    assert response.json() == {"handled": "earlier"}
    assert fault_lines(caplog) == []


@pytest.mark.parametrize("name", ["program-limit", "bug", "sqlite-bug"])
async def test_what_is_not_an_outage_stays_a_500(
    faulty: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    response = await faulty.post(f"/{name}")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert fault_lines(caplog) == []


async def test_a_duplicate_stays_a_409(faulty: httpx.AsyncClient) -> None:
    app = fault_app(
        {"dup": lambda: _wrapped(sa_exc.IntegrityError, pg_errors.UniqueViolation("dup"))}
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post("/dup")
    assert response.status_code == 409
    assert response.json()["type"].endswith("/conflict")


# --- real faults of the test database ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unreachable_url(backend: str, database_url: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'missing-directory' / 'x.db'}"
    # Nothing listens on a port just freed: the connection is refused.
    return make_url(database_url).set(port=_free_port()).render_as_string(hide_password=False)


Work = Callable[[AsyncConnection], Any]


def engine_app(engine: AsyncEngine, work: Work) -> FastAPI:
    """An application whose one route runs ``work`` on a connection of ``engine``."""
    app = FastAPI()
    install_error_handlers(app)
    install_fault_handlers(app)

    @app.post("/work")
    async def run() -> dict[str, str]:
        async with engine.connect() as connection:
            await work(connection)
        return {"status": "done"}

    return app


async def call(app: FastAPI) -> tuple[httpx.Response, float]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        started = time.monotonic()
        response = await client.post("/work")
        return response, time.monotonic() - started


async def select_one(connection: AsyncConnection) -> None:
    await connection.execute(sa.text("SELECT 1"))


async def test_an_unreachable_database_is_a_503(
    backend: str, database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_engine_for(unreachable_url(backend, database_url, tmp_path))
    try:
        response, _ = await call(engine_app(engine, select_one))
    finally:
        await engine.dispose()
    assert_unavailable(response)
    assert len(fault_lines(caplog)) == 1


async def test_an_exhausted_pool_is_a_503(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_engine_for(database_url, pool_size=1, pool_timeout=0.2)
    held: list[AsyncConnection] = []
    try:
        # Take every connection the pool will give (its size and its overflow).
        exhausted = False
        while not exhausted and len(held) < 50:
            try:
                held.append(await engine.connect())
            except sa_exc.TimeoutError:
                exhausted = True
        assert exhausted
        response, elapsed = await call(engine_app(engine, select_one))
        assert_unavailable(response)
        assert elapsed < 2
        assert "busy" in response.json()["detail"]
        await held.pop().close()
        response, _ = await call(engine_app(engine, select_one))
        assert response.status_code == 200
    finally:
        for connection in held:
            await connection.close()
        await engine.dispose()
    assert len(fault_lines(caplog)) == 1


async def test_the_pool_timeout_comes_from_the_settings(database_url: str) -> None:
    engine = create_engine_for(database_url, pool_timeout=3.5)
    try:
        assert engine.pool.timeout() == 3.5  # type: ignore[attr-defined]
    finally:
        await engine.dispose()


async def test_a_slow_database_is_a_503(
    backend: str, database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL: a statement past the statement timeout. SQLite: a write lock held by
    another writer past the busy timeout."""
    if backend == "postgresql":
        engine = create_engine_for(database_url, statement_timeout_ms=200)

        async def work(connection: AsyncConnection) -> None:
            await connection.execute(sa.text("SELECT pg_sleep(5)"))

        blocker = None
    else:
        path = tmp_path / "busy.db"
        engine = create_engine_for(f"sqlite+aiosqlite:///{path}")

        @sa.event.listens_for(engine.sync_engine, "connect")
        def _impatient(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout=200")
            cursor.close()

        work = select_one
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
    try:
        response, elapsed = await call(engine_app(engine, work))
    finally:
        if blocker is not None:
            blocker.close()
        await engine.dispose()
    assert_unavailable(response)
    assert elapsed < 3
    (line,) = fault_lines(caplog)
    if backend == "postgresql":
        assert "sqlstate=57014" in line.getMessage()


async def test_a_server_that_stops_answering_is_given_up(
    backend: str, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A frozen server never applies its statement timeout: past it and a grace, the service
    drops the connection, answers 503, and the next request gets a fresh connection."""
    if backend != "postgresql":
        pytest.skip("SQLite has no server to wait for")
    engine = create_engine_for(database_url, statement_timeout_ms=300)

    async def unanswered(connection: AsyncConnection) -> None:
        # As if frozen: the server is told not to time the statement out itself.
        await connection.execute(sa.text("SET statement_timeout = 0"))
        await connection.execute(sa.text("SELECT pg_sleep(10)"))

    try:
        response, elapsed = await call(engine_app(engine, unanswered))
        assert_unavailable(response)
        assert 0.3 + RESPONSE_GRACE_SECONDS - 0.1 < elapsed < 0.3 + RESPONSE_GRACE_SECONDS + 1.5
        (line,) = fault_lines(caplog)
        assert "OperationalError" in line.getMessage()
        response, _ = await call(engine_app(engine, select_one))
        assert response.status_code == 200
    finally:
        await engine.dispose()


async def test_values_never_reach_an_error_message(database_url: str) -> None:
    engine = create_engine_for(database_url)
    try:
        async with engine.connect() as connection:
            with pytest.raises(sa_exc.DBAPIError) as raised:
                await connection.execute(
                    sa.text("SELECT * FROM no_such_table WHERE code = :code"), {"code": IIN}
                )
    finally:
        await engine.dispose()
    assert IIN not in str(raised.value)
    assert "hidden due to hide_parameters" in str(raised.value)
