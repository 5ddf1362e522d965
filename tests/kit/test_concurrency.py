"""Optimistic concurrency: ETags, If-Match, and no lost update under simultaneous writers."""

import asyncio

import httpx

from tests.factories import create, patch, student_body
from tests.support import WRITERS


async def test_get_returns_etag_and_patch_needs_it(client: httpx.AsyncClient) -> None:
    student = await create(client, "/students", student_body())
    url = f"/api/v1/students/{student['id']}"
    read = await client.get(url)
    assert read.headers["ETag"] == '"1"'

    missing = await client.patch(url, json={"first_name": "Dana"})
    assert missing.status_code == 428
    stale = await client.patch(url, json={"first_name": "Dana"}, headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    garbage = await client.patch(url, json={"first_name": "Dana"}, headers={"If-Match": "*"})
    assert garbage.status_code == 400  # malformed, not "the record changed"

    ok = await client.patch(url, json={"first_name": "Dana"}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200
    assert ok.headers["ETag"] == '"2"'
    assert ok.json()["version"] == 2
    reused = await client.patch(url, json={"first_name": "Zhanna"}, headers={"If-Match": '"1"'})
    assert reused.status_code == 412
    assert (await client.get(url)).json()["first_name"] == "Dana"


async def test_refused_update_does_not_bump_the_version(client: httpx.AsyncClient) -> None:
    student = await create(client, "/students", student_body())
    url = f"/students/{student['id']}"
    refused = await patch(client, url, {"birth_date": "1990-01-01"})
    assert refused.status_code == 422
    assert (await client.get(f"/api/v1{url}")).headers["ETag"] == '"1"'


async def test_simultaneous_updates_with_one_etag_give_one_success(
    committing_client: httpx.AsyncClient,
) -> None:
    client = committing_client
    student = await create(client, "/students", student_body())
    url = f"/api/v1/students/{student['id']}"
    etag = (await client.get(url)).headers["ETag"]

    async def write(n: int) -> httpx.Response:
        return await client.patch(
            url, json={"first_name": f"Writer{n}"}, headers={"If-Match": etag}
        )

    responses = await asyncio.gather(*(write(n) for n in range(WRITERS)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * (WRITERS - 1)
    winner = next(r for r in responses if r.status_code == 200).json()["first_name"]

    final = await client.get(url)
    assert final.json()["first_name"] == winner
    assert final.json()["version"] == 2
    history = (await client.get(f"{url}/history")).json()["items"]
    updates = [e for e in history if e["entity"] == "student" and e["action"] == "update"]
    assert len(updates) == 1
    assert updates[0]["changed"] == ["first_name"]
    assert updates[0]["after"]["first_name"] == winner
