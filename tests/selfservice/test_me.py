"""A signed-in graduate reads their own record, obligation, months and risks at /me."""

import httpx

from service.enums import UserRole
from tests.factories import student_with_enrolment
from tests.support import MakeUser


async def test_me_without_knowing_my_id(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    me = await make_user(UserRole.student, student_id=student["id"])
    response = await anonymous.get("/api/v1/me", params={"as_of": "2025-01-15"}, headers=me)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["student"]["id"] == student["id"]
    assert body["obligation"]["status"] == "pending_start"
    assert [m["month"] for m in body["ledger"]["months"]][:2] == ["2024-06", "2024-07"]
    assert "work_not_started" in {f["code"] for f in body["risks"]}
    # The same figures as the staff's endpoints.
    staff = await client.get(
        f"/api/v1/students/{student['id']}/obligation", params={"as_of": "2025-01-15"}
    )
    assert staff.json()["credited_months"] == body["obligation"]["credited_months"]


async def test_me_before_graduation_has_no_obligation(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, _ = await student_with_enrolment(client)
    me = await make_user(UserRole.student, student_id=student["id"])
    body = (await anonymous.get("/api/v1/me", headers=me)).json()
    assert (body["obligation"], body["ledger"]) == (None, None)


async def test_me_is_for_graduates(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/me")).status_code == 403
