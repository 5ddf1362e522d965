"""What every kind of a student's records does alike: create, read, correct, list,
page and filter, scoped to the student."""

import httpx
import pytest

from service.enums import UserRole
from tests.factories import (
    create,
    patch_json,
    registration_body,
    student_body,
)
from tests.records import (
    KINDS,
    PERIOD_KINDS,
    Kind,
    add,
    body_for,
    by_path,
    listed,
    make_owner,
    read,
    url,
)
from tests.support import MakeUser, only_error

API = "/api/v1"


@by_path(KINDS)
async def test_create_get_patch_list(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    body = body_for(kind, owner)
    created = await add(client, owner, kind.path, body)
    assert created["student_id"] == owner.id
    for key, value in body.items():
        assert created[key] == value, key

    assert await read(client, owner, kind.path, created["id"]) == created
    assert await listed(client, owner, kind.path) == [created["id"]]

    response = await patch_json(client, url(owner, kind.path, created["id"]), kind.harmless_patch)
    assert response.status_code == 200, response.text
    patched = response.json()
    for key, value in kind.harmless_patch.items():
        assert patched[key] == value, key
    for key in set(body) - set(kind.harmless_patch):
        assert patched[key] == created[key], key
    assert await read(client, owner, kind.path, created["id"]) == patched


@by_path(KINDS)
async def test_records_page_by_cursor(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    ids = [(await add(client, owner, kind.path, body_for(kind, owner, i)))["id"] for i in range(2)]
    first = await client.get(url(owner, kind.path), params={"limit": 1})
    assert [r["id"] for r in first.json()["items"]] == ids[:1]
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    second = await client.get(url(owner, kind.path), params={"limit": 1, "cursor": cursor})
    assert [r["id"] for r in second.json()["items"]] == ids[1:]
    assert second.json()["next_cursor"] is None


@by_path(KINDS)
async def test_kind_filter(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, kind.path, body_for(kind, owner, 0))
    second = await add(client, owner, kind.path, body_for(kind, owner, 1))
    assert await listed(client, owner, kind.path) == [first["id"], second["id"]]
    assert await listed(client, owner, kind.path, **{kind.kind_field: kind.kinds[0]}) == [
        first["id"]
    ]
    assert await listed(client, owner, kind.path, **{kind.kind_field: kind.kinds[1]}) == [
        second["id"]
    ]


@by_path(KINDS)
async def test_unknown_kind_in_filter_is_422(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    response = await client.get(url(owner, kind.path), params={kind.kind_field: "no_such_kind"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [f"query.{kind.kind_field}"]


@by_path(PERIOD_KINDS)
@pytest.mark.parametrize(
    ("active_on", "expected"),
    [
        ("2019-12-31", []),
        ("2020-01-01", [0]),
        ("2020-06-15", [0]),
        ("2020-12-31", [0]),
        ("2021-01-01", [1]),
        ("2030-01-01", [1]),
        (None, [0, 1]),
    ],
)
async def test_active_on_filter(
    client: httpx.AsyncClient, kind: Kind, active_on: str | None, expected: list[int]
) -> None:
    owner = await make_owner(client)
    periods = [("2020-01-01", "2020-12-31"), ("2021-01-01", None)]
    ids = [
        (
            await add(
                client,
                owner,
                kind.path,
                body_for(kind, owner, 0, start_date=start, end_date=end),
            )
        )["id"]
        for start, end in periods
    ]
    params = {} if active_on is None else {"active_on": active_on}
    assert await listed(client, owner, kind.path, **params) == [ids[i] for i in expected]


@by_path([k for k in KINDS if not k.has_period])
async def test_active_on_is_ignored_without_a_period(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, kind.path, body_for(kind, owner))
    assert await listed(client, owner, kind.path, active_on="1990-01-01") == [created["id"]]


@by_path(KINDS)
async def test_invalid_patch_is_refused_and_record_unchanged(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, kind.path, body_for(kind, owner))
    response = await patch_json(client, url(owner, kind.path, created["id"]), kind.invalid_patch)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert only_error(response) == kind.invalid_error
    assert await read(client, owner, kind.path, created["id"]) == created


@by_path(PERIOD_KINDS)
@pytest.mark.parametrize("field", ["start_date", "end_date"])
async def test_patch_start_after_end_is_refused(
    client: httpx.AsyncClient, kind: Kind, field: str
) -> None:
    owner = await make_owner(client)
    created = await add(
        client, owner, kind.path, body_for(kind, owner, start_date="2024-09-01", end_date=None)
    )
    if field == "end_date":
        changes = {"end_date": "2024-08-01"}
    else:
        first = await patch_json(
            client, url(owner, kind.path, created["id"]), {"end_date": "2024-12-31"}
        )
        assert first.status_code == 200, first.text
        created = first.json()
        changes = {"start_date": "2025-01-01"}
    response = await patch_json(client, url(owner, kind.path, created["id"]), changes)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.end_date"]
    assert response.json()["errors"][0]["code"] == "date_order"
    assert await read(client, owner, kind.path, created["id"]) == created


@by_path(KINDS)
async def test_patch_a_required_field_to_null_is_422(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, kind.path, body_for(kind, owner))
    response = await patch_json(
        client, url(owner, kind.path, created["id"]), {kind.kind_field: None}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [f"body.{kind.kind_field}"]
    assert await read(client, owner, kind.path, created["id"]) == created


@by_path(KINDS)
async def test_record_of_another_student_is_404(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    other = await make_owner(client)
    created = await add(client, owner, kind.path, body_for(kind, owner))
    wrong = url(other, kind.path, created["id"])
    responses = [
        await client.get(wrong),
        # The owner's ETag: only the wrong student in the path may cause the 404.
        await patch_json(
            client, wrong, kind.harmless_patch, etag_from=url(owner, kind.path, created["id"])
        ),
    ]
    for response in responses:
        assert response.status_code == 404
        assert response.json()["type"].endswith("/not-found")
    assert await listed(client, other, kind.path) == []
    assert await read(client, owner, kind.path, created["id"]) == created


@by_path(KINDS)
async def test_records_of_an_unknown_student_are_404(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    ghost = {"id": 999_999}
    for response in [
        await client.get(url(ghost, kind.path)),
        await client.post(url(ghost, kind.path), json=body_for(kind, owner)),
        await client.get(url(ghost, kind.path, 1)),
    ]:
        assert response.status_code == 404


@by_path(KINDS)
async def test_missing_record_is_404(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    response = await client.get(url(owner, kind.path, 999_999))
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")


async def test_an_edit_undoes_verification(client: httpx.AsyncClient, make_user: MakeUser) -> None:
    student = await create(client, "/students", student_body())
    me = await make_user(UserRole.student, student_id=student["id"])
    fc = await make_user(UserRole.financial_center)
    url = f"{API}/students/{student['id']}/registrations"
    reg = (await client.post(url, json=registration_body(), headers=me)).json()
    etag = (await client.get(f"{url}/{reg['id']}", headers=fc)).headers["ETag"]
    verified = await client.post(
        f"{url}/{reg['id']}/verification", json={"verified": True}, headers=fc | {"If-Match": etag}
    )
    assert verified.json()["verified"] is True
    same = await client.patch(
        f"{url}/{reg['id']}",
        json={"address": reg["address"]},
        headers=me | {"If-Match": verified.headers["ETag"]},
    )
    assert same.json()["verified"] is True  # nothing changed, nothing to check again
    moved = await client.patch(
        f"{url}/{reg['id']}",
        json={"region_code": "KZ-75", "settlement": "Almaty", "address": "Elsewhere 1"},
        headers=me | {"If-Match": same.headers["ETag"]},
    )
    assert moved.status_code == 200
    assert moved.json()["verified"] is False
