"""Scope, verification and import edges found in review, kept as regressions."""

import base64
from pathlib import Path

import httpx

from service.auth.models import UserRole
from service.monitoring.mirror import DATASET_ENTITY, SqliteMirror
from tests.conftest import MakeUser
from tests.factories import (
    create,
    employer_body,
    enrolment_body,
    if_match,
    institution_body,
    registration_body,
    student_body,
    student_with_enrolment,
    suspension_body,
)
from tests.test_pull import Flaky, fc_token, puller

API = "/api/v1"


async def test_career_centre_loses_a_student_enrolled_elsewhere(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    a = await create(client, "/institutions", institution_body())
    b = await create(client, "/institutions", institution_body(name="Other University"))
    staff_a = await make_user(UserRole.career_centre, institution_id=a["id"])
    registered = await client.post(f"{API}/students", json=student_body(), headers=staff_a)
    assert registered.status_code == 201
    student = registered.json()
    # Registered by A and not yet enrolled: A sees it.
    assert (await client.get(f"{API}/students/{student['id']}", headers=staff_a)).status_code == 200
    await create(client, f"/students/{student['id']}/enrolments", enrolment_body(b["id"]))
    read = await client.get(f"{API}/students/{student['id']}", headers=staff_a)
    write = await client.post(
        f"{API}/students/{student['id']}/suspensions", json=suspension_body(), headers=staff_a
    )
    assert (read.status_code, write.status_code) == (404, 404)


async def test_an_edit_undoes_verification(client: httpx.AsyncClient, make_user: MakeUser) -> None:
    student = await create(client, "/students", student_body())
    me = await make_user(UserRole.student, student_id=student["id"])
    fc = await make_user(UserRole.financial_center)
    url = f"{API}/students/{student['id']}/registrations"
    reg = (await client.post(url, json=registration_body(), headers=me)).json()
    etag = (await client.get(f"{url}/{reg['id']}", headers=fc)).headers["ETag"]
    verified = await client.post(
        f"{url}/{reg['id']}/verification", json={"verified": True}, headers=fc | {"If-Match": etag}
    )
    assert verified.json()["verified"] is True
    same = await client.patch(
        f"{url}/{reg['id']}",
        json={"address": reg["address"]},
        headers=me | {"If-Match": verified.headers["ETag"]},
    )
    assert same.json()["verified"] is True  # nothing changed, nothing to check again
    moved = await client.patch(
        f"{url}/{reg['id']}",
        json={"region_code": "KZ-75", "settlement": "Almaty", "address": "Elsewhere 1"},
        headers=me | {"If-Match": same.headers["ETag"]},
    )
    assert moved.status_code == 200
    assert moved.json()["verified"] is False


async def test_far_future_dates_are_refused_not_a_500(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    base = f"{API}/students/{student['id']}"
    for path, params in [
        ("/obligation", {"as_of": "9999-12-31"}),
        ("/obligation/ledger", {"as_of": "9999-12-31"}),
        ("/obligation/what-if", {"leave_on": "9999-12-31"}),
        ("/risks", {"as_of": "9999-12-31"}),
    ]:
        response = await client.get(base + path, params=params)
        assert response.status_code == 422, (path, response.status_code)


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
    assert [(e["row"], e["code"]) for e in report["errors"]] == [(0, "too_long")]
    assert report["applied"] == 1


async def test_pull_keeps_unicode_line_separators_inside_values(
    committing_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await fc_token(committing_client)
    s = await create(committing_client, "/students", student_body())
    await create(
        committing_client,
        f"/students/{s['id']}/registrations",
        registration_body(address="Abay St 12\u2028apt 4"),
    )
    mirror = SqliteMirror(tmp_path / "m.db")
    await puller(Flaky(), token, mirror).run()
    assert [r["address"] for r in mirror.rows("residence_registration").values()] == [
        "Abay St 12\u2028apt 4"
    ]


def test_pull_mirrors_only_what_the_feed_keeps_current() -> None:
    assert "obligation" not in DATASET_ENTITY.values()
    assert "risk_flag" not in DATASET_ENTITY.values()


async def test_feed_cursor_beyond_64_bits_is_422(client: httpx.AsyncClient) -> None:
    cursor = base64.urlsafe_b64encode(b"99999999999999999999.1").decode().rstrip("=")
    response = await client.get(f"{API}/monitoring/changes", params={"after": cursor})
    assert response.status_code == 422


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


async def test_stored_stats_respect_institution_filter(client: httpx.AsyncClient) -> None:
    _, first = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    await student_with_enrolment(client, status="graduated", graduation_date="2024-06-28")
    stats = (
        await client.get(
            f"{API}/monitoring/stats", params={"institution_id": first["institution_id"]}
        )
    ).json()
    assert [g["key"] for g in stats["groups"]] == [str(first["institution_id"])]
