"""The audit trail: every write leaves who, when, what before and after; nothing erases it."""

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import UserRole
from service.models.audit import AuditEvent
from tests.factories import create, patch, student_with_enrolment
from tests.support import MakeUser

API = "/api/v1"


async def test_history_records_every_change_with_its_author(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, enrolment = await student_with_enrolment(client)
    sid = student["id"]
    updated = await patch(
        client, f"/students/{sid}", {"phone": "+77011234567"}, headers={"X-Request-ID": "req-1234"}
    )
    assert updated.status_code == 200
    reporter = await make_user(UserRole.student, student_id=sid)
    await client.post(
        f"/api/v1/students/{sid}/housing",
        headers=reporter,
        json={"kind": "relatives", "region_code": "KZ-59", "start_date": "2024-07-01"},
    )

    events = (await client.get(f"/api/v1/students/{sid}/history")).json()["items"]
    # The student's sign-in account is in the trail, not in the history staff read.
    assert [e["entity"] for e in events].count("app_user") == 0
    kinds = [(e["entity"], e["action"]) for e in events]
    assert kinds == [
        ("student", "create"),
        ("enrolment", "create"),
        ("enrolment_status_change", "create"),
        ("student", "update"),
        ("housing_arrangement", "create"),
    ]
    update = events[3]
    assert update["changed"] == ["phone"]
    assert update["before"]["phone"] is None
    assert update["after"]["phone"] == "+77011234567"
    assert update["actor_role"] == "admin"
    assert update["request_id"] == "req-1234"
    housing = events[4]
    assert housing["actor_role"] == "student"
    assert housing["after"]["self_reported"] is True
    assert events[1]["entity_id"] == str(enrolment["id"])


async def test_refused_write_leaves_no_event(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(client)
    before = (await client.get(f"/api/v1/students/{student['id']}/history")).json()["items"]
    refused = await patch(client, f"/students/{student['id']}", {"birth_date": "1980-01-01"})
    assert refused.status_code == 422
    after = (await client.get(f"/api/v1/students/{student['id']}/history")).json()["items"]
    assert after == before


async def test_secrets_never_reach_the_log(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create(
        client,
        "/users",
        {
            "username": "zhanar",
            "full_name": "Zhanar",
            "role": "admin",
            "password": "a long enough secret",
        },
    )
    event = (
        await session.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "app_user", AuditEvent.entity_id == str(user["id"])
            )
        )
    ).one()
    assert event.after is not None
    assert "password_hash" not in event.after
    assert "a long enough secret" not in str(event.after)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET actor_role = 'nobody'",
        "DELETE FROM audit_event",
    ],
)
async def test_the_log_is_append_only(
    client: httpx.AsyncClient, session: AsyncSession, statement: str
) -> None:
    await student_with_enrolment(client)
    with pytest.raises(DBAPIError, match="append-only"):
        async with session.begin_nested():
            await session.exec(sa.text(statement))  # type: ignore[call-overload]


async def test_history_hides_accounts(client: httpx.AsyncClient, make_user: MakeUser) -> None:
    student, enrolment = await student_with_enrolment(client)
    await create(
        client,
        "/users",
        {
            "username": "stud-acc",
            "full_name": "S",
            "role": "student",
            "student_id": student["id"],
            "password": "a-long-password-123",
        },
    )
    staff = await make_user(UserRole.career_centre, institution_id=enrolment["institution_id"])
    history = (await client.get(f"{API}/students/{student['id']}/history", headers=staff)).json()[
        "items"
    ]
    assert history
    assert [e for e in history if e["entity"] in ("app_user", "api_token")] == []
