"""Institutions and employers: BIN rules, region references, filters and keyset pages."""

import base64
import itertools
from typing import Any

import httpx
import pytest

from service.reference.identifiers import check_digit
from tests.factories import create, employer_body, institution_body, patch_json

_tag = itertools.count(1)

ORGANISATIONS = {"institutions": institution_body, "employers": employer_body}


def unique_name(prefix: str) -> str:
    """A name no other row has, so name filters select exactly this test's rows."""
    return f"{prefix} Qx{next(_tag):05d}q"


def wrong_check_digit(bin_: str) -> str:
    return bin_[:11] + str((int(bin_[11]) + 1) % 10)


async def all_rows(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1{path}", params={"limit": 1000, **params})
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def cursor_of(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# --- create / get / patch ----------------------------------------------------------------------


async def test_create_get_patch_institution(client: httpx.AsyncClient) -> None:
    body = institution_body(name=unique_name("Kozybayev University"))
    created = await create(client, "/institutions", body)
    assert {k: created[k] for k in body} == body
    assert isinstance(created["id"], int)

    fetched = await client.get(f"/api/v1/institutions/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created

    patched = await patch_json(
        client,
        f"/api/v1/institutions/{created['id']}",
        {"city": "Kokshetau", "region_code": "KZ-11"},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["city"] == "Kokshetau"
    assert patched.json()["region_code"] == "KZ-11"
    assert patched.json()["bin"] == body["bin"]
    assert patched.json()["name"] == body["name"]

    again = await client.get(f"/api/v1/institutions/{created['id']}")
    assert again.json()["city"] == "Kokshetau"


async def test_create_get_patch_employer(client: httpx.AsyncClient) -> None:
    body = employer_body(name=unique_name("School"))
    created = await create(client, "/employers", body)
    assert {k: created[k] for k in body} == body

    fetched = await client.get(f"/api/v1/employers/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created

    patched = await patch_json(
        client,
        f"/api/v1/employers/{created['id']}",
        {"settlement": "Petropavl", "settlement_kind": "urban"},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["settlement"] == "Petropavl"
    assert patched.json()["settlement_kind"] == "urban"
    assert patched.json()["bin"] == body["bin"]

    again = await client.get(f"/api/v1/employers/{created['id']}")
    assert again.json()["settlement_kind"] == "urban"


async def test_names_are_stripped(client: httpx.AsyncClient) -> None:
    created = await create(client, "/employers", employer_body(name="  Gymnasium 3  "))
    assert created["name"] == "Gymnasium 3"


@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_missing_organisation_is_404(client: httpx.AsyncClient, path: str) -> None:
    for method in ("GET", "PATCH"):
        response = await client.request(method, f"/api/v1/{path}/999999", json={})
        assert response.status_code == 404
        assert response.json()["type"].endswith("/not-found")


# --- BIN -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_wrong_bin_check_digit_is_refused_and_nothing_stored(
    client: httpx.AsyncClient, path: str
) -> None:
    name = unique_name("Wrong BIN")
    body = ORGANISATIONS[path](name=name)
    response = await client.post(
        f"/api/v1/{path}", json={**body, "bin": wrong_check_digit(body["bin"])}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("body.bin", "bin_check_digit")]
    assert await all_rows(client, f"/{path}", name=name) == []


def with_check_digit(prefix: str) -> str:
    """Six leading digits plus a serial and the right check digit: only the structure is bad."""
    for serial in range(100_000):
        body = f"{prefix}{serial:05d}"
        digit = check_digit(body)
        if digit is not None:
            return body + str(digit)
    raise AssertionError("no serial gives a check digit")


@pytest.mark.parametrize(
    ("bin_", "code"),
    [
        ("12345", "bin_format"),
        ("12345678901a", "bin_format"),
        (" " * 12, "bin_format"),
        (with_check_digit("051340"), "bin_month"),
        (with_check_digit("050070"), "bin_month"),
        (with_check_digit("050370"), "bin_entity_type"),
        (with_check_digit("050349"), "bin_unit_type"),
    ],
)
@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_malformed_bin_is_refused(
    client: httpx.AsyncClient, path: str, bin_: str, code: str
) -> None:
    response = await client.post(f"/api/v1/{path}", json=ORGANISATIONS[path](bin=bin_))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("body.bin", code)]


@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_duplicate_bin_is_a_conflict(client: httpx.AsyncClient, path: str) -> None:
    first = await create(client, f"/{path}", ORGANISATIONS[path]())
    name = unique_name("Duplicate")
    response = await client.post(
        f"/api/v1/{path}", json=ORGANISATIONS[path](bin=first["bin"], name=name)
    )
    assert response.status_code == 409
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("body.bin", "duplicate")]
    assert await all_rows(client, f"/{path}", name=name) == []


@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_patch_to_a_taken_bin_is_a_conflict(client: httpx.AsyncClient, path: str) -> None:
    first = await create(client, f"/{path}", ORGANISATIONS[path]())
    second = await create(client, f"/{path}", ORGANISATIONS[path]())
    response = await patch_json(client, f"/api/v1/{path}/{second['id']}", {"bin": first["bin"]})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "body.bin"
    unchanged = await client.get(f"/api/v1/{path}/{second['id']}")
    assert unchanged.json()["bin"] == second["bin"]


@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_patch_keeping_own_bin_is_fine(client: httpx.AsyncClient, path: str) -> None:
    row = await create(client, f"/{path}", ORGANISATIONS[path]())
    response = await patch_json(client, f"/api/v1/{path}/{row['id']}", {"bin": row["bin"]})
    assert response.status_code == 200
    assert response.json()["bin"] == row["bin"]


@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_patch_with_wrong_check_digit_leaves_row_unchanged(
    client: httpx.AsyncClient, path: str
) -> None:
    row = await create(client, f"/{path}", ORGANISATIONS[path]())
    response = await patch_json(
        client, f"/api/v1/{path}/{row['id']}", {"bin": wrong_check_digit(row["bin"])}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "bin_check_digit"
    unchanged = await client.get(f"/api/v1/{path}/{row['id']}")
    assert unchanged.json() == row


# --- regions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_unknown_region_is_refused(client: httpx.AsyncClient, path: str) -> None:
    name = unique_name("Nowhere")
    response = await client.post(
        f"/api/v1/{path}", json=ORGANISATIONS[path](region_code="KZ-99", name=name)
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("body.region_code", "unknown_reference")]
    assert await all_rows(client, f"/{path}", name=name) == []


@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_patch_to_unknown_region_is_refused(client: httpx.AsyncClient, path: str) -> None:
    row = await create(client, f"/{path}", ORGANISATIONS[path]())
    response = await patch_json(client, f"/api/v1/{path}/{row['id']}", {"region_code": "KZ-98"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.region_code"
    unchanged = await client.get(f"/api/v1/{path}/{row['id']}")
    assert unchanged.json()["region_code"] == row["region_code"]


# --- list filters ----------------------------------------------------------------------------


async def test_institution_list_filters(client: httpx.AsyncClient) -> None:
    tag = unique_name("Filter")
    uni_north = await create(client, "/institutions", institution_body(name=f"{tag} University"))
    college_north = await create(
        client, "/institutions", institution_body(name=f"{tag} College", kind="college")
    )
    uni_east = await create(
        client,
        "/institutions",
        institution_body(name=f"{tag} East University", region_code="KZ-63", city="Oskemen"),
    )
    other = await create(client, "/institutions", institution_body(name=unique_name("Other")))

    def ids(rows: list[dict[str, Any]]) -> list[int]:
        return [r["id"] for r in rows]

    assert ids(await all_rows(client, "/institutions", name=tag)) == [
        uni_north["id"],
        college_north["id"],
        uni_east["id"],
    ]
    assert ids(await all_rows(client, "/institutions", name=tag.upper())) == ids(
        await all_rows(client, "/institutions", name=tag)
    )
    assert ids(await all_rows(client, "/institutions", name=tag, kind="college")) == [
        college_north["id"]
    ]
    assert ids(await all_rows(client, "/institutions", name=tag, region_code="KZ-63")) == [
        uni_east["id"]
    ]
    assert ids(
        await all_rows(client, "/institutions", name=tag, region_code="KZ-59", kind="university")
    ) == [uni_north["id"]]
    by_region = await all_rows(client, "/institutions", region_code="KZ-59")
    assert other["id"] in ids(by_region)
    assert {r["region_code"] for r in by_region} == {"KZ-59"}
    by_kind = await all_rows(client, "/institutions", kind="college")
    assert college_north["id"] in ids(by_kind)
    assert {r["kind"] for r in by_kind} == {"college"}


async def test_employer_list_filters(client: httpx.AsyncClient) -> None:
    tag = unique_name("Farm")
    rural = await create(client, "/employers", employer_body(name=f"{tag} Rural"))
    urban = await create(
        client,
        "/employers",
        employer_body(name=f"{tag} Urban", settlement="Petropavl", settlement_kind="urban"),
    )
    east = await create(
        client,
        "/employers",
        employer_body(name=f"{tag} East", region_code="KZ-63", settlement="Glubokoe"),
    )

    def ids(rows: list[dict[str, Any]]) -> list[int]:
        return [r["id"] for r in rows]

    assert ids(await all_rows(client, "/employers", name=tag)) == [
        rural["id"],
        urban["id"],
        east["id"],
    ]
    assert ids(await all_rows(client, "/employers", name=tag, settlement_kind="urban")) == [
        urban["id"]
    ]
    assert ids(await all_rows(client, "/employers", name=tag, region_code="KZ-63")) == [east["id"]]
    assert ids(await all_rows(client, "/employers", bin=rural["bin"])) == [rural["id"]]
    assert ids(await all_rows(client, "/employers", name=tag.lower())) == ids(
        await all_rows(client, "/employers", name=tag)
    )


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("institutions", {"kind": "school"}),
        ("employers", {"settlement_kind": "suburban"}),
        ("institutions", {"region_code": "KZ-123456"}),
    ],
)
async def test_bad_filter_value_is_422(
    client: httpx.AsyncClient, path: str, params: dict[str, str]
) -> None:
    response = await client.get(f"/api/v1/{path}", params=params)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [f"query.{next(iter(params))}"]


@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
@pytest.mark.parametrize("wildcard", ["%", "_"])
async def test_name_filter_treats_wildcards_literally(
    client: httpx.AsyncClient, path: str, wildcard: str
) -> None:
    await create(client, f"/{path}", ORGANISATIONS[path](name=unique_name("Plain")))
    rows = await all_rows(client, f"/{path}", name=wildcard)
    assert all(wildcard in r["name"] for r in rows)


# --- keyset pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_keyset_paging_visits_every_row_once(client: httpx.AsyncClient, path: str) -> None:
    tag = unique_name("Paged")
    created = [
        (await create(client, f"/{path}", ORGANISATIONS[path](name=f"{tag} {i}")))["id"]
        for i in range(5)
    ]
    seen: list[int] = []
    sizes: list[int] = []
    cursor: str | None = None
    for _ in range(10):
        params: dict[str, Any] = {"limit": 2, "name": tag}
        if cursor is not None:
            params["cursor"] = cursor
        response = await client.get(f"/api/v1/{path}", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        sizes.append(len(page["items"]))
        seen.extend(r["id"] for r in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sizes == [2, 2, 1]
    assert seen == created
    assert len(set(seen)) == len(seen)


@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_exact_multiple_of_limit_ends_with_null_cursor(
    client: httpx.AsyncClient, path: str
) -> None:
    tag = unique_name("Even")
    for i in range(4):
        await create(client, f"/{path}", ORGANISATIONS[path](name=f"{tag} {i}"))
    first = await client.get(f"/api/v1/{path}", params={"limit": 2, "name": tag})
    assert first.json()["next_cursor"] is not None
    second = await client.get(
        f"/api/v1/{path}",
        params={"limit": 2, "name": tag, "cursor": first.json()["next_cursor"]},
    )
    assert len(second.json()["items"]) == 2
    assert second.json()["next_cursor"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!not-a-cursor!!!",
        "a",
        cursor_of(b'{"id": 3}'),
        cursor_of(b"[1, 2]"),
        cursor_of(b"[]"),
        cursor_of(b"\xff\xfe\xfd"),
        cursor_of(b"not json"),
    ],
)
@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_garbage_cursor_is_422(client: httpx.AsyncClient, path: str, cursor: str) -> None:
    response = await client.get(f"/api/v1/{path}", params={"cursor": cursor})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("query.cursor", "cursor_invalid")]


@pytest.mark.parametrize(
    "payload",
    [b'["x"]', b"[true]", b"[null]", b'[{"d": "2020-01-01"}]', b"[[1]]", b'[{"a": 1}]', b"[1.5]"],
)
@pytest.mark.parametrize("path", sorted(ORGANISATIONS))
async def test_cursor_with_a_key_of_the_wrong_type_is_422(
    client: httpx.AsyncClient, path: str, payload: bytes
) -> None:
    """A well-formed cursor whose key is not an id must not reach the database."""
    response = await client.get(f"/api/v1/{path}", params={"cursor": cursor_of(payload)})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("query.cursor", "cursor_invalid")]


async def test_overlong_cursor_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/employers", params={"cursor": "A" * 513})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.cursor"
