"""Mistakes can be undone: a record entered by mistake is voided (kept, with who and why),
the ledger and the flags forget it, the change feed shows it gone, the audit trail keeps it."""

import httpx
import pytest

from service.enums import UserRole
from tests.factories import (
    create,
    employer_body,
    employment_body,
    housing_application_body,
    housing_body,
    if_match,
    registration_body,
    student_with_enrolment,
    suspension_body,
)
from tests.support import MakeUser, feed_changes

API = "/api/v1"


async def graduate_with_job(client: httpx.AsyncClient) -> tuple[dict, dict, dict]:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    employer = await create(client, "/employers", employer_body())
    job = await create(
        client, f"/students/{student['id']}/employments", employment_body(employer["id"])
    )
    return student, employer, job


async def void(
    client: httpx.AsyncClient, url: str, reason: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    etag = (await client.get(url, headers=headers)).headers.get("ETag", "")
    return await client.post(
        f"{url}/void", json={"reason": reason}, headers={**(headers or {}), "If-Match": etag}
    )


async def test_a_voided_job_counts_for_nothing_and_leaves_a_trace(
    client: httpx.AsyncClient,
) -> None:
    student, _, job = await graduate_with_job(client)
    base = f"{API}/students/{student['id']}"
    url = f"{base}/employments/{job['id']}"
    before = (await client.get(f"{base}/obligation", params={"as_of": "2025-03-31"})).json()
    assert before["credited_months"] == 7

    response = await void(client, url, "Entered for the wrong graduate")
    assert response.status_code == 200, response.text
    voided = response.json()
    assert voided["void_reason"] == "Entered for the wrong graduate"
    assert voided["voided_at"] is not None
    assert voided["voided_by_user_id"] is not None

    after = (await client.get(f"{base}/obligation", params={"as_of": "2025-03-31"})).json()
    assert after["credited_months"] == 0
    risks = {f["code"] for f in (await client.get(f"{base}/risks")).json()}
    assert "work_not_started" in risks
    listed = (await client.get(f"{base}/employments")).json()["items"]
    assert listed == []
    with_voided = (await client.get(f"{base}/employments", params={"voided": "true"})).json()
    assert [r["id"] for r in with_voided["items"]] == [job["id"]]
    # The trail keeps the reason.
    history = (await client.get(f"{base}/history")).json()["items"]
    last = [e for e in history if e["entity"] == "employment"][-1]
    assert last["after"]["void_reason"] == "Entered for the wrong graduate"
    assert "voided_at" in last["changed"]


async def test_a_voided_record_is_not_changed_again(client: httpx.AsyncClient) -> None:
    student, _, job = await graduate_with_job(client)
    url = f"{API}/students/{student['id']}/employments/{job['id']}"
    assert (await void(client, url, "duplicate entry")).status_code == 200
    again = await void(client, url, "duplicate entry")
    assert again.status_code == 409
    patched = await client.patch(
        url, json={"full_time": False}, headers=await if_match(client, url)
    )
    assert patched.status_code == 409
    stale = await client.post(
        f"{url}/void", json={"reason": "stale version"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code in (409, 412)


async def test_voiding_needs_a_reason_and_the_version(client: httpx.AsyncClient) -> None:
    student, _, job = await graduate_with_job(client)
    url = f"{API}/students/{student['id']}/employments/{job['id']}"
    assert (await client.post(f"{url}/void", json={"reason": "x"})).status_code == 422
    assert (await client.post(f"{url}/void", json={"reason": "no version"})).status_code == 428


async def test_a_student_voids_only_what_they_reported(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, _, _ = await graduate_with_job(client)
    base = f"{API}/students/{student['id']}/housing"
    by_staff = await create(
        client, f"/students/{student['id']}/housing", housing_body(end_date="2024-12-31")
    )
    me = await make_user(UserRole.student, student_id=student["id"])
    reported = await anonymous.post(
        base, json=housing_body(start_date="2025-01-01", address="Lenin St 5"), headers=me
    )
    assert reported.status_code == 201, reported.text
    own = f"{base}/{reported.json()['id']}"
    staff = f"{base}/{by_staff['id']}"
    assert (await void(anonymous, staff, "not mine", headers=me)).status_code == 403
    assert (await void(anonymous, own, "wrong flat", headers=me)).status_code == 200


@pytest.mark.parametrize(
    "path", ["registrations", "housing", "housing-applications", "suspensions"]
)
async def test_every_kind_of_record_can_be_voided(client: httpx.AsyncClient, path: str) -> None:
    bodies = {
        "registrations": registration_body(),
        "housing": housing_body(),
        "housing-applications": housing_application_body(),
        "suspensions": suspension_body(),
    }
    student, _ = await student_with_enrolment(client)
    record = await create(client, f"/students/{student['id']}/{path}", bodies[path])
    url = f"{API}/students/{student['id']}/{path}/{record['id']}"
    assert (await void(client, url, "entered twice")).status_code == 200
    # A voided record no longer stands in the way: the same one can be entered again.
    again = await client.post(f"{API}/students/{student['id']}/{path}", json=bodies[path])
    assert again.status_code == 201, again.text


async def test_the_same_job_twice_is_a_duplicate(client: httpx.AsyncClient) -> None:
    student, employer, job = await graduate_with_job(client)
    url = f"{API}/students/{student['id']}/employments"
    twice = await client.post(url, json=employment_body(employer["id"]))
    assert twice.status_code == 409
    assert f"Employment {job['id']}" in twice.json()["detail"]
    assert twice.json()["errors"][0]["code"] == "duplicate"
    # Another start date is another job; a voided one no longer counts.
    later = await client.post(url, json=employment_body(employer["id"], start_date="2025-09-01"))
    assert later.status_code == 201
    assert (await void(client, f"{url}/{job['id']}", "entered twice")).status_code == 200
    assert (await client.post(url, json=employment_body(employer["id"]))).status_code == 201


async def test_the_feed_shows_a_voided_record_as_gone(committing_client: httpx.AsyncClient) -> None:
    client = committing_client
    student, _, job = await graduate_with_job(client)
    cursor = (await client.get(f"{API}/monitoring/changes")).json()["next_cursor"]
    url = f"{API}/students/{student['id']}/employments/{job['id']}"
    assert (await void(client, url, "entered for the wrong graduate")).status_code == 200
    changes, _ = await feed_changes(client, cursor, at_least=1)
    employment = [c for c in changes if c["entity"] == "employment"]
    assert [(c["entity_id"], c["tombstone"]) for c in employment] == [(str(job["id"]), True)]
