"""Test databases built by the migrations, a rolled-back transaction per test.

Every database test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set
(CI sets it and requires it).
"""

import os
import secrets

# The test suite runs as the `testing` environment, with a secret of its own (the built-in
# one is refused outside development), and cheap password hashes: the cost is configuration,
# the algorithm the same.
os.environ.setdefault("SERVICE_ENVIRONMENT", "testing")
os.environ.setdefault("SERVICE_SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("SERVICE_ARGON2_TIME_COST", "1")
# The test client connects from 127.0.0.1; trusting it as a proxy lets a test choose the
# client's address through X-Forwarded-For (tests/auth/test_sign_in_limits.py shows the
# header ignored where no proxy is configured).
os.environ.setdefault("SERVICE_FORWARDED_ALLOW_IPS", '["127.0.0.1"]')
os.environ.setdefault("SERVICE_ARGON2_MEMORY_COST_KIB", "1024")

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.credentials import create_access_token
from service.enums import UserRole
from service.kit import health, migrations
from service.kit.config import get_settings
from service.kit.db import create_engine_for
from service.kit.unit_of_work import (
    Actor,
    UnitOfWork,
    attach_to_request,
    request_unit_of_work,
    unit_of_work,
)
from service.main import app
from service.models.auth import User
from service.monitoring.downloads import Snapshot, get_engine, get_snapshot
from service.monitoring.feed import current_cursor
from tests.databases import BACKENDS, fresh_database_url
from tests.support import WRITERS, MakeUser

# Fixtures that start a server of the service, a PostgreSQL cluster or a browser: the tests
# that use them are marked ``live`` (``make test-quick`` leaves them out).
LIVE_FIXTURES = frozenset(
    {"live", "live_server", "server", "evaluated", "cluster", "browser", "context", "page", "phone"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if LIVE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.live)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = fresh_database_url(backend, tmp_path_factory.mktemp(backend), "main")
    migrations.upgrade(url)
    return url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine_for(database_url, pool_size=20)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session whose commits are savepoints inside one transaction, rolled back after."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
            autoflush=False,
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()


@pytest.fixture
async def anonymous(session: AsyncSession, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the application on the test's session, signed in as nobody."""

    async def _unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
        # As in production, a failed request leaves nothing behind (back to its last commit);
        # its commit is a savepoint of the test's transaction.
        uow = UnitOfWork(session, Actor(user_id=None, role="anonymous"))
        attach_to_request(request, uow)
        try:
            yield uow
        except BaseException:
            await uow.rollback()
            raise
        await uow.commit()

    async def _snapshot() -> AsyncIterator[Snapshot]:
        # Exports read the test's own transaction (the data of a rolled-back test).
        yield Snapshot(await session.connection(), await current_cursor(session))

    app.dependency_overrides[request_unit_of_work] = _unit_of_work
    app.dependency_overrides[get_snapshot] = _snapshot
    app.dependency_overrides[health.get_engine] = lambda: engine
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    app.dependency_overrides.clear()


@pytest.fixture
def public_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The service served at an https public address (SERVICE_PUBLIC_URL) for one test."""
    monkeypatch.setenv("SERVICE_PUBLIC_URL", "https://tracker.example.kz")
    get_settings.cache_clear()
    yield "https://tracker.example.kz"
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def make_user(session: AsyncSession) -> MakeUser:
    """Creates a user of a role and returns the Authorization header of a token for it."""

    async def make(
        role: UserRole, *, institution_id: int | None = None, student_id: int | None = None
    ) -> dict[str, str]:
        user = User(
            username=f"{role.value}-{os.urandom(4).hex()}",
            full_name=f"Test {role.value}",
            role=role,
            institution_id=institution_id,
            student_id=student_id,
        )
        session.add(user)
        await session.commit()  # a savepoint here: a failed request must not undo it
        assert user.id is not None
        token, _ = create_access_token(user.id, role)
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
async def client(anonymous: httpx.AsyncClient, make_user: MakeUser) -> httpx.AsyncClient:
    """A client signed in as an administrator (every other role is tested on purpose)."""
    anonymous.headers.update(await make_user(UserRole.admin))
    return anonymous


@pytest.fixture
def scratch_database_url(backend: str, tmp_path: Path) -> str:
    """An empty database of the same backend, for tests that migrate up and down."""
    return fresh_database_url(backend, tmp_path, "scratch")


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> str:
    """A second empty database of the same backend (a restore's target): on SQLite a file
    not yet created."""
    return fresh_database_url(backend, tmp_path, "empty")


@pytest.fixture
async def committing_engine(scratch_database_url: str) -> AsyncIterator[AsyncEngine]:
    migrations.upgrade(scratch_database_url)
    engine = create_engine_for(scratch_database_url, pool_size=WRITERS + 4)
    yield engine
    await engine.dispose()


@pytest.fixture
async def committing_client(committing_engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """The application on its own database with real commits and a connection per request,
    as in production, signed in as an administrator."""
    sessions = async_sessionmaker(committing_engine, class_=AsyncSession, expire_on_commit=False)

    async def _unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
        async with unit_of_work(Actor(user_id=None, role="anonymous"), sessions) as uow:
            attach_to_request(request, uow)
            yield uow

    async with sessions() as session:
        admin = User(username="admin", full_name="Admin", role=UserRole.admin)
        session.add(admin)
        await session.commit()
        assert admin.id is not None
        token, _ = create_access_token(admin.id, UserRole.admin)
    app.dependency_overrides[request_unit_of_work] = _unit_of_work
    app.dependency_overrides[get_engine] = lambda: committing_engine
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as c:
        yield c
    app.dependency_overrides.clear()
