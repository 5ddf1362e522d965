"""Sign-in limits: by account and address together, holding under parallel guesses, never a
way to lock a graduate out, and the client's address believed only from a trusted proxy."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth import service as auth_service
from service.kit.config import get_settings
from service.kit.unit_of_work import request_unit_of_work
from service.main import app, create_app
from service.models.auth import LoginThrottle
from tests.factories import create

PASSWORD = "correct horse battery"


async def account(client: httpx.AsyncClient, username: str) -> dict[str, Any]:
    return await create(
        client,
        "/users",
        {
            "username": username,
            "full_name": "Dana",
            "role": "financial_center",
            "password": PASSWORD,
        },
    )


async def sign_in(
    client: httpx.AsyncClient, username: str, password: str, address: str = "10.0.0.1"
) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token",
        data={"username": username, "password": password},
        headers={"X-Forwarded-For": address},
    )


async def test_one_address_guessing_one_account_is_locked_out_alone(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, session: AsyncSession
) -> None:
    await account(client, "marat")
    limit = get_settings().login_max_failures
    for _ in range(limit):
        assert (await sign_in(anonymous, "marat", "wrong", "10.1.0.1")).status_code == 401
    locked = await sign_in(anonymous, "marat", PASSWORD, "10.1.0.1")
    assert locked.status_code == 429
    assert 0 < int(locked.headers["Retry-After"]) <= get_settings().login_lock_minutes * 60 + 1
    # The graduate, signing in from anywhere else, is not locked out by the guesser.
    assert (await sign_in(anonymous, "marat", PASSWORD, "10.1.0.2")).status_code == 200
    row = await session.get(LoginThrottle, "pair:marat|10.1.0.1", populate_existing=True)
    assert row is not None
    assert row.failures == limit


async def test_guesses_from_many_addresses_only_pause_the_account(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "login_account_max_failures", 4)
    await account(client, "aliya")
    for n in range(4):
        assert (await sign_in(anonymous, "aliya", "wrong", f"10.2.0.{n}")).status_code == 401
    paused = await sign_in(anonymous, "aliya", PASSWORD, "10.2.1.1")
    assert paused.status_code == 429
    assert int(paused.headers["Retry-After"]) <= get_settings().login_account_pause_seconds + 1
    row = await session.get(LoginThrottle, "account:aliya", populate_existing=True)
    assert row is not None
    assert row.locked_until is not None
    row.locked_until = datetime.now(UTC) - timedelta(seconds=1)  # the pause has passed
    session.add(row)
    await session.flush()
    assert (await sign_in(anonymous, "aliya", PASSWORD, "10.2.1.1")).status_code == 200


async def test_an_address_spraying_accounts_is_locked(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "login_address_max_failures", 3)
    await account(client, "saule")
    for n in range(3):
        assert (await sign_in(anonymous, f"guess{n}", "wrong", "10.9.9.9")).status_code == 401
    assert (await sign_in(anonymous, "saule", PASSWORD, "10.9.9.9")).status_code == 429
    assert (await sign_in(anonymous, "saule", PASSWORD, "10.9.9.10")).status_code == 200


async def test_a_lock_ends(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, session: AsyncSession
) -> None:
    await account(client, "erlan")
    for _ in range(get_settings().login_max_failures):
        await sign_in(anonymous, "erlan", "wrong", "10.3.0.1")
    row = await session.get(LoginThrottle, "pair:erlan|10.3.0.1", populate_existing=True)
    assert row is not None
    assert row.locked_until is not None
    row.locked_until = datetime.now(UTC) - timedelta(seconds=1)
    session.add(row)
    await session.flush()
    assert (await sign_in(anonymous, "erlan", PASSWORD, "10.3.0.1")).status_code == 200


@pytest.mark.parametrize("guesses", [20])
async def test_parallel_guesses_check_no_more_passwords_than_the_limit(
    committing_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, guesses: int
) -> None:
    await account(committing_client, "nurlan")
    checked = 0
    verify = auth_service.verify_password

    async def counting(password: str, password_hash: str | None) -> bool:
        nonlocal checked
        checked += 1
        return await verify(password, password_hash)

    monkeypatch.setattr(auth_service, "verify_password", counting)
    responses = await asyncio.gather(
        *(
            committing_client.post(
                "/api/v1/auth/token",
                data={"username": "nurlan", "password": f"wrong {n}"},
                headers={"X-Forwarded-For": "10.4.0.1"},
            )
            for n in range(guesses)
        )
    )
    limit = get_settings().login_max_failures
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [401] * limit + [429] * (guesses - limit)
    assert checked == limit


async def test_forwarded_for_is_believed_only_from_a_configured_proxy(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await account(client, "asel")
    monkeypatch.setattr(get_settings(), "forwarded_allow_ips", [])
    direct = create_app()  # no proxy configured: the connection's address is the client's
    transport = httpx.ASGITransport(app=direct, client=("192.0.2.7", 5000))
    # The same test database as the other clients.
    direct.dependency_overrides = app.dependency_overrides
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        for n in range(get_settings().login_max_failures):
            # Each guess claims another address; without a trusted proxy the claim is ignored.
            await sign_in(c, "asel", "wrong", f"10.5.0.{n}")
        assert (await sign_in(c, "asel", PASSWORD, "10.5.1.1")).status_code == 429
    assert request_unit_of_work in direct.dependency_overrides
