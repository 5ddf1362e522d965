"""A deadlock or a serialization failure is nobody's mistake: the request runs again, and if
it keeps conflicting the client gets a 503 with Retry-After, never a 500."""

import os

import httpx
import psycopg
import pytest
from fastapi import FastAPI, Request
from sqlalchemy.exc import OperationalError

from service.kit.errors import install_error_handlers
from service.kit.input_guard import SPOOL_BYTES, InputGuardMiddleware
from service.kit.retry import RetryConflictsMiddleware, install_conflict_handler


def guard(app: FastAPI, limit: int) -> None:
    async def limit_for(_scope: object) -> int:
        return limit

    app.add_middleware(InputGuardMiddleware, limit_for=limit_for, limit_without_body=limit)


def conflicting_app(
    failures: int, attempts: int = 4, limit: int = 1024
) -> tuple[FastAPI, list[bytes]]:
    """An application whose write conflicts ``failures`` times, then succeeds."""
    app = FastAPI()
    install_error_handlers(app)
    install_conflict_handler(app)
    bodies: list[bytes] = []

    @app.post("/write")
    async def write(request: Request) -> dict[str, int]:
        bodies.append(await request.body())
        if len(bodies) <= failures:
            raise OperationalError("COMMIT", {}, psycopg.errors.DeadlockDetected())
        return {"attempt": len(bodies)}

    app.add_middleware(RetryConflictsMiddleware, attempts=attempts, pause_seconds=0.001)
    guard(app, limit)
    return app, bodies


async def post(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post("/write", json={"n": 1})


@pytest.mark.parametrize("failures", [0, 1, 3])
async def test_a_conflict_is_run_again_with_the_same_body(failures: int) -> None:
    app, bodies = conflicting_app(failures)
    response = await post(app)
    assert response.status_code == 200
    assert response.json() == {"attempt": failures + 1}
    assert bodies == [b'{"n":1}'] * (failures + 1)


async def test_a_conflict_that_persists_is_a_retryable_503() -> None:
    app, bodies = conflicting_app(failures=10, attempts=4)
    response = await post(app)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json()["type"].endswith("/transaction-conflict")
    assert len(bodies) == 4


async def test_other_database_errors_are_not_retried() -> None:
    app = FastAPI()
    install_error_handlers(app)
    install_conflict_handler(app)
    calls = 0

    @app.post("/write")
    async def write() -> None:
        nonlocal calls
        calls += 1
        raise OperationalError("SELECT", {}, psycopg.errors.SyntaxError())

    app.add_middleware(RetryConflictsMiddleware, attempts=4, pause_seconds=0.001)
    guard(app, 1024)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post("/write", json={})
    assert calls == 1
    assert response.status_code != 200


async def test_a_body_past_the_spool_size_is_replayed_whole_on_each_attempt() -> None:
    """A 3 MiB upload is kept on disk, not in memory, and given again, a chunk at a time,
    to every attempt: byte for byte the body that was sent."""
    app, bodies = conflicting_app(2, limit=4 * SPOOL_BYTES)
    sent = os.urandom(3 * SPOOL_BYTES + 123)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post(
            "/write", content=sent, headers={"Content-Type": "application/octet-stream"}
        )
    assert response.status_code == 200
    assert response.json() == {"attempt": 3}
    assert bodies == [sent] * 3
