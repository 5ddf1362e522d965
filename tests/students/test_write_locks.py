"""Writers under one student are serialised by the student's row lock, taken before they
write anything: on PostgreSQL two of them at once never deadlock (a child row's insert takes
a weaker lock on the student first; asking for the row lock only at commit deadlocked)."""

import asyncio

import httpx
import pytest

from tests.factories import create, employer_body, employment_body, student_with_enrolment

TRIALS = 50


async def test_two_writers_on_one_student_never_deadlock(
    committing_client: httpx.AsyncClient,
) -> None:
    client = committing_client
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-25"
    )
    employer = await create(client, "/employers", employer_body())
    base = f"/api/v1/students/{student['id']}"

    async def job(trial: int) -> httpx.Response:
        start = f"{2024 + trial // 12:04d}-{trial % 12 + 1:02d}-01"
        return await client.post(
            f"{base}/employments", json=employment_body(employer["id"], start_date=start)
        )

    async def registration(trial: int) -> httpx.Response:
        return await client.post(
            f"{base}/registrations",
            json={
                "kind": "temporary",
                "address": f"Abay St {trial + 1}",
                "settlement": "Petropavl",
                "region_code": "KZ-59",
                "start_date": "2024-09-01",
                "end_date": "2025-06-30",
            },
        )

    for trial in range(TRIALS):
        both = await asyncio.gather(job(trial), registration(trial))
        assert [r.status_code for r in both] == [201, 201], [r.text for r in both]
    jobs = await client.get(f"{base}/employments", params={"limit": 500})
    registrations = await client.get(f"{base}/registrations", params={"limit": 500})
    assert len(jobs.json()["items"]) == TRIALS
    assert len(registrations.json()["items"]) == TRIALS
    # Every write re-evaluated the graduate: the stored obligation counts every job.
    obligation = await client.get(f"{base}/obligation")
    assert obligation.status_code == 200


@pytest.mark.parametrize("writers", [2, 10, 20])
async def test_many_writers_on_one_student_all_land(
    committing_client: httpx.AsyncClient, writers: int
) -> None:
    """Career centre, student and imports saving at once: every write succeeds (or would be
    told to retry), and none is lost."""
    client = committing_client
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-25"
    )
    employer = await create(client, "/employers", employer_body())
    base = f"/api/v1/students/{student['id']}"
    responses = await asyncio.gather(
        *(
            client.post(
                f"{base}/employments",
                json=employment_body(employer["id"], start_date=f"2024-01-{n + 1:02d}"),
            )
            for n in range(writers)
        )
    )
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 503}, statuses
    assert all(r.headers.get("Retry-After") for r in responses if r.status_code == 503)
    stored = await client.get(f"{base}/employments", params={"limit": 500})
    assert len(stored.json()["items"]) == statuses.count(201)
    assert statuses.count(201) == writers  # with the row lock taken first, all of them land
