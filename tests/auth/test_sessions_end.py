"""An access token ends with the account's password, its activity and its role: a change of
any of them stops every token issued before, at once."""

from typing import Any

import httpx
import pytest

from tests.factories import create, institution_body

PASSWORD = "correct horse battery"


async def signed_in(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, **account: Any
) -> tuple[dict[str, Any], dict[str, str]]:
    user = await create(
        client,
        "/users",
        {"full_name": "Dana", "role": "financial_center", "password": PASSWORD, **account},
    )
    token = await anonymous.post(
        "/api/v1/auth/token", data={"username": user["username"], "password": PASSWORD}
    )
    assert token.status_code == 200, token.text
    return user, {"Authorization": f"Bearer {token.json()['access_token']}"}


async def change(client: httpx.AsyncClient, user: dict[str, Any], body: dict[str, Any]) -> None:
    url = f"/api/v1/users/{user['id']}"
    etag = (await client.get(url)).headers["ETag"]
    response = await client.patch(url, json=body, headers={"If-Match": etag})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "body",
    [
        {"password": "a brand new passphrase"},
        {"is_active": False},
        {"role": "admin"},
    ],
    ids=["password", "deactivation", "role"],
)
async def test_a_change_ends_earlier_tokens(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    user, token = await signed_in(client, anonymous, username=f"dana-{next(iter(body))}")
    assert (await anonymous.get("/api/v1/auth/me", headers=token)).status_code == 200
    await change(client, user, body)
    after = await anonymous.get("/api/v1/auth/me", headers=token)
    assert after.status_code == 401


async def test_a_new_name_keeps_the_session(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    user, token = await signed_in(client, anonymous, username="dana-name")
    await change(client, user, {"full_name": "Dana Sadykova"})
    assert (await anonymous.get("/api/v1/auth/me", headers=token)).status_code == 200


async def test_a_new_institution_for_a_career_centre_ends_its_tokens(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    first = await create(client, "/institutions", institution_body())
    second = await create(client, "/institutions", institution_body(name="Pavlodar University"))
    user, token = await signed_in(
        client,
        anonymous,
        username="cc-moving",
        role="career_centre",
        institution_id=first["id"],
    )
    await change(client, user, {"institution_id": second["id"]})
    assert (await anonymous.get("/api/v1/auth/me", headers=token)).status_code == 401
    fresh = await anonymous.post(
        "/api/v1/auth/token", data={"username": "cc-moving", "password": PASSWORD}
    )
    me = await anonymous.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {fresh.json()['access_token']}"}
    )
    assert me.json()["user"]["institution_id"] == second["id"]


async def test_a_role_change_keeps_its_binding_rules(client: httpx.AsyncClient) -> None:
    user = await create(
        client,
        "/users",
        {"username": "fc-to-cc", "full_name": "Aigul", "role": "financial_center"},
    )
    url = f"/api/v1/users/{user['id']}"
    etag = (await client.get(url)).headers["ETag"]
    refused = await client.patch(url, json={"role": "career_centre"}, headers={"If-Match": etag})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "role_binding"
