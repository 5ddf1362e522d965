"""Signing in, throttling, API tokens and their scopes."""

import httpx
import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.config import get_settings
from service.models.auth import ApiToken
from tests.factories import create, institution_body


async def _user_with_password(client: httpx.AsyncClient, username: str, password: str) -> dict:
    return await create(
        client,
        "/users",
        {
            "username": username,
            "full_name": "Dana Sadykova",
            "role": "financial_center",
            "password": password,
        },
    )


async def _sign_in(
    client: httpx.AsyncClient, username: str, password: str, address: str = "10.0.0.1"
) -> httpx.Response:
    # The transport's client address is fixed; tests vary it through the proxy header.
    return await client.post(
        "/api/v1/auth/token",
        data={"username": username, "password": password},
        headers={"X-Forwarded-For": address},
    )


async def test_password_sign_in_gives_a_working_token(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await _user_with_password(client, "dana", "correct horse battery")
    response = await _sign_in(anonymous, "Dana", "correct horse battery")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == get_settings().access_token_minutes * 60
    me = await anonymous.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["user"]["username"] == "dana"
    assert me.json()["user"]["last_login_at"] is not None


async def test_wrong_password_and_unknown_user_look_the_same(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await _user_with_password(client, "aliya", "correct horse battery")
    wrong = await _sign_in(anonymous, "aliya", "wrong password!")
    unknown = await _sign_in(anonymous, "nobody", "wrong password!")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_disabled_user_cannot_sign_in_or_use_tokens(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    user = await _user_with_password(client, "asel", "correct horse battery")
    token = (await _sign_in(anonymous, "asel", "correct horse battery")).json()["access_token"]
    etag = (await client.get(f"/api/v1/users/{user['id']}")).headers["ETag"]
    response = await client.patch(
        f"/api/v1/users/{user['id']}", json={"is_active": False}, headers={"If-Match": etag}
    )
    assert response.status_code == 200
    assert (await _sign_in(anonymous, "asel", "correct horse battery")).status_code == 401
    me = await anonymous.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401


async def test_api_token_shown_once_stored_hashed_scoped_and_revocable(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, session: AsyncSession
) -> None:
    machine = await create(
        client,
        "/users",
        {
            "username": "fc-mirror",
            "full_name": "Financial Center mirror",
            "role": "financial_center",
        },
    )
    created = await create(
        client, "/api-tokens", {"name": "mirror", "user_id": machine["id"], "scopes": ["read"]}
    )
    secret = created["token"]
    assert secret.startswith("srp_")
    row = (await session.exec(select(ApiToken).where(ApiToken.id == created["id"]))).one()
    assert secret not in (row.token_hash, row.prefix)
    assert len(row.token_hash) == 64
    listed = (await client.get("/api/v1/api-tokens")).json()["items"]
    assert all("token" not in item for item in listed)

    bearer = {"Authorization": f"Bearer {secret}"}
    assert (await anonymous.get("/api/v1/programmes", headers=bearer)).status_code == 200
    await session.refresh(row)
    assert row.last_used_at is not None
    # A read-only token cannot write, whatever its account's role allows.
    write = await anonymous.post("/api/v1/students", json={}, headers=bearer)
    assert write.status_code == 403

    revoked = await client.post(f"/api/v1/api-tokens/{created['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert (await anonymous.get("/api/v1/programmes", headers=bearer)).status_code == 401
    again = await client.post(f"/api/v1/api-tokens/{created['id']}/revoke")
    assert again.status_code == 409


async def test_tampered_api_token_is_refused(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    machine = await create(
        client, "/users", {"username": "fc-bot", "full_name": "Bot", "role": "financial_center"}
    )
    created = await create(
        client, "/api-tokens", {"name": "bot", "user_id": machine["id"], "scopes": ["read"]}
    )
    tampered = created["token"][:-2] + ("AA" if not created["token"].endswith("AA") else "BB")
    response = await anonymous.get(
        "/api/v1/programmes", headers={"Authorization": f"Bearer {tampered}"}
    )
    assert response.status_code == 401


async def test_token_scopes_cannot_exceed_the_role(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    institution = await create(client, "/institutions", institution_body())
    staff = await create(
        client,
        "/users",
        {
            "username": "cc-bot",
            "full_name": "CC bot",
            "role": "career_centre",
            "institution_id": institution["id"],
        },
    )
    created = await create(
        client,
        "/api-tokens",
        {"name": "cc", "user_id": staff["id"], "scopes": ["read", "monitoring"]},
    )
    me = await anonymous.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {created['token']}"}
    )
    assert me.json()["scopes"] == ["read"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "career_centre"}, "body.institution_id"),
        ({"role": "student"}, "body.student_id"),
        ({"role": "admin", "institution_id": 1}, "body.institution_id"),
    ],
)
async def test_user_role_bindings(client: httpx.AsyncClient, body: dict, field: str) -> None:
    response = await client.post(
        "/api/v1/users", json={"username": "someone", "full_name": "Some One", **body}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
