"""The records a student owns, for the tests of each kind: a student with two enrolments
and an employer, and the shape of each kind of record."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.factories import (
    create,
    employer_body,
    employment_body,
    enrolment_body,
    housing_application_body,
    housing_body,
    if_match,
    registration_body,
    release_decision_body,
    student_with_enrolment,
    suspension_body,
)


@dataclass
class Owner:
    """A student who graduated in 2024 (enrolment ``first``) and went on to a master's
    (``second``), and an employer in North Kazakhstan."""

    student: dict[str, Any]
    first: dict[str, Any]
    second: dict[str, Any]
    employer: dict[str, Any]

    @property
    def id(self) -> int:
        return int(self.student["id"])


async def make_owner(client: httpx.AsyncClient) -> Owner:
    student, first = await student_with_enrolment(client)
    enrolment = f"/api/v1/students/{student['id']}/enrolments/{first['id']}"
    response = await client.post(
        f"{enrolment}/status-history",
        json={"status": "graduated", "effective_on": "2024-06-25"},
        headers=await if_match(client, enrolment),
    )
    assert response.status_code == 201, response.text
    second = await create(
        client,
        f"/students/{student['id']}/enrolments",
        enrolment_body(
            first["institution_id"],
            level="master",
            start_date="2024-09-01",
            expected_graduation_date="2026-06-30",
        ),
    )
    employer = await create(client, "/employers", employer_body())
    return Owner(student, first, second, employer)


Body = Callable[[Owner], dict[str, Any]]


def no_overrides(owner: Owner) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Kind:
    path: str
    body: Body
    kind_field: str
    """The list filter's query parameter."""
    kinds: tuple[str, str]
    """Two values of the kind field, for records that may coexist."""
    coexisting: tuple[Body, Body]
    """Overrides for two records of ``kinds`` that do not break the kind's rules together."""
    harmless_patch: dict[str, Any]
    invalid_patch: dict[str, Any]
    invalid_error: tuple[str, str]
    has_period: bool


KINDS = [
    Kind(
        path="employments",
        body=lambda o: employment_body(o.employer["id"]),
        kind_field="evidence_kind",
        kinds=("contract", "pension_contributions"),
        # Two jobs at one employer with the same dates would be the same job twice.
        coexisting=(no_overrides, lambda o: {"start_date": "2024-10-01"}),
        harmless_patch={"full_time": False, "end_date": "2025-08-31"},
        invalid_patch={"end_date": "2024-08-31"},
        invalid_error=("body.end_date", "date_order"),
        has_period=True,
    ),
    Kind(
        path="registrations",
        body=lambda o: registration_body(),
        kind_field="kind",
        kinds=("permanent", "temporary"),
        coexisting=(no_overrides, lambda o: {"start_date": "2024-09-01", "end_date": "2025-06-30"}),
        harmless_patch={"address": "Kazybek bi St 3, apt 9"},
        invalid_patch={"end_date": "2024-08-19"},
        invalid_error=("body.end_date", "date_order"),
        has_period=True,
    ),
    Kind(
        path="housing",
        body=lambda o: housing_body(),
        kind_field="kind",
        kinds=("dormitory", "rented"),
        coexisting=(
            lambda o: {"start_date": "2020-09-01", "end_date": "2024-06-30"},
            lambda o: {"start_date": "2024-08-20"},
        ),
        harmless_patch={"address": "Kazybek bi St 3, apt 9"},
        invalid_patch={"end_date": "2024-08-19"},
        invalid_error=("body.end_date", "date_order"),
        has_period=True,
    ),
    Kind(
        path="housing-applications",
        body=lambda o: housing_application_body(),
        kind_field="kind",
        kinds=("resettlement_support", "rental_housing_queue"),
        coexisting=(no_overrides, no_overrides),
        harmless_patch={"reference_number": "NK-2024-0042", "status": "under_review"},
        invalid_patch={"status": "approved", "decided_on": "2024-09-09"},
        invalid_error=("body.decided_on", "date_order"),
        has_period=False,
    ),
    Kind(
        path="suspensions",
        body=lambda o: suspension_body(),
        kind_field="reason",
        kinds=("military_service", "child_care"),
        coexisting=(no_overrides, lambda o: {"start_date": "2026-02-01", "end_date": None}),
        harmless_patch={"evidence": "Military ID AB-123"},
        invalid_patch={"end_date": "2025-01-09"},
        invalid_error=("body.end_date", "date_order"),
        has_period=True,
    ),
    Kind(
        path="release-decisions",
        body=lambda o: release_decision_body(o.first["id"]),
        kind_field="ground",
        kinds=("postgraduate_enrolment", "pregnancy"),
        coexisting=(
            no_overrides,
            lambda o: {"enrolment_id": o.second["id"], "decided_on": "2026-01-10"},
        ),
        harmless_patch={"note": "Master's at the same university", "decision_number": "AC-118"},
        invalid_patch={"decided_on": "2020-08-31"},
        invalid_error=("body.decided_on", "release_outside_graduation_year"),
        has_period=False,
    ),
]
PERIOD_KINDS = [k for k in KINDS if k.has_period]


def by_path(kinds: list[Kind]) -> Any:
    return pytest.mark.parametrize("kind", kinds, ids=[k.path for k in kinds])


def url(owner: Owner | dict[str, Any], path: str, record_id: int | None = None) -> str:
    student_id = owner.id if isinstance(owner, Owner) else owner["id"]
    base = f"/api/v1/students/{student_id}/{path}"
    return base if record_id is None else f"{base}/{record_id}"


def body_for(
    kind: Kind, owner: Owner, index: int | None = None, **overrides: Any
) -> dict[str, Any]:
    body = kind.body(owner)
    if index is not None:
        body.update(kind.coexisting[index](owner))
        body[kind.kind_field] = kind.kinds[index]
    body.update(overrides)
    return body


async def add(
    client: httpx.AsyncClient, owner: Owner, path: str, body: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(url(owner, path), json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def listed(client: httpx.AsyncClient, owner: Owner, path: str, **params: Any) -> list[int]:
    response = await client.get(url(owner, path), params={"limit": 1000, **params})
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["items"]]


async def read(client: httpx.AsyncClient, owner: Owner, path: str, record_id: int) -> Any:
    response = await client.get(url(owner, path, record_id))
    assert response.status_code == 200, response.text
    return response.json()
