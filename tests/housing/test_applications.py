"""Housing-support applications: decisions and their dates."""

import httpx
import pytest

from tests.factories import (
    housing_application_body,
    patch_json,
)
from tests.records import (
    add,
    listed,
    make_owner,
    read,
    url,
)
from tests.support import only_error


@pytest.mark.parametrize(
    ("status", "decided_on", "error"),
    [
        ("approved", None, ("body.decided_on", "decided_on_required")),
        ("rejected", None, ("body.decided_on", "decided_on_required")),
        ("withdrawn", None, ("body.decided_on", "decided_on_required")),
        ("submitted", "2024-10-01", ("body.decided_on", "decided_on_unexpected")),
        ("under_review", "2024-10-01", ("body.decided_on", "decided_on_unexpected")),
        ("approved", "2024-09-09", ("body.decided_on", "date_order")),
    ],
)
async def test_application_decision_date_rules(
    client: httpx.AsyncClient, status: str, decided_on: str | None, error: tuple[str, str]
) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "housing-applications"),
        json=housing_application_body(status=status, decided_on=decided_on),
    )
    assert response.status_code == 422
    assert only_error(response) == error
    assert await listed(client, owner, "housing-applications") == []


@pytest.mark.parametrize(
    ("status", "decided_on"),
    [
        ("submitted", None),
        ("under_review", None),
        ("approved", "2024-09-10"),
        ("rejected", "2024-11-01"),
    ],
)
async def test_application_with_consistent_decision_is_accepted(
    client: httpx.AsyncClient, status: str, decided_on: str | None
) -> None:
    owner = await make_owner(client)
    created = await add(
        client,
        owner,
        "housing-applications",
        housing_application_body(status=status, decided_on=decided_on),
    )
    assert (created["status"], created["decided_on"]) == (status, decided_on)


async def test_application_defaults_to_submitted(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "housing-applications", housing_application_body())
    assert created["status"] == "submitted"
    assert created["decided_on"] is None


@pytest.mark.parametrize("status", ["approved", "rejected", "withdrawn"])
async def test_decided_application_without_decided_on_is_refused(
    client: httpx.AsyncClient, status: str
) -> None:
    owner = await make_owner(client)
    body = housing_application_body(status=status)
    assert "decided_on" not in body
    response = await client.post(url(owner, "housing-applications"), json=body)
    assert response.status_code == 422
    assert only_error(response) == ("body.decided_on", "decided_on_required")
    assert await listed(client, owner, "housing-applications") == []


async def test_patch_application_to_approved_needs_decided_on(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "housing-applications", housing_application_body())
    response = await patch_json(
        client, url(owner, "housing-applications", created["id"]), {"status": "approved"}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.decided_on", "decided_on_required")
    assert await read(client, owner, "housing-applications", created["id"]) == created

    response = await patch_json(
        client,
        url(owner, "housing-applications", created["id"]),
        {"status": "approved", "decided_on": "2024-10-15"},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["decided_on"]) == (
        "approved",
        "2024-10-15",
    )


async def test_application_in_unknown_region_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "housing-applications"), json=housing_application_body(region_code="KZ-99")
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.region_code", "unknown_reference")
