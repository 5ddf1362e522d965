"""Valid request bodies for the API, built from the identifier rules (no fixed magic numbers)."""

import itertools
from datetime import date
from typing import Any

import httpx

from service.enums import Sex
from service.reference.identifiers import make_bin, make_iin

_serial = itertools.count(1)


def valid_iin(birth_date: date = date(2001, 5, 17), sex: Sex = Sex.female) -> str:
    while True:
        iin = make_iin(birth_date, sex, next(_serial) % 10_000)
        if iin is not None:
            return iin


def valid_bin(registered: date = date(2005, 3, 1)) -> str:
    while True:
        bin_ = make_bin(registered, 4, 0, next(_serial) % 100_000)
        if bin_ is not None:
            return bin_


def student_body(**overrides: Any) -> dict[str, Any]:
    birth, sex = date(2001, 5, 17), Sex.female
    body: dict[str, Any] = {
        "iin": valid_iin(birth, sex),
        "last_name": "Akhmetova",
        "first_name": "Aigerim",
        "birth_date": birth.isoformat(),
        "sex": sex.value,
        "origin_region_code": "KZ-61",
    }
    body.update(overrides)
    return body


def institution_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Manash Kozybayev North Kazakhstan University",
        "kind": "university",
        "bin": valid_bin(),
        "region_code": "KZ-59",
        "city": "Petropavl",
    }
    body.update(overrides)
    return body


def employer_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "School No. 7",
        "bin": valid_bin(date(2010, 8, 1)),
        "region_code": "KZ-59",
        "settlement": "Bulaevo",
        "settlement_kind": "rural",
    }
    body.update(overrides)
    return body


async def create(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(f"/api/v1{path}", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def student_with_enrolment(
    client: httpx.AsyncClient, **enrolment: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A Serpin student of the 2020 cohort at a host university."""
    institution = await create(client, "/institutions", institution_body())
    student = await create(client, "/students", student_body())
    body: dict[str, Any] = {
        "institution_id": institution["id"],
        "programme_id": 1,
        "specialty_code": "6B01501",
        "specialty_name": "Mathematics teacher",
        "field": "pedagogical",
        "level": "bachelor",
        "start_date": "2020-09-01",
        "expected_graduation_date": "2024-06-30",
        "annual_grant_cost": 800_000,
    }
    body.update(enrolment)
    created = await create(client, f"/students/{student['id']}/enrolments", body)
    return student, created


def enrolment_body(institution_id: int, /, **overrides: Any) -> dict[str, Any]:
    """A Serpin enrolment of the 2020 cohort (the same shape as ``student_with_enrolment``)."""
    body: dict[str, Any] = {
        "institution_id": institution_id,
        "programme_id": 1,
        "specialty_code": "6B01501",
        "specialty_name": "Mathematics teacher",
        "field": "pedagogical",
        "level": "bachelor",
        "start_date": "2020-09-01",
        "expected_graduation_date": "2024-06-30",
        "annual_grant_cost": 800_000,
    }
    body.update(overrides)
    return body


def employment_body(employer_id: int, /, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "employer_id": employer_id,
        "start_date": "2024-09-01",
        "evidence_kind": "contract",
    }
    body.update(overrides)
    return body


def registration_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "permanent",
        "address": "Abay St 12, apt 4",
        "settlement": "Petropavl",
        "region_code": "KZ-59",
        "start_date": "2024-08-20",
    }
    body.update(overrides)
    return body


def housing_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "rented",
        "address": "Abay St 12, apt 4",
        "settlement": "Petropavl",
        "region_code": "KZ-59",
        "start_date": "2024-08-20",
    }
    body.update(overrides)
    return body


def housing_application_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "resettlement_support",
        "region_code": "KZ-59",
        "applied_on": "2024-09-10",
    }
    body.update(overrides)
    return body


def suspension_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "reason": "military_service",
        "start_date": "2025-01-10",
        "end_date": "2026-01-09",
    }
    body.update(overrides)
    return body


def release_decision_body(enrolment_id: int, /, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "enrolment_id": enrolment_id,
        "ground": "postgraduate_enrolment",
        "decided_on": "2024-07-15",
        "decision_number": "AC-2024/117",
    }
    body.update(overrides)
    return body


async def patch(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], **kwargs: Any
) -> httpx.Response:
    """PATCH as a careful client does: read the record's ETag, send it back in If-Match."""
    current = await client.get(f"/api/v1{path}", **kwargs)
    assert current.status_code == 200, current.text
    headers = {"If-Match": current.headers["ETag"], **kwargs.pop("headers", {})}
    return await client.patch(f"/api/v1{path}", json=body, headers=headers, **kwargs)


async def if_match(client: httpx.AsyncClient, url: str) -> dict[str, str]:
    """An If-Match header with the ETag of the record at ``url`` (a full ``/api/v1/...`` path);
    no header when the record cannot be read or the API sends no ETag."""
    response = await client.get(url)
    etag = response.headers.get("ETag") if response.status_code == 200 else None
    return {"If-Match": etag} if etag else {}


async def patch_json(
    client: httpx.AsyncClient, url: str, body: Any, *, etag_from: str | None = None
) -> httpx.Response:
    """PATCH ``url`` (a full ``/api/v1/...`` path) with the ETag read from ``etag_from`` (by
    default ``url`` itself), so tests of a refusal see the refusal, not a missing If-Match."""
    headers = await if_match(client, etag_from or url)
    return await client.patch(url, json=body, headers=headers)


async def at_risk_graduate(client: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """A graduate of 2024 with no job recorded: at risk."""
    student, enrolment = await student_with_enrolment(client)
    url = f"/api/v1/students/{student['id']}/enrolments/{enrolment['id']}"
    response = await client.post(
        f"{url}/status-history",
        json={"status": "graduated", "effective_on": "2024-06-25"},
        headers=await if_match(client, url),
    )
    assert response.status_code == 201, response.text
    return student, enrolment
