"""The pension-contribution import: what a contribution vouches for, versions, row errors."""

import httpx

from tests.factories import (
    create,
    employer_body,
    if_match,
    student_with_enrolment,
)

API = "/api/v1"


async def test_contribution_beside_a_self_reported_job_vouches_only_for_its_month(
    client: httpx.AsyncClient,
) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    employer = await create(client, "/employers", employer_body())
    url = f"{API}/students/{student['id']}/employments"
    reported = (
        await client.post(
            url,
            json={
                "employer_id": employer["id"],
                "start_date": "2024-09-01",
                "end_date": "2024-09-30",
                "evidence_kind": "self_reported",
            },
        )
    ).json()
    rows = [{"iin": student["iin"], "employer_bin": employer["bin"], "month": "2024-10"}]
    report = (await client.post(f"{API}/monitoring/contributions", json={"rows": rows})).json()
    assert (report["applied"], report["employments_created"]) == (1, 1)
    unchanged = (await client.get(f"{url}/{reported['id']}")).json()
    assert (unchanged["version"], unchanged["verified"], unchanged["evidence_kind"]) == (
        1,
        False,
        "self_reported",
    )
    ledger = (
        await client.get(
            f"{API}/students/{student['id']}/obligation/ledger", params={"as_of": "2024-10-31"}
        )
    ).json()
    months = {m["month"]: m for m in ledger["months"]}
    assert months["2024-09"]["verified"] is False
    assert months["2024-10"]["verified"] is True


async def test_an_import_that_extends_a_job_changes_its_etag(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    employer = await create(client, "/employers", employer_body())
    contributions = f"{API}/monitoring/contributions"
    month = {"iin": student["iin"], "employer_bin": employer["bin"]}
    await client.post(contributions, json={"rows": [month | {"month": "2024-09"}]})
    job = (await client.get(f"{API}/students/{student['id']}/employments")).json()["items"][0]
    url = f"{API}/students/{student['id']}/employments/{job['id']}"
    stale = await if_match(client, url)
    report = await client.post(contributions, json={"rows": [month | {"month": "2024-10"}]})
    assert report.json()["employments_extended"] == 1
    undo = await client.patch(url, json={"end_date": "2024-09-30"}, headers=stale)
    assert undo.status_code == 412
    assert (await client.get(url)).json()["end_date"] == "2024-10-31"


async def test_too_long_settlement_is_a_row_error(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    rows = [
        {
            "iin": student["iin"],
            "employer_bin": employer_body()["bin"],
            "month": "2024-10",
            "employer_name": "A" * 200,
            "employer_region_code": "KZ-59",
        },
        {
            "iin": student["iin"],
            "employer_bin": employer_body()["bin"],
            "month": "2024-10",
            "employer_name": "Kyzyltu school",
            "employer_region_code": "KZ-59",
        },
    ]
    report = (await client.post(f"{API}/monitoring/contributions", json={"rows": rows})).json()
    assert [(e["row"], e["field"], e["code"]) for e in report["errors"]] == [
        (0, "body.rows.0.employer_settlement", "string_too_long")
    ]
    assert report["applied"] == 1
