"""Release decisions of the assignment commission."""

from typing import Any

import httpx
import pytest

from tests.factories import (
    patch_json,
    release_decision_body,
)
from tests.records import (
    add,
    listed,
    make_owner,
    read,
    url,
)
from tests.support import only_error


async def test_release_for_another_students_enrolment_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    other = await make_owner(client)
    response = await client.post(
        url(owner, "release-decisions"), json=release_decision_body(other.first["id"])
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.enrolment_id", "unknown_reference")
    assert await listed(client, owner, "release-decisions") == []
    assert await listed(client, other, "release-decisions") == []


async def test_release_for_a_missing_enrolment_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "release-decisions"), json=release_decision_body(999_999)
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.enrolment_id", "unknown_reference")


async def test_second_release_for_the_same_enrolment_is_a_conflict(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, "release-decisions", release_decision_body(owner.first["id"]))
    response = await client.post(
        url(owner, "release-decisions"),
        json=release_decision_body(
            owner.first["id"], ground="pregnancy", decision_number="AC-2024/200"
        ),
    )
    assert response.status_code == 409
    assert only_error(response) == ("body.enrolment_id", "duplicate")
    assert await listed(client, owner, "release-decisions") == [first["id"]]


async def test_patch_release_onto_a_released_enrolment_is_a_conflict(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    await add(client, owner, "release-decisions", release_decision_body(owner.first["id"]))
    second = await add(
        client,
        owner,
        "release-decisions",
        release_decision_body(owner.second["id"], decided_on="2026-01-10"),
    )
    response = await patch_json(
        client, url(owner, "release-decisions", second["id"]), {"enrolment_id": owner.first["id"]}
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "body.enrolment_id"
    assert await read(client, owner, "release-decisions", second["id"]) == second


async def test_patch_release_onto_another_students_enrolment_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    other = await make_owner(client)
    created = await add(
        client, owner, "release-decisions", release_decision_body(owner.first["id"])
    )
    response = await patch_json(
        client, url(owner, "release-decisions", created["id"]), {"enrolment_id": other.first["id"]}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.enrolment_id", "unknown_reference")
    assert await read(client, owner, "release-decisions", created["id"]) == created


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ground": "moved_abroad"}, "body.ground"),
        ({"decision_number": ""}, "body.decision_number"),
        ({"enrolment_id": 0}, "body.enrolment_id"),
    ],
)
async def test_invalid_release_is_refused(
    client: httpx.AsyncClient, overrides: dict[str, Any], field: str
) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "release-decisions"),
        json=release_decision_body(owner.first["id"], **overrides),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert await listed(client, owner, "release-decisions") == []


async def test_release_after_the_graduation_year_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "release-decisions"),
        json=release_decision_body(owner.first["id"], decided_on="2026-03-01"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.decided_on"
    assert await listed(client, owner, "release-decisions") == []
