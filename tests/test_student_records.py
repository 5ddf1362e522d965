"""The records a student owns: employments, residence registrations, housing, housing-support
applications, suspensions and release decisions. One router shape serves them all, so the
common behaviour is tested for each kind; each kind's own rules follow."""

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
    patch_json,
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
        coexisting=(no_overrides, no_overrides),
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
            lambda o: {"enrolment_id": o.second["id"], "decision_date": "2026-01-10"},
        ),
        harmless_patch={"note": "Master's at the same university", "decision_number": "AC-118"},
        invalid_patch={"decision_date": "2020-08-31"},
        invalid_error=("body.decision_date", "release_outside_graduation_year"),
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


def only_error(response: httpx.Response) -> tuple[str, str]:
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    return errors[0]["field"], errors[0]["code"]


# === the common behaviour of every kind ======================================================


@by_path(KINDS)
async def test_create_get_patch_list(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    body = body_for(kind, owner)
    created = await add(client, owner, kind.path, body)
    assert created["student_id"] == owner.id
    for key, value in body.items():
        assert created[key] == value, key

    assert await read(client, owner, kind.path, created["id"]) == created
    assert await listed(client, owner, kind.path) == [created["id"]]

    response = await patch_json(client, url(owner, kind.path, created["id"]), kind.harmless_patch)
    assert response.status_code == 200, response.text
    patched = response.json()
    for key, value in kind.harmless_patch.items():
        assert patched[key] == value, key
    for key in set(body) - set(kind.harmless_patch):
        assert patched[key] == created[key], key
    assert await read(client, owner, kind.path, created["id"]) == patched


@by_path(KINDS)
async def test_records_page_by_cursor(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    ids = [(await add(client, owner, kind.path, body_for(kind, owner, i)))["id"] for i in range(2)]
    first = await client.get(url(owner, kind.path), params={"limit": 1})
    assert [r["id"] for r in first.json()["items"]] == ids[:1]
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    second = await client.get(url(owner, kind.path), params={"limit": 1, "cursor": cursor})
    assert [r["id"] for r in second.json()["items"]] == ids[1:]
    assert second.json()["next_cursor"] is None


@by_path(KINDS)
async def test_kind_filter(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, kind.path, body_for(kind, owner, 0))
    second = await add(client, owner, kind.path, body_for(kind, owner, 1))
    assert await listed(client, owner, kind.path) == [first["id"], second["id"]]
    assert await listed(client, owner, kind.path, **{kind.kind_field: kind.kinds[0]}) == [
        first["id"]
    ]
    assert await listed(client, owner, kind.path, **{kind.kind_field: kind.kinds[1]}) == [
        second["id"]
    ]


@by_path(KINDS)
async def test_unknown_kind_in_filter_is_422(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    response = await client.get(url(owner, kind.path), params={kind.kind_field: "no_such_kind"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [f"query.{kind.kind_field}"]


@by_path(PERIOD_KINDS)
@pytest.mark.parametrize(
    ("active_on", "expected"),
    [
        ("2019-12-31", []),
        ("2020-01-01", [0]),
        ("2020-06-15", [0]),
        ("2020-12-31", [0]),
        ("2021-01-01", [1]),
        ("2030-01-01", [1]),
        (None, [0, 1]),
    ],
)
async def test_active_on_filter(
    client: httpx.AsyncClient, kind: Kind, active_on: str | None, expected: list[int]
) -> None:
    owner = await make_owner(client)
    periods = [("2020-01-01", "2020-12-31"), ("2021-01-01", None)]
    ids = [
        (
            await add(
                client,
                owner,
                kind.path,
                body_for(kind, owner, 0, start_date=start, end_date=end),
            )
        )["id"]
        for start, end in periods
    ]
    params = {} if active_on is None else {"active_on": active_on}
    assert await listed(client, owner, kind.path, **params) == [ids[i] for i in expected]


@by_path([k for k in KINDS if not k.has_period])
async def test_active_on_is_ignored_without_a_period(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, kind.path, body_for(kind, owner))
    assert await listed(client, owner, kind.path, active_on="1990-01-01") == [created["id"]]


@by_path(KINDS)
async def test_invalid_patch_is_refused_and_record_unchanged(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, kind.path, body_for(kind, owner))
    response = await patch_json(client, url(owner, kind.path, created["id"]), kind.invalid_patch)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert only_error(response) == kind.invalid_error
    assert await read(client, owner, kind.path, created["id"]) == created


@by_path(PERIOD_KINDS)
@pytest.mark.parametrize("field", ["start_date", "end_date"])
async def test_patch_start_after_end_is_refused(
    client: httpx.AsyncClient, kind: Kind, field: str
) -> None:
    owner = await make_owner(client)
    created = await add(
        client, owner, kind.path, body_for(kind, owner, start_date="2024-09-01", end_date=None)
    )
    if field == "end_date":
        changes = {"end_date": "2024-08-01"}
    else:
        first = await patch_json(
            client, url(owner, kind.path, created["id"]), {"end_date": "2024-12-31"}
        )
        assert first.status_code == 200, first.text
        created = first.json()
        changes = {"start_date": "2025-01-01"}
    response = await patch_json(client, url(owner, kind.path, created["id"]), changes)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.end_date"]
    assert response.json()["errors"][0]["code"] == "date_order"
    assert await read(client, owner, kind.path, created["id"]) == created


@by_path(KINDS)
async def test_patch_a_required_field_to_null_is_422(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, kind.path, body_for(kind, owner))
    response = await patch_json(
        client, url(owner, kind.path, created["id"]), {kind.kind_field: None}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [f"body.{kind.kind_field}"]
    assert await read(client, owner, kind.path, created["id"]) == created


@by_path(KINDS)
async def test_record_of_another_student_is_404(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    other = await make_owner(client)
    created = await add(client, owner, kind.path, body_for(kind, owner))
    wrong = url(other, kind.path, created["id"])
    responses = [
        await client.get(wrong),
        # The owner's ETag: only the wrong student in the path may cause the 404.
        await patch_json(
            client, wrong, kind.harmless_patch, etag_from=url(owner, kind.path, created["id"])
        ),
    ]
    for response in responses:
        assert response.status_code == 404
        assert response.json()["type"].endswith("/not-found")
    assert await listed(client, other, kind.path) == []
    assert await read(client, owner, kind.path, created["id"]) == created


@by_path(KINDS)
async def test_records_of_an_unknown_student_are_404(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    ghost = {"id": 999_999}
    for response in [
        await client.get(url(ghost, kind.path)),
        await client.post(url(ghost, kind.path), json=body_for(kind, owner)),
        await client.get(url(ghost, kind.path, 1)),
    ]:
        assert response.status_code == 404


@by_path(KINDS)
async def test_missing_record_is_404(client: httpx.AsyncClient, kind: Kind) -> None:
    owner = await make_owner(client)
    response = await client.get(url(owner, kind.path, 999_999))
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")


# === employments ============================================================================


async def test_employment_place_defaults_from_the_employer(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "employments", employment_body(owner.employer["id"]))
    assert created["region_code"] == owner.employer["region_code"]
    assert created["settlement"] == owner.employer["settlement"]
    assert created["settlement_kind"] == owner.employer["settlement_kind"]
    assert created["full_time"] is True
    stored = await read(client, owner, "employments", created["id"])
    assert (stored["region_code"], stored["settlement"], stored["settlement_kind"]) == (
        "KZ-59",
        "Bulaevo",
        "rural",
    )


async def test_employment_place_given_overrides_the_employer(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(
        client,
        owner,
        "employments",
        employment_body(
            owner.employer["id"],
            region_code="KZ-11",
            settlement="Kokshetau",
            settlement_kind="urban",
        ),
    )
    assert (created["region_code"], created["settlement"], created["settlement_kind"]) == (
        "KZ-11",
        "Kokshetau",
        "urban",
    )


async def test_overlapping_employments_are_allowed(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, "employments", employment_body(owner.employer["id"]))
    second = await add(
        client,
        owner,
        "employments",
        employment_body(owner.employer["id"], full_time=False, start_date="2024-10-01"),
    )
    assert await listed(client, owner, "employments", active_on="2024-11-01") == [
        first["id"],
        second["id"],
    ]


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"employer_id": 999_999}, ("body.employer_id", "unknown_reference")),
        ({"region_code": "KZ-99"}, ("body.region_code", "unknown_reference")),
        ({"start_date": "2001-05-16"}, ("body.start_date", "date_order")),
        ({"end_date": "2024-08-31"}, ("body.end_date", "date_order")),
    ],
)
async def test_invalid_employment_is_refused(
    client: httpx.AsyncClient, overrides: dict[str, Any], error: tuple[str, str]
) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "employments"), json=employment_body(owner.employer["id"], **overrides)
    )
    assert response.status_code == 422
    assert only_error(response) == error
    assert await listed(client, owner, "employments") == []


# === residence registrations ================================================================


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-03-15", "2025-03-15"),
        ("2024-02-29", "2025-02-28"),
        ("2024-01-31", "2025-01-31"),
        ("2024-09-01", "2024-10-01"),
    ],
)
async def test_temporary_registration_up_to_12_months_is_accepted(
    client: httpx.AsyncClient, start: str, end: str
) -> None:
    owner = await make_owner(client)
    created = await add(
        client,
        owner,
        "registrations",
        registration_body(kind="temporary", start_date=start, end_date=end),
    )
    assert (created["start_date"], created["end_date"]) == (start, end)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-03-15", "2025-03-16"),
        ("2024-02-29", "2025-03-01"),
        ("2024-01-01", "2026-01-01"),
    ],
)
async def test_temporary_registration_over_12_months_is_refused(
    client: httpx.AsyncClient, start: str, end: str
) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "registrations"),
        json=registration_body(kind="temporary", start_date=start, end_date=end),
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.end_date", "temporary_too_long")
    assert await listed(client, owner, "registrations") == []


async def test_temporary_registration_with_null_end_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "registrations"), json=registration_body(kind="temporary", end_date=None)
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.end_date", "temporary_end_required")
    assert await listed(client, owner, "registrations") == []


async def test_temporary_registration_without_end_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    body = registration_body(kind="temporary")
    assert "end_date" not in body
    response = await client.post(url(owner, "registrations"), json=body)
    assert response.status_code == 422
    assert only_error(response) == ("body.end_date", "temporary_end_required")
    assert await listed(client, owner, "registrations") == []


async def test_temporary_registration_under_a_month_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "registrations"),
        json=registration_body(kind="temporary", start_date="2024-09-01", end_date="2024-09-14"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.end_date"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"end_date": None}, "temporary_end_required"),
        ({"end_date": "2025-09-02"}, "temporary_too_long"),
        ({"start_date": "2023-06-01"}, "temporary_too_long"),
    ],
)
async def test_patch_cannot_break_the_temporary_rules(
    client: httpx.AsyncClient, changes: dict[str, Any], code: str
) -> None:
    owner = await make_owner(client)
    created = await add(
        client,
        owner,
        "registrations",
        registration_body(kind="temporary", start_date="2024-09-01", end_date="2025-06-30"),
    )
    response = await patch_json(client, url(owner, "registrations", created["id"]), changes)
    assert response.status_code == 422
    assert only_error(response) == ("body.end_date", code)
    assert await read(client, owner, "registrations", created["id"]) == created


async def test_patch_permanent_to_temporary_needs_an_end(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "registrations", registration_body())
    response = await patch_json(
        client, url(owner, "registrations", created["id"]), {"kind": "temporary"}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.end_date", "temporary_end_required")
    assert await read(client, owner, "registrations", created["id"]) == created


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        (("2024-08-20", None), ("2025-01-01", None)),
        (("2024-08-20", None), ("2020-01-01", "2024-08-20")),
        (("2024-08-20", "2024-12-31"), ("2024-12-31", None)),
        (("2024-08-20", "2024-12-31"), ("2024-01-01", "2025-06-30")),
        (("2024-08-20", "2024-12-31"), ("2024-09-01", "2024-09-30")),
    ],
)
async def test_overlapping_permanent_registrations_are_refused(
    client: httpx.AsyncClient,
    existing: tuple[str, str | None],
    new: tuple[str, str | None],
) -> None:
    owner = await make_owner(client)
    first = await add(
        client,
        owner,
        "registrations",
        registration_body(start_date=existing[0], end_date=existing[1]),
    )
    response = await client.post(
        url(owner, "registrations"),
        json=registration_body(address="Lenin St 1", start_date=new[0], end_date=new[1]),
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.start_date", "permanent_overlap")
    assert await listed(client, owner, "registrations") == [first["id"]]


async def test_consecutive_permanent_registrations_are_fine(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, "registrations", registration_body(end_date="2024-12-31"))
    second = await add(
        client,
        owner,
        "registrations",
        registration_body(address="Lenin St 1", start_date="2025-01-01"),
    )
    assert await listed(client, owner, "registrations", kind="permanent") == [
        first["id"],
        second["id"],
    ]


async def test_temporary_beside_permanent_is_fine(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    permanent = await add(client, owner, "registrations", registration_body())
    temporary = await add(
        client,
        owner,
        "registrations",
        registration_body(
            kind="temporary",
            address="Dormitory 2, room 14",
            start_date="2024-09-01",
            end_date="2025-06-30",
        ),
    )
    assert await listed(client, owner, "registrations", active_on="2024-10-01") == [
        permanent["id"],
        temporary["id"],
    ]


async def test_permanent_registrations_of_other_students_do_not_clash(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    other = await make_owner(client)
    await add(client, owner, "registrations", registration_body())
    created = await add(client, other, "registrations", registration_body())
    assert created["student_id"] == other.id


async def test_patch_own_open_permanent_registration(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "registrations", registration_body())
    response = await patch_json(
        client, url(owner, "registrations", created["id"]), {"start_date": "2024-08-01"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["start_date"] == "2024-08-01"


async def test_patch_into_an_overlap_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    await add(client, owner, "registrations", registration_body(end_date="2024-12-31"))
    second = await add(
        client,
        owner,
        "registrations",
        registration_body(address="Lenin St 1", start_date="2025-01-01"),
    )
    response = await patch_json(
        client, url(owner, "registrations", second["id"]), {"start_date": "2024-12-01"}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.start_date", "permanent_overlap")
    assert await read(client, owner, "registrations", second["id"]) == second


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"region_code": "KZ-99"}, "body.region_code"),
        ({"address": "ab"}, "body.address"),
        ({"kind": "seasonal"}, "body.kind"),
    ],
)
async def test_invalid_registration_is_refused(
    client: httpx.AsyncClient, overrides: dict[str, Any], field: str
) -> None:
    owner = await make_owner(client)
    response = await client.post(url(owner, "registrations"), json=registration_body(**overrides))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert await listed(client, owner, "registrations") == []


# === housing ================================================================================


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        (("2020-09-01", None), ("2024-08-20", None)),
        (("2020-09-01", "2024-06-30"), ("2024-06-30", None)),
        (("2020-09-01", "2024-06-30"), ("2019-09-01", "2020-09-01")),
        (("2024-08-20", None), ("2024-01-01", "2024-12-31")),
    ],
)
async def test_overlapping_housing_is_refused(
    client: httpx.AsyncClient, existing: tuple[str, str | None], new: tuple[str, str | None]
) -> None:
    owner = await make_owner(client)
    first = await add(
        client,
        owner,
        "housing",
        housing_body(kind="dormitory", start_date=existing[0], end_date=existing[1]),
    )
    response = await client.post(
        url(owner, "housing"), json=housing_body(start_date=new[0], end_date=new[1])
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.start_date", "housing_overlap")
    assert await listed(client, owner, "housing") == [first["id"]]


async def test_housing_none_fills_the_gap(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    dormitory = await add(
        client,
        owner,
        "housing",
        housing_body(kind="dormitory", start_date="2020-09-01", end_date="2024-06-30"),
    )
    gap = await add(
        client,
        owner,
        "housing",
        {"kind": "none", "start_date": "2024-07-01", "end_date": "2024-08-19"},
    )
    assert gap["region_code"] is None
    assert gap["address"] is None
    rented = await add(client, owner, "housing", housing_body())
    assert await listed(client, owner, "housing") == [dormitory["id"], gap["id"], rented["id"]]
    assert await listed(client, owner, "housing", kind="none") == [gap["id"]]
    assert await listed(client, owner, "housing", active_on="2024-07-15") == [gap["id"]]


async def test_housing_none_with_a_region_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "housing"),
        json={"kind": "none", "region_code": "KZ-59", "start_date": "2024-07-01"},
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.region_code", "place_unexpected")
    assert await listed(client, owner, "housing") == []


async def test_real_housing_with_null_region_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(url(owner, "housing"), json=housing_body(region_code=None))
    assert response.status_code == 422
    assert only_error(response) == ("body.region_code", "region_required")
    assert await listed(client, owner, "housing") == []


async def test_real_housing_without_region_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    body = housing_body()
    del body["region_code"]
    response = await client.post(url(owner, "housing"), json=body)
    assert response.status_code == 422
    assert only_error(response) == ("body.region_code", "region_required")
    assert await listed(client, owner, "housing") == []


async def test_patch_housing_to_none_keeping_the_region_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "housing", housing_body())
    response = await patch_json(client, url(owner, "housing", created["id"]), {"kind": "none"})
    assert response.status_code == 422
    assert only_error(response) == ("body.region_code", "place_unexpected")
    assert await read(client, owner, "housing", created["id"]) == created


async def test_patch_housing_into_an_overlap_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    await add(
        client,
        owner,
        "housing",
        housing_body(kind="dormitory", start_date="2020-09-01", end_date="2024-06-30"),
    )
    rented = await add(client, owner, "housing", housing_body())
    response = await patch_json(
        client, url(owner, "housing", rented["id"]), {"start_date": "2024-06-01"}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.start_date", "housing_overlap")
    assert await read(client, owner, "housing", rented["id"]) == rented


# === housing-support applications ===========================================================


@pytest.mark.parametrize(
    ("status", "decided_on", "error"),
    [
        ("approved", None, ("body.decided_on", "decided_on_required")),
        ("rejected", None, ("body.decided_on", "decided_on_required")),
        ("withdrawn", None, ("body.decided_on", "decided_on_required")),
        ("submitted", "2024-10-01", ("body.decided_on", "decided_on_unexpected")),
        ("under_review", "2024-10-01", ("body.decided_on", "decided_on_unexpected")),
        ("approved", "2024-09-09", ("body.decided_on", "date_order")),
    ],
)
async def test_application_decision_date_rules(
    client: httpx.AsyncClient, status: str, decided_on: str | None, error: tuple[str, str]
) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "housing-applications"),
        json=housing_application_body(status=status, decided_on=decided_on),
    )
    assert response.status_code == 422
    assert only_error(response) == error
    assert await listed(client, owner, "housing-applications") == []


@pytest.mark.parametrize(
    ("status", "decided_on"),
    [
        ("submitted", None),
        ("under_review", None),
        ("approved", "2024-09-10"),
        ("rejected", "2024-11-01"),
    ],
)
async def test_application_with_consistent_decision_is_accepted(
    client: httpx.AsyncClient, status: str, decided_on: str | None
) -> None:
    owner = await make_owner(client)
    created = await add(
        client,
        owner,
        "housing-applications",
        housing_application_body(status=status, decided_on=decided_on),
    )
    assert (created["status"], created["decided_on"]) == (status, decided_on)


async def test_application_defaults_to_submitted(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "housing-applications", housing_application_body())
    assert created["status"] == "submitted"
    assert created["decided_on"] is None


@pytest.mark.parametrize("status", ["approved", "rejected", "withdrawn"])
async def test_decided_application_without_decided_on_is_refused(
    client: httpx.AsyncClient, status: str
) -> None:
    owner = await make_owner(client)
    body = housing_application_body(status=status)
    assert "decided_on" not in body
    response = await client.post(url(owner, "housing-applications"), json=body)
    assert response.status_code == 422
    assert only_error(response) == ("body.decided_on", "decided_on_required")
    assert await listed(client, owner, "housing-applications") == []


async def test_patch_application_to_approved_needs_decided_on(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    created = await add(client, owner, "housing-applications", housing_application_body())
    response = await patch_json(
        client, url(owner, "housing-applications", created["id"]), {"status": "approved"}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.decided_on", "decided_on_required")
    assert await read(client, owner, "housing-applications", created["id"]) == created

    response = await patch_json(
        client,
        url(owner, "housing-applications", created["id"]),
        {"status": "approved", "decided_on": "2024-10-15"},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["decided_on"]) == (
        "approved",
        "2024-10-15",
    )


async def test_application_in_unknown_region_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "housing-applications"), json=housing_application_body(region_code="KZ-99")
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.region_code", "unknown_reference")


# === suspensions ============================================================================


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        (("2025-01-10", "2026-01-09"), ("2025-06-01", "2025-07-01")),
        (("2025-01-10", "2026-01-09"), ("2026-01-09", None)),
        (("2025-01-10", "2026-01-09"), ("2024-01-01", "2025-01-10")),
        (("2025-01-10", None), ("2030-01-01", "2030-02-01")),
        (("2025-01-10", "2026-01-09"), ("2024-01-01", None)),
    ],
)
async def test_overlapping_suspensions_are_refused(
    client: httpx.AsyncClient, existing: tuple[str, str | None], new: tuple[str, str | None]
) -> None:
    owner = await make_owner(client)
    first = await add(
        client,
        owner,
        "suspensions",
        suspension_body(start_date=existing[0], end_date=existing[1]),
    )
    response = await client.post(
        url(owner, "suspensions"),
        json=suspension_body(reason="illness", start_date=new[0], end_date=new[1]),
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.start_date", "suspension_overlap")
    assert await listed(client, owner, "suspensions") == [first["id"]]


async def test_consecutive_suspensions_are_fine(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, "suspensions", suspension_body())
    second = await add(
        client,
        owner,
        "suspensions",
        suspension_body(reason="child_care", start_date="2026-01-10", end_date=None),
    )
    assert await listed(client, owner, "suspensions") == [first["id"], second["id"]]
    assert await listed(client, owner, "suspensions", reason="child_care") == [second["id"]]


async def test_patch_suspension_into_an_overlap_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, "suspensions", suspension_body())
    second = await add(
        client,
        owner,
        "suspensions",
        suspension_body(reason="illness", start_date="2026-03-01", end_date="2026-04-01"),
    )
    response = await patch_json(client, url(owner, "suspensions", first["id"]), {"end_date": None})
    assert response.status_code == 422
    assert only_error(response) == ("body.start_date", "suspension_overlap")
    assert await read(client, owner, "suspensions", first["id"]) == first
    assert await read(client, owner, "suspensions", second["id"]) == second


# === release decisions ======================================================================


async def test_release_for_another_students_enrolment_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    other = await make_owner(client)
    response = await client.post(
        url(owner, "release-decisions"), json=release_decision_body(other.first["id"])
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.enrolment_id", "unknown_reference")
    assert await listed(client, owner, "release-decisions") == []
    assert await listed(client, other, "release-decisions") == []


async def test_release_for_a_missing_enrolment_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "release-decisions"), json=release_decision_body(999_999)
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.enrolment_id", "unknown_reference")


async def test_second_release_for_the_same_enrolment_is_a_conflict(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, "release-decisions", release_decision_body(owner.first["id"]))
    response = await client.post(
        url(owner, "release-decisions"),
        json=release_decision_body(
            owner.first["id"], ground="pregnancy", decision_number="AC-2024/200"
        ),
    )
    assert response.status_code == 409
    assert only_error(response) == ("body.enrolment_id", "duplicate")
    assert await listed(client, owner, "release-decisions") == [first["id"]]


async def test_patch_release_onto_a_released_enrolment_is_a_conflict(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    await add(client, owner, "release-decisions", release_decision_body(owner.first["id"]))
    second = await add(
        client,
        owner,
        "release-decisions",
        release_decision_body(owner.second["id"], decision_date="2026-01-10"),
    )
    response = await patch_json(
        client, url(owner, "release-decisions", second["id"]), {"enrolment_id": owner.first["id"]}
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "body.enrolment_id"
    assert await read(client, owner, "release-decisions", second["id"]) == second


async def test_patch_release_onto_another_students_enrolment_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_owner(client)
    other = await make_owner(client)
    created = await add(
        client, owner, "release-decisions", release_decision_body(owner.first["id"])
    )
    response = await patch_json(
        client, url(owner, "release-decisions", created["id"]), {"enrolment_id": other.first["id"]}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.enrolment_id", "unknown_reference")
    assert await read(client, owner, "release-decisions", created["id"]) == created


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ground": "moved_abroad"}, "body.ground"),
        ({"decision_number": ""}, "body.decision_number"),
        ({"enrolment_id": 0}, "body.enrolment_id"),
    ],
)
async def test_invalid_release_is_refused(
    client: httpx.AsyncClient, overrides: dict[str, Any], field: str
) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "release-decisions"),
        json=release_decision_body(owner.first["id"], **overrides),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert await listed(client, owner, "release-decisions") == []


async def test_release_after_the_graduation_year_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_owner(client)
    response = await client.post(
        url(owner, "release-decisions"),
        json=release_decision_body(owner.first["id"], decision_date="2026-03-01"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.decision_date"
    assert await listed(client, owner, "release-decisions") == []
