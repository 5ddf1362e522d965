"""Oversized bodies and unstorable characters are refused before any work, on both
databases: a clear 413 or 422, never a 500, and nothing written."""

import json

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.config import get_settings
from service.models.students import Student
from tests.factories import student_body


async def students(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(Student))).one()


async def test_an_oversized_body_is_refused_before_sign_in(anonymous: httpx.AsyncClient) -> None:
    limit = get_settings().max_anonymous_body_bytes
    response = await anonymous.post(
        "/api/v1/students",
        content=b"[" + b"1," * (limit // 2) + b"1]",
        headers={"Content-Type": "application/json"},
    )
    # 413, not 401: the body is refused before authentication ever runs.
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert str(limit) in response.json()["detail"]


async def test_a_streamed_body_is_cut_off_at_the_limit(anonymous: httpx.AsyncClient) -> None:
    limit = get_settings().max_anonymous_body_bytes
    sent = 0

    async def chunks():  # type: ignore[no-untyped-def]
        nonlocal sent
        for _ in range(100):  # 6.4 MB offered, in 64 KiB pieces, with no Content-Length
            sent += 1
            yield b" " * 65536

    response = await anonymous.post(
        "/api/v1/students", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert sent * 65536 <= limit + 2 * 65536  # it stopped reading at the limit


async def test_imports_have_their_own_larger_limit(client: httpx.AsyncClient) -> None:
    rows = [{"iin": "x", "employer_bin": "y", "month": "2024-01"}] * 20_000
    response = await client.post("/api/v1/monitoring/contributions", json={"rows": rows})
    # Over 1 MiB, yet read: refused by the batch's own rule, not by the body limit.
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.rows"


@pytest.mark.parametrize(
    "character",
    ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\u202e", "\u2067", "\ud800"],
    ids=repr,
)
async def test_control_characters_in_a_body_are_a_field_error(
    client: httpx.AsyncClient, session: AsyncSession, character: str
) -> None:
    before = await students(session)
    body = student_body(last_name=f"Akh{character}metova")
    # JSON escapes every one of them (\u0000, \ud800): the guard sees the decoded text.
    response = await client.post(
        "/api/v1/students",
        content=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("body.last_name", "control_character")]
    assert await students(session) == before


async def test_newlines_and_tabs_stay_allowed_in_text(client: httpx.AsyncClient) -> None:
    body = student_body(patronymic="Serikovna")
    created = await client.post("/api/v1/students", json=body)
    assert created.status_code == 201, created.text
    student = created.json()
    reason = "First line.\nSecond line,\tindented."
    response = await client.post(
        f"/api/v1/students/{student['id']}/suspensions",
        json={"reason": "illness", "start_date": "2025-01-10", "evidence": reason},
    )
    assert response.status_code == 201, response.text
    assert response.json()["evidence"] == reason


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/students?last_name=A%00b", "query.last_name"),
        ("/api/v1/students?iin=%01", "query.iin"),
        ("/api/v1/regions/KZ%0059", "path"),
        ("/api/v1/employers?name=%1b%5b31m", "query.name"),
    ],
)
async def test_control_characters_in_a_path_or_query_are_422(
    client: httpx.AsyncClient, url: str, field: str
) -> None:
    response = await client.get(url)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_a_form_body_is_guarded_too(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.post(
        "/api/v1/auth/token", data={"username": "ad\x00min", "password": "whatever-it-is"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.username"


async def test_malformed_json_is_still_the_applications_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/students", content=b'{"iin": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
