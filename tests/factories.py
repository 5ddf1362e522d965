"""Valid request bodies for the API, built from the identifier rules (no fixed magic numbers)."""

import itertools
from datetime import date
from typing import Any

import httpx

from service.identifiers import Sex, make_bin, make_iin

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
