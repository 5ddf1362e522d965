"""Exports, statistics and the contribution import (on the test's own transaction; the feed,
which shows only committed work, is tested with real commits in test_feed.py)."""

import csv
import io
import json
from datetime import date

import httpx
import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.demo.loader import load_demo_data
from service.enums import UserRole
from service.evaluations.store import refresh_students
from service.models.students import Student
from tests.factories import (
    create,
    employer_body,
    employment_body,
    student_body,
    student_with_enrolment,
)
from tests.support import MakeUser

API = "/api/v1"


async def test_bad_feed_cursor_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/monitoring/changes", params={"after": "%%%"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.after"


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
async def test_export_streams_a_dataset_with_its_cursor(
    client: httpx.AsyncClient, fmt: str
) -> None:
    student = await create(client, "/students", student_body(patronymic='Quote "and", comma'))
    response = await client.get("/api/v1/monitoring/export/students", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["X-Change-Cursor"]
    if fmt == "csv":
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
    else:
        rows = [json.loads(line) for line in response.text.splitlines()]
    row = next(r for r in rows if str(r["id"]) == str(student["id"]))
    assert row["iin"] == student["iin"]
    assert row["patronymic"] == 'Quote "and", comma'
    assert str(row["birth_date"]) == student["birth_date"]


async def test_export_of_unknown_dataset_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/monitoring/export/passwords")
    assert response.status_code == 422


async def test_stats_stored_and_live_agree(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await load_demo_data(session)
    ids = [s.id for s in (await session.exec(select(Student))).all()]
    await refresh_students(session, [i for i in ids if i is not None], date(2026, 11, 22))
    await session.commit()
    stored = (await client.get("/api/v1/monitoring/stats", params={"group_by": "cohort"})).json()
    live = (
        await client.get(
            "/api/v1/monitoring/stats", params={"group_by": "cohort", "as_of": "2026-11-22"}
        )
    ).json()
    assert stored["source"] == "stored"
    assert live["source"] == "live"
    assert stored["groups"] == live["groups"]
    totals = {g["key"]: g for g in stored["groups"]}
    assert sum(g["graduates"] for g in totals.values()) > 100
    for g in totals.values():
        assert sum(g["by_status"].values()) == g["graduates"]
        assert 0 <= g["employment_rate"] <= 1
    by_institution = (await client.get("/api/v1/monitoring/stats")).json()
    assert len(by_institution["groups"]) == 3
    # Where graduates work or live is kept with each evaluation, as a live one finds it.
    present = {"group_by": "present_region"}
    kept = (await client.get("/api/v1/monitoring/stats", params=present)).json()
    found = (
        await client.get("/api/v1/monitoring/stats", params=present | {"as_of": "2026-11-22"})
    ).json()
    assert kept["groups"] == found["groups"]
    studied = (await client.get("/api/v1/monitoring/stats", params={"group_by": "region"})).json()
    assert {g["key"] for g in kept["groups"]} != {g["key"] for g in studied["groups"]}
    assert sum(g["graduates"] for g in kept["groups"]) == sum(
        g["graduates"] for g in studied["groups"]
    )


async def test_a_graduate_working_elsewhere_counts_where_they_work(
    client: httpx.AsyncClient,
) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    employer = await create(client, "/employers", employer_body(region_code="KZ-55"))
    await create(
        client,
        f"/students/{student['id']}/employments",
        employment_body(employer["id"], start_date="2024-09-02"),
    )
    by_place = (
        await client.get("/api/v1/monitoring/stats", params={"group_by": "present_region"})
    ).json()
    assert [(g["key"], g["graduates"]) for g in by_place["groups"]] == [("KZ-55", 1)]
    assert by_place["groups"][0]["name"] == "Pavlodar Region"
    by_school = (await client.get("/api/v1/monitoring/stats", params={"group_by": "region"})).json()
    assert [g["key"] for g in by_school["groups"]] == ["KZ-59"]


async def test_contributions_create_extend_and_are_idempotent(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    employer = await create(client, "/employers", employer_body())
    wrong_digit = employer["bin"][:11] + str((int(employer["bin"][11]) + 1) % 10)
    rows = [
        {"iin": student["iin"], "employer_bin": employer["bin"], "month": m}
        for m in ("2024-10", "2024-09", "2024-11", "2025-01")
    ]
    bad = [
        {"iin": "123", "employer_bin": employer["bin"], "month": "2024-09"},
        {"iin": student_body()["iin"], "employer_bin": employer["bin"], "month": "2024-09"},
        {"iin": student["iin"], "employer_bin": wrong_digit, "month": "2024-09"},
        {"iin": student["iin"], "employer_bin": employer_body()["bin"], "month": "2024-09"},
        {"iin": student["iin"], "employer_bin": employer["bin"], "month": "2999-01"},
    ]
    response = await client.post(
        "/api/v1/monitoring/contributions", json={"batch_id": "MLSP-2025-01", "rows": rows + bad}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["received"], report["applied"], report["already_recorded"]) == (9, 4, 0)
    assert (report["employments_created"], report["employments_extended"]) == (2, 2)
    assert [(e["row"], e["code"]) for e in report["errors"]] == [
        (4, "iin_format"),
        (5, "unknown_student"),
        (6, "bin_check_digit"),
        (7, "unknown_employer"),
        (8, "month_invalid"),
    ]
    jobs = (await client.get(f"/api/v1/students/{student['id']}/employments")).json()["items"]
    spans = sorted(
        (j["start_date"], j["end_date"], j["evidence_kind"], j["verified"]) for j in jobs
    )
    assert spans == [
        ("2024-09-01", "2024-11-30", "pension_contributions", True),
        ("2025-01-01", "2025-01-31", "pension_contributions", True),
    ]
    again = (await client.post("/api/v1/monitoring/contributions", json={"rows": rows})).json()
    assert (again["applied"], again["already_recorded"]) == (0, 4)
    assert (
        len((await client.get(f"/api/v1/students/{student['id']}/employments")).json()["items"])
        == 2
    )


async def test_contribution_registers_a_new_employer(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    new_bin = employer_body()["bin"]
    report = (
        await client.post(
            "/api/v1/monitoring/contributions",
            json={
                "rows": [
                    {
                        "iin": student["iin"],
                        "employer_bin": new_bin,
                        "month": "2024-10",
                        "employer_name": "Kyzyltu district hospital",
                        "employer_region_code": "KZ-59",
                        "employer_rural": True,
                    }
                ]
            },
        )
    ).json()
    assert (report["applied"], report["employers_created"]) == (1, 1)
    found = (await client.get("/api/v1/employers", params={"bin": new_bin})).json()["items"]
    assert found[0]["settlement_kind"] == "rural"


async def test_contribution_batch_envelope_is_validated(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/monitoring/contributions", json={"rows": []})
    assert response.status_code == 422


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


async def test_a_career_centre_reads_its_own_graduates_statistics_only(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    _, first = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    _, second = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    client.headers.update(
        await make_user(UserRole.career_centre, institution_id=first["institution_id"])
    )
    for asked in ({}, {"institution_id": second["institution_id"]}):
        stats = (await client.get(f"{API}/monitoring/stats", params=asked)).json()
        assert [g["key"] for g in stats["groups"]] == [str(first["institution_id"])]
