"""The corrected rules, stored and read back through the API on each database: one flag per
problem, and the resettlement window only for the programmes that have one."""

import httpx
import pytest

from tests.factories import create, employer_body, housing_body, student_with_enrolment


async def graduate_of(client: httpx.AsyncClient, programme_id: int) -> dict:
    student, _ = await student_with_enrolment(
        client, programme_id=programme_id, status="graduated", graduation_date="2024-06-28"
    )
    employer = await create(client, "/employers", employer_body())
    await create(
        client,
        f"/students/{student['id']}/employments",
        {"employer_id": employer["id"], "start_date": "2024-08-20", "evidence_kind": "contract"},
    )
    return student


async def codes(client: httpx.AsyncClient, student: dict, as_of: str) -> set[str]:
    response = await client.get(f"/api/v1/students/{student['id']}/risks", params={"as_of": as_of})
    assert response.status_code == 200, response.text
    return {f["code"] for f in response.json()}


async def test_no_registration_hides_the_weaker_registration_flag(
    client: httpx.AsyncClient,
) -> None:
    student = await graduate_of(client, programme_id=1)
    await create(
        client, f"/students/{student['id']}/housing", housing_body(start_date="2024-08-20")
    )
    raised = await codes(client, student, "2024-11-20")
    assert "no_registration" in raised
    assert "permanent_registration_too_short" not in raised


@pytest.mark.parametrize(
    ("programme_id", "window"), [(1, True), (2, False)], ids=["serpin", "state"]
)
async def test_the_resettlement_window_is_the_programmes(
    client: httpx.AsyncClient, programme_id: int, window: bool
) -> None:
    student = await graduate_of(client, programme_id=programme_id)
    # Graduated 28 June 2024: a six-month window would close on 28 December 2024.
    assert ("resettlement_window_closing" in await codes(client, student, "2024-11-20")) is window
    rules = (await client.get(f"/api/v1/programmes/{programme_id}")).json()["rules"]
    assert {r["resettlement_window_months"] for r in rules} == ({6} if window else {None})
