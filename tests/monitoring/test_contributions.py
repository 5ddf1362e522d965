"""The pension-contribution import: what a contribution vouches for, versions, row errors."""

import httpx
import pytest

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


@pytest.mark.parametrize(
    "month",
    [
        "19-1",
        "2024-1",
        "2024-13",
        "1999-12",
        "2099-01",
        "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in "2024-01"),
        "2024-01-01",
    ],
)
async def test_a_month_that_is_not_yyyy_mm_is_a_row_error(
    client: httpx.AsyncClient, month: str
) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    employer = await create(client, "/employers", employer_body())
    good = {"iin": student["iin"], "employer_bin": employer["bin"], "month": "2024-10"}
    rows = [{**good, "month": month}, good]
    report = (await client.post(f"{API}/monitoring/contributions", json={"rows": rows})).json()
    assert [(e["row"], e["field"], e["code"]) for e in report["errors"]] == [
        (0, "body.rows.0.month", "month_invalid")
    ]
    assert report["applied"] == 1


async def test_rows_of_any_shape_are_reported_and_the_good_ones_kept(
    client: httpx.AsyncClient,
) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    employer = await create(client, "/employers", employer_body())
    good = {"iin": student["iin"], "employer_bin": employer["bin"], "month": "2024-09"}
    rows = [
        {"iin": 12, "employer_bin": None},
        {**good, "employer_rural": "perhaps"},
        {**good, "iin": "x" * 400},
        good,
    ]
    response = await client.post(f"{API}/monitoring/contributions", json={"rows": rows})
    assert response.status_code == 200, response.text
    report = response.json()
    assert sorted({e["row"] for e in report["errors"]}) == [0, 1, 2]
    assert report["applied"] == 1


async def test_an_employer_the_import_registers_can_be_corrected(
    client: httpx.AsyncClient,
) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    bin_ = employer_body()["bin"]
    row = {
        "iin": student["iin"],
        "employer_bin": bin_,
        "month": "2024-10",
        "employer_name": "  ",
        "employer_region_code": "KZ-59",
    }
    report = (await client.post(f"{API}/monitoring/contributions", json={"rows": [row]})).json()
    # A blank name would make an employer no one could ever correct: the row is refused.
    assert ("body.rows.0.employer_name", "string_too_short") in [
        (e["field"], e["code"]) for e in report["errors"]
    ]
    assert report["employers_created"] == 0
    row["employer_name"] = "Kyzyltu school"
    report = (await client.post(f"{API}/monitoring/contributions", json={"rows": [row]})).json()
    assert report["employers_created"] == 1
    employer = (await client.get(f"{API}/employers", params={"bin": bin_})).json()["items"][0]
    etag = (await client.get(f"{API}/employers/{employer['id']}")).headers["ETag"]
    renamed = await client.patch(
        f"{API}/employers/{employer['id']}",
        json={"name": "Kyzyltu secondary school"},
        headers={"If-Match": etag},
    )
    assert renamed.status_code == 200, renamed.text


async def test_a_month_before_birth_is_refused(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(client)
    employer = await create(client, "/employers", employer_body())
    row = {"iin": student["iin"], "employer_bin": employer["bin"], "month": "2000-01"}
    report = (await client.post(f"{API}/monitoring/contributions", json={"rows": [row]})).json()
    assert [(e["field"], e["code"]) for e in report["errors"]] == [
        ("body.rows.0.month", "date_order")
    ]
