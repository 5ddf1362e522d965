"""Crafted requests meet a clear 4xx before any work, on both databases: bodies are held to
the limit of who sends them before a byte is parsed, JSON nests only so deep, every cursor
is checked, and a time without a zone is refused."""

import base64
import json
from datetime import date
from typing import Any

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import UserRole
from service.kit.config import get_settings
from service.kit.errors import InvalidInput
from service.kit.input_guard import MAX_JSON_DEPTH
from service.kit.pagination import decode_cursor, encode_cursor
from service.models.auth import ApiToken
from service.models.risks import RiskFlag
from tests.factories import institution_body, student_with_enrolment
from tests.live import ROOT
from tests.support import MakeUser, only_error

MIB = 1024 * 1024
FLAG: Any = RiskFlag.__table__  # type: ignore[attr-defined]
LISTS = (
    "/users",
    "/api-tokens",
    "/institutions",
    "/employers",
    "/students",
    "/caseload?institution_id={institution_id}",
    "/students/{student_id}/enrolments",
    "/students/{student_id}/employments",
    "/students/{student_id}/registrations",
    "/students/{student_id}/housing",
    "/students/{student_id}/housing-applications",
    "/students/{student_id}/suspensions",
    "/students/{student_id}/release-decisions",
    "/students/{student_id}/history",
    "/students/{student_id}/disputes",
    "/risks",
)
# Past every id column's range, or of another type (2**31 is past the range of most lists'
# ids, and refused by PostgreSQL; see the test of ``decode_cursor`` below).
FORGED = ([2**63], [-(2**63) - 1], [2**70], ["7"], [1.5], [True], [None], [[1]], {"d": 1})


def cursor_of(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_every_list_with_a_cursor_is_in_the_forged_cursor_test() -> None:
    """A list added later is tested too: the contract's lists are the ones named above."""
    document = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    paged = {
        path.removeprefix("/api/v1")
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if any(p["name"] == "cursor" for p in operation.get("parameters", []))
    }
    assert paged == {path.split("?")[0] for path in LISTS}


async def test_a_forged_cursor_is_a_field_error_on_every_list(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client)
    ids = {"student_id": student["id"], "institution_id": enrolment["institution_id"]}
    for path in LISTS:
        url = "/api/v1" + path.format(**ids)
        for value in FORGED:
            joiner = "&" if "?" in url else "?"
            response = await client.get(f"{url}{joiner}cursor={cursor_of(value)}")
            assert response.status_code == 422, (path, value, response.text)
            assert only_error(response) == ("query.cursor", "cursor_invalid"), (path, value)
        # Past an INTEGER id, yet within a BIGINT one: refused, or a page, never a 500.
        response = await client.get(f"{url}{joiner}cursor={cursor_of([2**31])}")
        assert response.status_code in (200, 422), (path, response.text)


@pytest.mark.parametrize(
    "keys",
    [
        [2**31, date(2025, 1, 1), 1],
        [1, date(2025, 1, 1), 2**31],
        [1, date(2025, 1, 1), -(2**31) - 1],
        [1.0, date(2025, 1, 1), 1],
        [1, "2025-01-01", 1],
        [1, date(2025, 1, 1)],
    ],
)
def test_a_cursor_key_past_its_column_s_range_or_type_is_refused(keys: list[Any]) -> None:
    order = [FLAG.c.priority, FLAG.c.due_key, FLAG.c.id]
    with pytest.raises(InvalidInput):
        decode_cursor(encode_cursor(keys), order)
    good = [2**31 - 1, date(2025, 1, 1), -(2**31)]
    assert decode_cursor(encode_cursor(good), order) == good


@pytest.mark.parametrize("value", [[2**63, 1], [1, 2**63], [1, -(2**63) - 1], [1, "2"]])
async def test_a_forged_change_feed_cursor_is_a_field_error(
    client: httpx.AsyncClient, value: list[Any]
) -> None:
    response = await client.get(f"/api/v1/monitoring/changes?after={cursor_of(value)}")
    assert response.status_code == 422
    assert only_error(response) == ("query.after", "cursor_invalid")


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v1/students", "/app/login"])
async def test_deep_json_is_refused_before_it_reaches_a_parser(
    anonymous: httpx.AsyncClient, path: str
) -> None:
    for depth in (MAX_JSON_DEPTH + 1, 1000, 20_000):
        response = await anonymous.post(
            path, content=nested(depth), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, (depth, response.text)
        assert response.json()["type"].endswith("/json-too-deep")


async def test_json_within_the_depth_bound_goes_on_to_the_application(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/api/v1/students",
        content=nested(MAX_JSON_DEPTH),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422  # the schema's refusal: not a list of lists
    assert not response.json()["type"].endswith("/json-too-deep")


async def test_an_anonymous_bomb_is_refused_on_its_announced_size(
    anonymous: httpx.AsyncClient,
) -> None:
    """A form of a million empty fields to the import page, a JSON array of a million
    objects to the batch import: each refused before it is read, whoever it claims to be."""
    form = b"a=&" * (8 * MIB // 3)
    batch = b"[" + b"{}," * (8 * MIB // 3) + b"{}]"
    for path, body, kind, headers in (
        ("/app/imports", form, "application/x-www-form-urlencoded", {}),
        ("/api/v1/monitoring/contributions", batch, "application/json", {}),
        ("/api/v1/imports", batch, "application/json", {"Authorization": "Bearer forged"}),
        ("/app/imports", form, "multipart/form-data; boundary=x", {"Cookie": "serpin_session=x"}),
    ):
        response = await anonymous.post(
            path, content=body, headers={"Content-Type": kind, **headers}
        )
        assert response.status_code == 413, (path, response.text)
        assert str(get_settings().max_anonymous_body_bytes) in response.json()["detail"]


async def test_the_upload_limit_is_for_the_roles_and_files_of_an_upload_route(
    anonymous: httpx.AsyncClient, make_user: MakeUser
) -> None:
    """Signed in, a JSON document or form may hold 1 MiB; only a file sent to an import
    route by a role that may import there may be larger."""
    settings = get_settings()
    big = b"x" * (settings.max_body_bytes + 1)
    admin = await make_user(UserRole.admin)
    institution = (
        await anonymous.post("/api/v1/institutions", json=institution_body(), headers=admin)
    ).json()
    monitor = await make_user(UserRole.financial_center)
    centre = await make_user(UserRole.career_centre, institution_id=institution["id"])
    multipart = "multipart/form-data; boundary=x"
    for headers, path, kind in (
        (monitor, "/api/v1/imports", multipart),
        (centre, "/api/v1/imports", "application/json"),
        (centre, "/app/imports", "application/x-www-form-urlencoded"),
        (centre, "/api/v1/monitoring/contributions", "application/json"),
        (centre, "/api/v1/students", "application/json"),
    ):
        response = await anonymous.post(
            path, content=big, headers={**headers, "Content-Type": kind}
        )
        assert response.status_code == 413, (path, kind)
        assert str(settings.max_body_bytes) in response.json()["detail"]
    # The career centre's file is read (and refused as the malformed form it is, not for size).
    response = await anonymous.post(
        "/api/v1/imports", content=big, headers={**centre, "Content-Type": multipart}
    )
    assert response.status_code not in (413, 500)


async def test_a_time_without_a_zone_is_a_field_error(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    before = (await session.exec(select(func.count()).select_from(ApiToken))).one()
    me = (await client.get("/api/v1/users?limit=1")).json()["items"][0]
    for expires_at, code in (
        ("2030-01-01T00:00:00", "timezone_aware"),
        ("9999-12-31T23:59:59-12:00", "less_than"),
    ):
        response = await client.post(
            "/api/v1/api-tokens",
            json={"name": "n", "user_id": me["id"], "scopes": ["read"], "expires_at": expires_at},
        )
        assert response.status_code == 422, response.text
        assert only_error(response) == ("body.expires_at", code)
    after = (await session.exec(select(func.count()).select_from(ApiToken))).one()
    assert after == before


async def test_a_cookie_that_decodes_to_control_characters_is_no_session(
    anonymous: httpx.AsyncClient,
) -> None:
    """A quoted cookie's octal escapes decode to NUL: no token, never a query (PostgreSQL
    would refuse it with a 500)."""
    forged = 'serpin_session="srp_' + "\\000" * 12 + '_x"'
    token = await anonymous.post(
        "/api/v1/auth/token",
        data={"username": "a", "password": "b"},
        headers={"Cookie": forged},
    )
    assert token.status_code == 401
    for path in ("/app", "/app/caseload"):
        page = await anonymous.get(path, headers={"Cookie": forged})
        assert page.status_code == 303, (path, page.text)
    for authorization in (b"Bearer srp_" + b"\xe9" * 12 + b"_x", b"Bearer " + b"x" * 5000):
        refused = await anonymous.get("/api/v1/students", headers={"Authorization": authorization})
        assert refused.status_code == 401


async def test_only_the_upload_route_itself_has_the_upload_limit(
    anonymous: httpx.AsyncClient, make_user: MakeUser
) -> None:
    admin = await make_user(UserRole.admin)
    big = b"x" * (get_settings().max_body_bytes + 1)
    kind = {"Content-Type": "multipart/form-data; boundary=x"}
    for path in ("/api/v1/imports/../students", "/api/v1/imports/x", "/app/imports/1/commit"):
        response = await anonymous.post(path, content=big, headers={**admin, **kind})
        assert response.status_code == 413, path


async def test_a_batch_of_contributions_has_a_limit_of_its_own(client: httpx.AsyncClient) -> None:
    big = b'{"rows": [' + b"0," * (4 * MIB) + b"0]}"
    response = await client.post(
        "/api/v1/monitoring/contributions",
        content=big,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert str(8 * MIB) in response.json()["detail"]
