"""Students: the IIN decides birth date and sex; a refused write stores nothing."""

from datetime import date

import httpx
import pytest

from service.enums import Sex, UserRole
from tests.factories import (
    create,
    enrolment_body,
    institution_body,
    patch,
    student_body,
    suspension_body,
    valid_iin,
)
from tests.support import MakeUser

API = "/api/v1"


async def student_count(client: httpx.AsyncClient) -> int:
    response = await client.get("/api/v1/students", params={"limit": 1000})
    return len(response.json()["items"])


async def test_create_and_read_student(client: httpx.AsyncClient) -> None:
    student = await create(client, "/students", student_body(email="a@example.kz"))
    response = await client.get(f"/api/v1/students/{student['id']}")
    assert response.status_code == 200
    assert response.json()["iin"] == student["iin"]
    assert response.json()["data_sharing_consent"] == "unknown"


async def test_wrong_check_digit_is_refused_and_nothing_stored(client: httpx.AsyncClient) -> None:
    body = student_body()
    wrong = body["iin"][:11] + str((int(body["iin"][11]) + 1) % 10)
    before = await student_count(client)
    response = await client.post("/api/v1/students", json={**body, "iin": wrong})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert [e["field"] for e in problem["errors"]] == ["body.iin"]
    assert problem["errors"][0]["code"] == "iin_check_digit"
    assert await student_count(client) == before


async def test_birth_date_contradicting_iin_is_refused(client: httpx.AsyncClient) -> None:
    body = student_body(birth_date="2001-05-18")
    before = await student_count(client)
    response = await client.post("/api/v1/students", json=body)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "body.birth_date"
    assert error["code"] == "iin_birth_date_mismatch"
    assert await student_count(client) == before


async def test_sex_contradicting_iin_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/students", json=student_body(sex="male"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "iin_sex_mismatch"


async def test_duplicate_iin_is_a_conflict(client: httpx.AsyncClient) -> None:
    body = student_body()
    await create(client, "/students", body)
    response = await client.post("/api/v1/students", json=body)
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "body.iin"


@pytest.mark.parametrize(
    ("consent", "consent_date", "code"),
    [
        ("granted", None, "consent_date_required"),
        ("unknown", "2024-01-10", "consent_date_unexpected"),
    ],
)
async def test_consent_needs_a_date_exactly_when_decided(
    client: httpx.AsyncClient, consent: str, consent_date: str | None, code: str
) -> None:
    body = student_body(data_sharing_consent=consent, consent_date=consent_date)
    response = await client.post("/api/v1/students", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == code


async def test_patch_is_validated_as_a_whole(client: httpx.AsyncClient) -> None:
    student = await create(client, "/students", student_body())
    other_iin = valid_iin(date(1999, 1, 2), Sex.male)
    response = await patch(client, f"/students/{student['id']}", {"iin": other_iin})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.birth_date", "body.sex"}
    unchanged = await client.get(f"/api/v1/students/{student['id']}")
    assert unchanged.json()["iin"] == student["iin"]


async def test_unknown_origin_region_names_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/students", json=student_body(origin_region_code="KZ-99"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.origin_region_code"


async def test_missing_student_is_problem_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/students/999999")
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")


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


@pytest.mark.parametrize(
    "digits",
    [
        str.maketrans("0123456789", "".join(chr(0x0660 + d) for d in range(10))),
        str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10))),
    ],
    ids=["arabic-indic", "fullwidth"],
)
async def test_an_iin_is_ascii_digits_only(client: httpx.AsyncClient, digits: dict) -> None:
    existing = await create(client, "/students", student_body())
    lookalike = student_body(iin=existing["iin"].translate(digits))
    response = await client.post("/api/v1/students", json=lookalike)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "iin_format"
    found = await client.get("/api/v1/students", params={"iin": existing["iin"]})
    assert len(found.json()["items"]) == 1
