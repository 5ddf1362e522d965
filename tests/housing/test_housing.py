"""Housing arrangements: one at a time, 'no housing' has no place."""

import httpx

from tests.factories import (
    housing_body,
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


async def test_housing_none_fills_the_gap(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    dormitory = await add(
        client,
        owner,
        "housing",
        housing_body(kind="dormitory", start_date="2020-09-01", end_date="2024-06-30"),
    )
    gap = await add(
        client,
        owner,
        "housing",
        {"kind": "none", "start_date": "2024-07-01", "end_date": "2024-08-19"},
    )
    assert gap["region_code"] is None
    assert gap["address"] is None
    rented = await add(client, owner, "housing", housing_body())
    assert await listed(client, owner, "housing") == [dormitory["id"], gap["id"], rented["id"]]
    assert await listed(client, owner, "housing", kind="none") == [gap["id"]]
    assert await listed(client, owner, "housing", active_on="2024-07-15") == [gap["id"]]


async def test_housing_none_with_a_region_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "housing"),
        json={"kind": "none", "region_code": "KZ-59", "start_date": "2024-07-01"},
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.region_code", "place_unexpected")
    assert await listed(client, owner, "housing") == []


async def test_real_housing_with_null_region_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(url(owner, "housing"), json=housing_body(region_code=None))
    assert response.status_code == 422
    assert only_error(response) == ("body.region_code", "region_required")
    assert await listed(client, owner, "housing") == []


async def test_real_housing_without_region_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    body = housing_body()
    del body["region_code"]
    response = await client.post(url(owner, "housing"), json=body)
    assert response.status_code == 422
    assert only_error(response) == ("body.region_code", "region_required")
    assert await listed(client, owner, "housing") == []


async def test_patch_housing_to_none_keeping_the_region_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "housing", housing_body())
    response = await patch_json(client, url(owner, "housing", created["id"]), {"kind": "none"})
    assert response.status_code == 422
    assert only_error(response) == ("body.region_code", "place_unexpected")
    assert await read(client, owner, "housing", created["id"]) == created
