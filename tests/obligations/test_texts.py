"""Texts agree with the record: every sentence is chosen from the facts that decide the
figures, and written for its reader (a graduate cannot record a job; a career centre does)."""

from datetime import date

import httpx

from service.enums import UserRole
from tests.factories import create, employer_body, registration_body, student_with_enrolment
from tests.support import MakeUser

API = "/api/v1"


async def graduate(client: httpx.AsyncClient, **student: object) -> dict:
    body: dict[str, object] = {"status": "graduated", "graduation_date": "2024-06-28"}
    created, _ = await student_with_enrolment(client, **body)
    if student:
        url = f"{API}/students/{created['id']}"
        etag = (await client.get(url)).headers["ETag"]
        response = await client.patch(url, json=student, headers={"If-Match": etag})
        assert response.status_code == 200, response.text
    return created


async def job(client: httpx.AsyncClient, sid: int, start: str, end: str | None = None) -> dict:
    employer = await create(client, "/employers", employer_body())
    return await create(
        client,
        f"/students/{sid}/employments",
        {
            "employer_id": employer["id"],
            "start_date": start,
            "end_date": end,
            "evidence_kind": "contract",
        },
    )


async def risks(client: httpx.AsyncClient, sid: int, as_of: str, **kw: object) -> list[dict]:
    response = await client.get(f"{API}/students/{sid}/risks", params={"as_of": as_of}, **kw)
    assert response.status_code == 200, response.text
    result: list[dict] = response.json()
    return result


async def test_a_job_just_recorded_ends_the_gap_and_its_text(client: httpx.AsyncClient) -> None:
    student = await graduate(client)
    await job(client, student["id"], "2024-09-01", "2025-01-31")
    before = await risks(client, student["id"], "2025-06-15")
    assert "credited_gap" in {f["code"] for f in before}
    await job(client, student["id"], "2025-06-01")
    after = await risks(client, student["id"], "2025-06-15")
    assert "credited_gap" not in {f["code"] for f in after}
    assert not any("no employment recorded" in f["explanation"] for f in after)


async def test_a_childhood_registration_is_told_from_graduation(client: httpx.AsyncClient) -> None:
    student = await graduate(client)
    await create(
        client,
        f"/students/{student['id']}/registrations",
        registration_body(region_code="KZ-61", settlement="Turkistan", start_date="2002-05-01"),
    )
    flag = next(
        f
        for f in await risks(client, student["id"], "2024-11-20")
        if f["code"] == "registration_outside_allowed_regions"
    )
    assert flag["since"] == "2024-06-28"
    assert "since 28 June 2024" in flag["explanation"]
    assert "2002" not in flag["explanation"]
    assert "Turkestan Region" in flag["explanation"]


async def test_what_if_texts_fit_their_scenario(client: httpx.AsyncClient) -> None:
    student = await graduate(client)
    await job(client, student["id"], "2024-09-01")
    url = f"{API}/students/{student['id']}/obligation/what-if"
    leave = (await client.get(url, params={"leave_on": "2025-03-10"})).json()
    scenario = leave["obligation"]
    assert scenario["as_of"] == "2025-03-10"
    assert scenario["projected_completion"] is None
    assert not any("current work goes on" in s for s in scenario["explanation"])
    assert any("A breach on 10 March 2025 would cost" in s for s in scenario["explanation"])
    # Today's obligation beside it, as of today, where the work does go on.
    assert leave["current"]["as_of"] == date.today().isoformat()
    assert any("current work goes on" in s for s in leave["current"]["explanation"])
    start = (
        await client.get(url, params={"start_on": "2025-05-01", "region_code": "KZ-59"})
    ).json()
    assert start["obligation"]["as_of"] == "2025-05-01"


async def test_a_month_without_work_is_not_verified(client: httpx.AsyncClient) -> None:
    student = await graduate(client)
    ledger = (
        await client.get(
            f"{API}/students/{student['id']}/obligation/ledger", params={"as_of": "2024-12-31"}
        )
    ).json()
    assert {m["outcome"] for m in ledger["months"]} == {"not_credited"}
    assert all(m["verified"] is False for m in ledger["months"])


async def test_steps_are_written_for_the_reader(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student = await graduate(client)
    me = await make_user(UserRole.student, student_id=student["id"])
    url = f"{API}/students/{student['id']}/obligation"
    staff = (await client.get(url, params={"as_of": "2024-12-31"})).json()["next_steps"]
    own = (await anonymous.get(url, params={"as_of": "2024-12-31"}, headers=me)).json()
    assert any("Record the graduate's job" in s for s in staff)
    assert not any("Record" in s or "report the job" in s for s in own["next_steps"])
    assert any("tell your career centre" in s for s in own["next_steps"])
    # Allowed regions by name, wherever a person reads them.
    assert "North Kazakhstan Region" in own["allowed_region_names"]
    assert any("North Kazakhstan Region" in s for s in own["explanation"])
    flags = await risks(anonymous, student["id"], "2024-12-31", headers=me)
    staff_flags = await risks(client, student["id"], "2024-12-31")
    late = next(f for f in flags if f["code"] == "work_not_started")
    staff_late = next(f for f in staff_flags if f["code"] == "work_not_started")
    assert "Tell your career centre" in late["action"]
    assert late["action"] != staff_late["action"]


async def test_consent_given_is_not_asked_for_again(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, make_user: MakeUser
) -> None:
    asked = await graduate(client)
    given = await graduate(client, data_sharing_consent="granted", consent_date="2024-07-01")
    for student in (asked, given):
        await job(client, student["id"], "2024-09-01")
    steps = {}
    for student in (asked, given):
        me = await make_user(UserRole.student, student_id=student["id"])
        ob = await anonymous.get(
            f"{API}/students/{student['id']}/obligation",
            params={"as_of": "2025-03-31"},
            headers=me,
        )
        steps[student["id"]] = " ".join(ob.json()["next_steps"])
    assert "511" in steps[asked["id"]]
    assert "511" not in steps[given["id"]]
    assert "contract" in steps[given["id"]]
