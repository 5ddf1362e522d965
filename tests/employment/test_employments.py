"""Employments: the place from the employer, overlapping jobs, bad input."""

from typing import Any

import httpx
import pytest

from tests.factories import (
    employment_body,
)
from tests.records import (
    add,
    listed,
    make_owner,
    read,
    url,
)
from tests.support import only_error


async def test_employment_place_defaults_from_the_employer(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "employments", employment_body(owner.employer["id"]))
    assert created["region_code"] == owner.employer["region_code"]
    assert created["settlement"] == owner.employer["settlement"]
    assert created["settlement_kind"] == owner.employer["settlement_kind"]
    assert created["full_time"] is True
    stored = await read(client, owner, "employments", created["id"])
    assert (stored["region_code"], stored["settlement"], stored["settlement_kind"]) == (
        "KZ-59",
        "Bulaevo",
        "rural",
    )


async def test_employment_place_given_overrides_the_employer(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(
        client,
        owner,
        "employments",
        employment_body(
            owner.employer["id"],
            region_code="KZ-11",
            settlement="Kokshetau",
            settlement_kind="urban",
        ),
    )
    assert (created["region_code"], created["settlement"], created["settlement_kind"]) == (
        "KZ-11",
        "Kokshetau",
        "urban",
    )


async def test_overlapping_employments_are_allowed(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, "employments", employment_body(owner.employer["id"]))
    second = await add(
        client,
        owner,
        "employments",
        employment_body(owner.employer["id"], full_time=False, start_date="2024-10-01"),
    )
    assert await listed(client, owner, "employments", active_on="2024-11-01") == [
        first["id"],
        second["id"],
    ]


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"employer_id": 999_999}, ("body.employer_id", "unknown_reference")),
        ({"region_code": "KZ-99"}, ("body.region_code", "unknown_reference")),
        ({"start_date": "2001-05-16"}, ("body.start_date", "date_order")),
        ({"end_date": "2024-08-31"}, ("body.end_date", "date_order")),
    ],
)
async def test_invalid_employment_is_refused(
    client: httpx.AsyncClient, overrides: dict[str, Any], error: tuple[str, str]
) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "employments"), json=employment_body(owner.employer["id"], **overrides)
    )
    assert response.status_code == 422
    assert only_error(response) == error
    assert await listed(client, owner, "employments") == []
