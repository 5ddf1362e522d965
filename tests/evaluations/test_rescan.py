"""The rescan over everyone: batches, id ranges in several processes, as of any date."""

import asyncio
from datetime import date

import httpx
import pytest

from service.evaluations import rescan
from tests.factories import create, employer_body, student_with_enrolment


async def test_rescan_in_slices_evaluates_everyone_once(
    committing_client: httpx.AsyncClient, scratch_database_url: str, backend: str
) -> None:
    for _ in range(9):
        await student_with_enrolment(
            committing_client, status="graduated", graduation_date="2024-06-28"
        )
    students, flags = await asyncio.to_thread(
        rescan.run, scratch_database_url, date(2025, 3, 1), 2, 3
    )
    assert students == 9
    stored = (await committing_client.get("/api/v1/risks/summary")).json()
    assert stored["as_of"] == "2025-03-01"
    assert stored["flags"] == flags
    # Nobody works: every graduate is late for work, and counted once.
    late = (
        await committing_client.get("/api/v1/risks", params={"code": "work_not_started"})
    ).json()
    assert len({f["student_id"] for f in late["items"]}) == len(late["items"]) == 9


@pytest.mark.parametrize("workers", [1, 2])
async def test_rescan_replays_a_past_date(
    committing_client: httpx.AsyncClient, scratch_database_url: str, workers: int
) -> None:
    student, _ = await student_with_enrolment(
        committing_client, status="graduated", graduation_date="2024-06-28"
    )
    employer = await create(committing_client, "/employers", employer_body())
    await create(
        committing_client,
        f"/students/{student['id']}/employments",
        {"employer_id": employer["id"], "start_date": "2024-09-01", "evidence_kind": "contract"},
    )
    await asyncio.to_thread(rescan.run, scratch_database_url, date(2024, 8, 15), 100, workers)
    listed = await committing_client.get("/api/v1/risks", params={"reminders": "true"})
    codes = {f["code"] for f in listed.json()["items"]}
    assert "start_deadline_near" in codes  # as of mid-August 2024 the job had not begun
