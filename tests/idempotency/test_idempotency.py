"""Idempotency-Key: a retried POST returns the first response and creates nothing twice."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import UserRole
from service.idempotency.service import purge_expired
from service.kit.config import get_settings
from service.models.idempotency import IdempotencyRecord
from tests.factories import student_body
from tests.support import MakeUser


async def _count(client: httpx.AsyncClient, iin: str) -> int:
    return len((await client.get("/api/v1/students", params={"iin": iin})).json()["items"])


async def test_retry_with_same_key_and_body_replays_the_first_response(
    client: httpx.AsyncClient,
) -> None:
    body = student_body()
    headers = {"Idempotency-Key": "enrol-2024-0001"}
    first = await client.post("/api/v1/students", json=body, headers=headers)
    assert first.status_code == 201
    retry = await client.post("/api/v1/students", json=body, headers=headers)
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await _count(client, body["iin"]) == 1


async def test_same_key_with_another_body_is_refused(client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "k-1"}
    assert (await client.post("/api/v1/students", json=student_body(), headers=headers)).is_success
    other = student_body()
    response = await client.post("/api/v1/students", json=other, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert await _count(client, other["iin"]) == 0


async def test_failed_request_is_not_remembered(client: httpx.AsyncClient) -> None:
    body = student_body(origin_region_code="KZ-00")
    headers = {"Idempotency-Key": "k-2"}
    assert (await client.post("/api/v1/students", json=body, headers=headers)).status_code == 422
    # Nothing was kept: the same request under the same key runs again (and fails again)...
    assert (await client.post("/api/v1/students", json=body, headers=headers)).status_code == 422
    # ...and the key is free for the corrected request.
    fixed = {**body, "origin_region_code": "KZ-61"}
    again = await client.post("/api/v1/students", json=fixed, headers=headers)
    assert again.status_code == 201


async def test_keys_are_per_caller(client: httpx.AsyncClient, make_user: MakeUser) -> None:
    headers = {"Idempotency-Key": "shared-key"}
    first = student_body()
    assert (await client.post("/api/v1/students", json=first, headers=headers)).status_code == 201
    other_admin = await make_user(UserRole.admin)
    second = student_body()
    response = await client.post(
        "/api/v1/students", json=second, headers={**headers, **other_admin}
    )
    assert response.status_code == 201
    assert response.json()["iin"] == second["iin"]


async def test_without_key_each_post_is_new(client: httpx.AsyncClient) -> None:
    body = student_body()
    assert (await client.post("/api/v1/students", json=body)).status_code == 201
    assert (await client.post("/api/v1/students", json=body)).status_code == 409


async def test_a_stored_response_expires(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = student_body()
    headers = {"Idempotency-Key": "expiring-key"}
    first = await client.post("/api/v1/students", json=body, headers=headers)
    assert first.status_code == 201
    record = (
        await session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "expiring-key"))
    ).one()
    assert record.status_code == 201
    # Past the retention the stored response (personal data) is gone and the key is free.
    monkeypatch.setattr(get_settings(), "idempotency_retention_hours", 1)
    record.created_at = datetime.now(UTC) - timedelta(hours=2)
    session.add(record)
    await session.flush()
    again = await client.post("/api/v1/students", json=body, headers=headers)
    assert again.status_code == 409  # handled afresh: the IIN is taken, nothing replayed
    assert "Idempotent-Replayed" not in again.headers


async def test_a_key_left_running_is_released(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    principal = "user:1"
    session.add(
        IdempotencyRecord(
            principal=principal,
            key="abandoned",
            method="POST",
            path="/api/v1/students",
            request_hash="0" * 64,
            created_at=datetime.now(UTC) - timedelta(hours=1),
        )
    )
    await session.flush()
    purged = await purge_expired(session, datetime.now(UTC))
    assert purged >= 1
    left = await session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "abandoned"))
    assert left.first() is None


async def test_the_key_and_the_response_commit_with_the_change(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    response = await client.post(
        "/api/v1/students", json=student_body(), headers={"Idempotency-Key": "together"}
    )
    assert response.status_code == 201
    record = (
        await session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "together"))
    ).one()
    # Never a committed key "in progress": it is stored with its response or not at all.
    assert record.status_code == 201
    assert record.response_body == response.text
