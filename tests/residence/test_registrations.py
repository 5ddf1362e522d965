"""Residence registrations: temporary terms, one permanent registration at a time."""

from typing import Any

import httpx
import pytest

from tests.factories import (
    patch_json,
    registration_body,
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
    ("start", "end"),
    [
        ("2024-03-15", "2025-03-15"),
        ("2024-02-29", "2025-02-28"),
        ("2024-01-31", "2025-01-31"),
        ("2024-09-01", "2024-10-01"),
    ],
)
async def test_temporary_registration_up_to_12_months_is_accepted(
    client: httpx.AsyncClient, start: str, end: str
) -> None:
    owner = await make_owner(client)
    created = await add(
        client,
        owner,
        "registrations",
        registration_body(kind="temporary", start_date=start, end_date=end),
    )
    assert (created["start_date"], created["end_date"]) == (start, end)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-03-15", "2025-03-16"),
        ("2024-02-29", "2025-03-01"),
        ("2024-01-01", "2026-01-01"),
    ],
)
async def test_temporary_registration_over_12_months_is_refused(
    client: httpx.AsyncClient, start: str, end: str
) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "registrations"),
        json=registration_body(kind="temporary", start_date=start, end_date=end),
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.end_date", "temporary_too_long")
    assert await listed(client, owner, "registrations") == []


async def test_temporary_registration_with_null_end_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "registrations"), json=registration_body(kind="temporary", end_date=None)
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.end_date", "temporary_end_required")
    assert await listed(client, owner, "registrations") == []


async def test_temporary_registration_without_end_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    body = registration_body(kind="temporary")
    assert "end_date" not in body
    response = await client.post(url(owner, "registrations"), json=body)
    assert response.status_code == 422
    assert only_error(response) == ("body.end_date", "temporary_end_required")
    assert await listed(client, owner, "registrations") == []


async def test_temporary_registration_under_a_month_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "registrations"),
        json=registration_body(kind="temporary", start_date="2024-09-01", end_date="2024-09-14"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.end_date"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"end_date": None}, "temporary_end_required"),
        ({"end_date": "2025-09-02"}, "temporary_too_long"),
        ({"start_date": "2023-06-01"}, "temporary_too_long"),
    ],
)
async def test_patch_cannot_break_the_temporary_rules(
    client: httpx.AsyncClient, changes: dict[str, Any], code: str
) -> None:
    owner = await make_owner(client)
    created = await add(
        client,
        owner,
        "registrations",
        registration_body(kind="temporary", start_date="2024-09-01", end_date="2025-06-30"),
    )
    response = await patch_json(client, url(owner, "registrations", created["id"]), changes)
    assert response.status_code == 422
    assert only_error(response) == ("body.end_date", code)
    assert await read(client, owner, "registrations", created["id"]) == created


async def test_patch_permanent_to_temporary_needs_an_end(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "registrations", registration_body())
    response = await patch_json(
        client, url(owner, "registrations", created["id"]), {"kind": "temporary"}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.end_date", "temporary_end_required")
    assert await read(client, owner, "registrations", created["id"]) == created


async def test_temporary_beside_permanent_is_fine(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    permanent = await add(client, owner, "registrations", registration_body())
    temporary = await add(
        client,
        owner,
        "registrations",
        registration_body(
            kind="temporary",
            address="Dormitory 2, room 14",
            start_date="2024-09-01",
            end_date="2025-06-30",
        ),
    )
    assert await listed(client, owner, "registrations", active_on="2024-10-01") == [
        permanent["id"],
        temporary["id"],
    ]


async def test_permanent_registrations_of_other_students_do_not_clash(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    other = await make_owner(client)
    await add(client, owner, "registrations", registration_body())
    created = await add(client, other, "registrations", registration_body())
    assert created["student_id"] == other.id


async def test_patch_own_open_permanent_registration(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "registrations", registration_body())
    response = await patch_json(
        client, url(owner, "registrations", created["id"]), {"start_date": "2024-08-01"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["start_date"] == "2024-08-01"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"region_code": "KZ-99"}, "body.region_code"),
        ({"address": "ab"}, "body.address"),
        ({"kind": "seasonal"}, "body.kind"),
    ],
)
async def test_invalid_registration_is_refused(
    client: httpx.AsyncClient, overrides: dict[str, Any], field: str
) -> None:
    owner = await make_owner(client)
    response = await client.post(url(owner, "registrations"), json=registration_body(**overrides))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert await listed(client, owner, "registrations") == []
