"""Health probes: live never asks the database; ready asks it, and wants its schema at the
head of the migrations."""

import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from service.kit import health, migrations
from service.kit.config import PROJECT_ROOT
from service.kit.db import create_engine_for
from service.main import app

PROBLEM = "application/problem+json"
# The revisions are numbered: the head is the highest file.
HEAD = max(p.name[:4] for p in (PROJECT_ROOT / "alembic" / "versions").glob("[0-9]*.py"))


@asynccontextmanager
async def client_on(url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The application with its health probes on the database at ``url``."""
    engine = create_engine_for(url, connect_timeout=2, pool_timeout=2)
    get_engine: Callable[[], AsyncEngine] = lambda: engine  # noqa: E731
    app.dependency_overrides[health.get_engine] = get_engine
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client
    finally:
        app.dependency_overrides.clear()
        await engine.dispose()


def assert_not_ready(response: httpx.Response) -> str:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM
    assert int(response.headers["retry-after"]) >= 1
    problem = response.json()
    assert problem["status"] == 503
    assert problem["instance"] == "/health/ready"
    detail: str = problem["detail"]
    return detail


def test_the_head_is_the_newest_migration() -> None:
    assert migrations.head_revisions() == {HEAD}
    assert HEAD > "0005"  # the revision the tests below stop at is behind it


async def test_ready_on_a_database_at_the_head(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready", "revision": HEAD}


async def test_not_ready_behind_the_head(scratch_database_url: str) -> None:
    migrations.upgrade(scratch_database_url, "0005")
    async with client_on(scratch_database_url) as client:
        detail = assert_not_ready(await client.get("/health/ready"))
        assert "0005" in detail
        assert HEAD in detail
        assert "migrations" in detail
        # Live does not care.
        assert (await client.get("/health/live")).status_code == 200
    migrations.upgrade(scratch_database_url)
    async with client_on(scratch_database_url) as client:
        assert (await client.get("/health/ready")).status_code == 200


async def test_not_ready_before_any_migration(scratch_database_url: str) -> None:
    async with client_on(scratch_database_url) as client:
        detail = assert_not_ready(await client.get("/health/ready"))
    assert "revision none" in detail


async def test_not_ready_when_the_database_is_unreachable(
    backend: str, database_url: str, tmp_path: Path
) -> None:
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'missing-directory' / 'x.db'}"
    else:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = make_url(database_url).set(port=port).render_as_string(hide_password=False)
    async with client_on(url) as client:
        assert_not_ready(await client.get("/health/ready"))
        # The process itself is fine: live, and the old alias, say so.
        for path in ("/health/live", "/health"):
            response = await client.get(path)
            assert response.status_code == 200
            assert response.json() == {"status": "ok"}


def test_the_probes_are_documented() -> None:
    paths = app.openapi()["paths"]
    assert {"/health", "/health/live", "/health/ready"} <= set(paths)
    ready = paths["/health/ready"]["get"]["responses"]
    assert PROBLEM in ready["503"]["content"]
    assert "Readiness" in ready["200"]["content"]["application/json"]["schema"]["$ref"]
