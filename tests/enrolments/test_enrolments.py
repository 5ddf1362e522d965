"""Enrolments: cohort from the start date, a status history that only moves forward, and the
programme's obligation rule for the cohort."""

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.factories import (
    create,
    employer_body,
    enrolment_body,
    if_match,
    institution_body,
    patch_json,
    student_body,
    student_with_enrolment,
)
from tests.support import only_error


def enrolment_path(student: dict[str, Any], enrolment: dict[str, Any] | None = None) -> str:
    path = f"/api/v1/students/{student['id']}/enrolments"
    return path if enrolment is None else f"{path}/{enrolment['id']}"


async def fresh_student(client: httpx.AsyncClient) -> tuple[dict[str, Any], int]:
    """A student without enrolments, and an institution to enrol at."""
    institution = await create(client, "/institutions", institution_body())
    student = await create(client, "/students", student_body())
    return student, institution["id"]


async def enrolments_of(client: httpx.AsyncClient, student: dict[str, Any]) -> list[Any]:
    response = await client.get(enrolment_path(student))
    assert response.status_code == 200
    items: list[Any] = response.json()["items"]
    return items


async def history(
    client: httpx.AsyncClient, student: dict[str, Any], enrolment: dict[str, Any]
) -> list[dict[str, Any]]:
    response = await client.get(f"{enrolment_path(student, enrolment)}/status-history")
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()
    return items


async def change_status(
    client: httpx.AsyncClient,
    student: dict[str, Any],
    enrolment: dict[str, Any],
    status: str,
    effective_on: str,
) -> httpx.Response:
    path = enrolment_path(student, enrolment)
    return await client.post(
        f"{path}/status-history",
        json={"status": status, "effective_on": effective_on},
        headers=await if_match(client, path),
    )


def same(record: dict[str, Any]) -> dict[str, Any]:
    """An enrolment with its decimal grant share as a number (``"1"`` and ``"1.000"`` agree)."""
    return {**record, "grant_share": Decimal(str(record["grant_share"]))}


async def read(
    client: httpx.AsyncClient, student: dict[str, Any], enrolment: dict[str, Any]
) -> dict[str, Any]:
    response = await client.get(enrolment_path(student, enrolment))
    assert response.status_code == 200, response.text
    return same(response.json())


# --- create / read -----------------------------------------------------------------------------


async def test_create_enrolment(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client)
    assert enrolment["student_id"] == student["id"]
    assert enrolment["cohort"] == 2020
    assert enrolment["status"] == "enrolled"
    assert enrolment["status_since"] == "2020-09-01"
    assert enrolment["graduation_date"] is None
    assert Decimal(str(enrolment["grant_share"])) == Decimal(1)

    assert await read(client, student, enrolment) == same(enrolment)

    entries = await history(client, student, enrolment)
    assert [(e["status"], e["effective_on"]) for e in entries] == [("enrolled", "2020-09-01")]


@pytest.mark.parametrize(
    ("start_date", "cohort"),
    [("2021-09-01", 2021), ("2023-01-15", 2023), ("2019-12-31", 2019)],
)
async def test_cohort_is_the_year_of_the_start_date(
    client: httpx.AsyncClient, start_date: str, cohort: int
) -> None:
    _, enrolment = await student_with_enrolment(client, start_date=start_date)
    assert enrolment["cohort"] == cohort


async def test_cohort_given_in_the_body_is_ignored(client: httpx.AsyncClient) -> None:
    _, enrolment = await student_with_enrolment(client, cohort=2030, status_since="2021-01-01")
    assert enrolment["cohort"] == 2020
    assert enrolment["status_since"] == "2021-01-01"


async def test_patch_start_date_moves_the_cohort(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client, status_since="2021-09-01")
    response = await patch_json(
        client, enrolment_path(student, enrolment), {"start_date": "2021-09-01"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["cohort"] == 2021
    assert (await client.get(enrolment_path(student, enrolment))).json()["cohort"] == 2021


async def test_patch_start_after_current_status_is_refused(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client)
    response = await patch_json(
        client, enrolment_path(student, enrolment), {"start_date": "2020-10-01"}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.start_date", "date_order")
    assert await read(client, student, enrolment) == same(enrolment)


async def test_list_enrolments_filters_by_status(client: httpx.AsyncClient) -> None:
    student, first = await student_with_enrolment(client)
    graduated = await change_status(client, student, first, "graduated", "2024-06-25")
    assert graduated.status_code == 201
    second = await create(
        client,
        f"/students/{student['id']}/enrolments",
        enrolment_body(
            first["institution_id"],
            start_date="2024-09-01",
            expected_graduation_date="2026-06-30",
            level="master",
        ),
    )
    all_ids = [e["id"] for e in await enrolments_of(client, student)]
    assert all_ids == [first["id"], second["id"]]
    response = await client.get(enrolment_path(student), params={"status": "graduated"})
    assert [e["id"] for e in response.json()["items"]] == [first["id"]]
    response = await client.get(enrolment_path(student), params={"status": "enrolled"})
    assert [e["id"] for e in response.json()["items"]] == [second["id"]]


# --- status history ----------------------------------------------------------------------------


async def test_graduation_sets_status_and_graduation_date(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client)
    response = await change_status(client, student, enrolment, "graduated", "2024-06-25")
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "graduated"
    assert response.json()["effective_on"] == "2024-06-25"

    after = (await client.get(enrolment_path(student, enrolment))).json()
    assert after["status"] == "graduated"
    assert after["graduation_date"] == "2024-06-25"
    assert after["status_since"] == "2024-06-25"

    entries = await history(client, student, enrolment)
    assert [(e["status"], e["effective_on"]) for e in entries] == [
        ("enrolled", "2020-09-01"),
        ("graduated", "2024-06-25"),
    ]


async def test_leave_and_return_then_graduate(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client)
    for status, day in [
        ("academic_leave", "2021-02-01"),
        ("enrolled", "2022-02-01"),
        ("graduated", "2025-06-25"),
    ]:
        response = await change_status(client, student, enrolment, status, day)
        assert response.status_code == 201, response.text
    entries = await history(client, student, enrolment)
    assert [e["status"] for e in entries] == [
        "enrolled",
        "academic_leave",
        "enrolled",
        "graduated",
    ]


@pytest.mark.parametrize(
    ("path", "target"),
    [
        (["graduated"], "enrolled"),
        (["graduated"], "academic_leave"),
        (["graduated"], "graduated"),
        (["expelled"], "enrolled"),
        (["transferred"], "graduated"),
        (["academic_leave"], "graduated"),
        ([], "enrolled"),
    ],
)
async def test_disallowed_transition_is_refused(
    client: httpx.AsyncClient, path: list[str], target: str
) -> None:
    student, enrolment = await student_with_enrolment(client)
    for status in path:
        response = await change_status(client, student, enrolment, status, "2024-06-25")
        assert response.status_code == 201, response.text
    before = await read(client, student, enrolment)
    response = await change_status(client, student, enrolment, target, "2024-07-01")
    assert response.status_code == 422
    assert only_error(response) == ("body.status", "status_transition")
    assert await read(client, student, enrolment) == before
    assert len(await history(client, student, enrolment)) == 1 + len(path)


async def test_change_before_the_current_status_is_refused(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client)
    leave = await change_status(client, student, enrolment, "academic_leave", "2022-02-01")
    assert leave.status_code == 201
    response = await change_status(client, student, enrolment, "enrolled", "2022-01-31")
    assert response.status_code == 422
    assert only_error(response) == ("body.effective_on", "date_order")
    after = (await client.get(enrolment_path(student, enrolment))).json()
    assert after["status"] == "academic_leave"
    assert after["status_since"] == "2022-02-01"


async def test_graduation_before_the_start_is_refused(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client)
    response = await change_status(client, student, enrolment, "graduated", "2020-08-31")
    assert response.status_code == 422
    assert only_error(response) == ("body.effective_on", "date_order")
    assert (await client.get(enrolment_path(student, enrolment))).json()["graduation_date"] is None


async def test_graduation_before_the_referral_is_refused(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client, referral_date="2024-05-20")
    response = await change_status(client, student, enrolment, "graduated", "2024-05-19")
    assert response.status_code == 422
    assert only_error(response) == ("body.effective_on", "referral_after_graduation")
    after = (await client.get(enrolment_path(student, enrolment))).json()
    assert after["status"] == "enrolled"
    assert after["graduation_date"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"status": "on_holiday", "effective_on": "2024-01-01"},
        {"status": "graduated"},
        {"status": "graduated", "effective_on": "2024-02-30"},
    ],
)
async def test_malformed_status_change_is_422(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    student, enrolment = await student_with_enrolment(client)
    path = enrolment_path(student, enrolment)
    response = await client.post(
        f"{path}/status-history", json=body, headers=await if_match(client, path)
    )
    assert response.status_code == 422
    assert all(e["field"].startswith("body.") for e in response.json()["errors"])
    assert len(await history(client, student, enrolment)) == 1


# --- creating in a later status ------------------------------------------------------------


async def test_create_as_graduated(client: httpx.AsyncClient) -> None:
    student, institution_id = await fresh_student(client)
    enrolment = await create(
        client,
        f"/students/{student['id']}/enrolments",
        enrolment_body(institution_id, status="graduated", graduation_date="2024-06-25"),
    )
    assert enrolment["status"] == "graduated"
    assert enrolment["status_since"] == "2024-06-25"
    entries = await history(client, student, enrolment)
    assert [(e["status"], e["effective_on"]) for e in entries] == [
        ("enrolled", "2020-09-01"),
        ("graduated", "2024-06-25"),
    ]


async def test_create_as_graduated_without_graduation_date_is_refused(
    client: httpx.AsyncClient,
) -> None:
    student, institution_id = await fresh_student(client)
    response = await client.post(
        enrolment_path(student), json=enrolment_body(institution_id, status="graduated")
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.graduation_date", "graduation_date_required")
    assert await enrolments_of(client, student) == []


@pytest.mark.parametrize("status", ["enrolled", "academic_leave", "expelled"])
async def test_graduation_date_without_graduating_is_refused(
    client: httpx.AsyncClient, status: str
) -> None:
    student, institution_id = await fresh_student(client)
    response = await client.post(
        enrolment_path(student),
        json=enrolment_body(institution_id, status=status, graduation_date="2024-06-25"),
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.graduation_date", "graduation_date_unexpected")
    assert await enrolments_of(client, student) == []


async def test_patch_graduation_date_of_an_open_enrolment_is_refused(
    client: httpx.AsyncClient,
) -> None:
    student, enrolment = await student_with_enrolment(client)
    response = await patch_json(
        client, enrolment_path(student, enrolment), {"graduation_date": "2024-06-25"}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.graduation_date", "graduation_date_unexpected")
    assert await read(client, student, enrolment) == same(enrolment)


async def test_status_since_before_the_start_is_refused(client: httpx.AsyncClient) -> None:
    student, institution_id = await fresh_student(client)
    response = await client.post(
        enrolment_path(student),
        json=enrolment_body(institution_id, status="academic_leave", status_since="2020-08-01"),
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.status_since", "date_order")
    assert await enrolments_of(client, student) == []


# --- programme rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("programme_id", "start_date"),
    [(3, "2015-09-01"), (3, "2018-09-01"), (1, "2013-09-01"), (2, "2012-09-01")],
)
async def test_programme_without_a_rule_for_the_cohort_is_refused(
    client: httpx.AsyncClient, programme_id: int, start_date: str
) -> None:
    student, institution_id = await fresh_student(client)
    response = await client.post(
        enrolment_path(student),
        json=enrolment_body(
            institution_id,
            programme_id=programme_id,
            start_date=start_date,
            expected_graduation_date="2024-06-30",
        ),
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.start_date", "no_rule_for_cohort")
    assert await enrolments_of(client, student) == []


async def test_bilikti_maman_cohort_with_a_rule_is_accepted(client: httpx.AsyncClient) -> None:
    _, enrolment = await student_with_enrolment(client, programme_id=3, start_date="2019-09-01")
    assert enrolment["programme_id"] == 3
    assert enrolment["cohort"] == 2019


async def test_patch_to_a_cohort_without_a_rule_is_refused(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(
        client, programme_id=3, start_date="2019-09-01"
    )
    response = await patch_json(
        client, enrolment_path(student, enrolment), {"start_date": "2018-09-01"}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.start_date", "no_rule_for_cohort")
    assert await read(client, student, enrolment) == same(enrolment)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("institution_id", 999_999),
        ("programme_id", 999_999),
        ("referral_employer_id", 999_999),
        ("referral_region_code", "KZ-99"),
    ],
)
async def test_unknown_reference_is_refused(
    client: httpx.AsyncClient, field: str, value: Any
) -> None:
    student, institution_id = await fresh_student(client)
    body = enrolment_body(institution_id)
    body[field] = value
    response = await client.post(enrolment_path(student), json=body)
    assert response.status_code == 422
    assert only_error(response) == (f"body.{field}", "unknown_reference")
    assert await enrolments_of(client, student) == []


async def test_referral_to_an_employer(client: httpx.AsyncClient) -> None:
    employer = await create(client, "/employers", employer_body())
    _, enrolment = await student_with_enrolment(
        client,
        referral_employer_id=employer["id"],
        referral_region_code="KZ-59",
        referral_date="2024-05-20",
    )
    assert enrolment["referral_employer_id"] == employer["id"]
    assert enrolment["referral_region_code"] == "KZ-59"
    assert enrolment["referral_date"] == "2024-05-20"


# --- one open enrolment ----------------------------------------------------------------------


@pytest.mark.parametrize("first_status", [None, "academic_leave"])
async def test_second_open_enrolment_is_a_conflict(
    client: httpx.AsyncClient, first_status: str | None
) -> None:
    student, enrolment = await student_with_enrolment(client)
    if first_status is not None:
        response = await change_status(client, student, enrolment, first_status, "2021-02-01")
        assert response.status_code == 201
    response = await client.post(
        enrolment_path(student),
        json=enrolment_body(enrolment["institution_id"], start_date="2021-09-01"),
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["id"] for e in await enrolments_of(client, student)] == [enrolment["id"]]


@pytest.mark.parametrize("ended", ["graduated", "expelled", "transferred"])
async def test_new_enrolment_after_the_last_one_ended(
    client: httpx.AsyncClient, ended: str
) -> None:
    student, enrolment = await student_with_enrolment(client)
    response = await change_status(client, student, enrolment, ended, "2022-06-30")
    assert response.status_code == 201
    second = await create(
        client,
        f"/students/{student['id']}/enrolments",
        enrolment_body(enrolment["institution_id"], start_date="2022-09-01"),
    )
    assert second["status"] == "enrolled"
    assert [e["id"] for e in await enrolments_of(client, student)] == [
        enrolment["id"],
        second["id"],
    ]


async def test_a_closed_enrolment_beside_an_open_one_is_fine(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client, start_date="2021-09-01")
    earlier = await create(
        client,
        f"/students/{student['id']}/enrolments",
        enrolment_body(
            enrolment["institution_id"],
            start_date="2019-09-01",
            expected_graduation_date="2021-06-30",
            status="expelled",
            status_since="2020-03-01",
        ),
    )
    assert earlier["status"] == "expelled"
    assert earlier["status_since"] == "2020-03-01"


# --- scoped to the student -------------------------------------------------------------------


async def test_enrolment_of_another_student_is_404(client: httpx.AsyncClient) -> None:
    owner, enrolment = await student_with_enrolment(client)
    other, _ = await student_with_enrolment(client)
    wrong = enrolment_path(other, enrolment)
    # The owner's ETag is sent along: only the wrong student in the path may cause the 404.
    etag = await if_match(client, enrolment_path(owner, enrolment))
    for response in [
        await client.get(wrong),
        await client.patch(wrong, json={"specialty_name": "Physics teacher"}, headers=etag),
        await client.get(f"{wrong}/status-history"),
        await client.post(
            f"{wrong}/status-history",
            json={"status": "graduated", "effective_on": "2024-06-25"},
            headers=etag,
        ),
    ]:
        assert response.status_code == 404
        assert response.json()["type"].endswith("/not-found")
    assert await read(client, owner, enrolment) == same(enrolment)


async def test_enrolments_of_an_unknown_student_are_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/students/999999/enrolments")
    assert response.status_code == 404


# --- grant share and dates -------------------------------------------------------------------


@pytest.mark.parametrize("share", ["0", "-0.5", "1.001", "1.5", "0.0001"])
async def test_grant_share_outside_zero_to_one_is_refused(
    client: httpx.AsyncClient, share: str
) -> None:
    student, institution_id = await fresh_student(client)
    response = await client.post(
        enrolment_path(student), json=enrolment_body(institution_id, grant_share=share)
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["body.grant_share"]
    assert await enrolments_of(client, student) == []


@pytest.mark.parametrize("share", ["0.5", "1", "0.001", "0.75"])
async def test_grant_share_inside_the_range_is_kept(client: httpx.AsyncClient, share: str) -> None:
    student, enrolment = await student_with_enrolment(client, grant_share=share)
    assert Decimal(str(enrolment["grant_share"])) == Decimal(share)
    fetched = (await client.get(enrolment_path(student, enrolment))).json()
    assert Decimal(str(fetched["grant_share"])) == Decimal(share)


async def test_patch_grant_share_out_of_range_leaves_it(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client, grant_share="0.5")
    response = await patch_json(client, enrolment_path(student, enrolment), {"grant_share": 2})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.grant_share"
    fetched = (await client.get(enrolment_path(student, enrolment))).json()
    assert Decimal(str(fetched["grant_share"])) == Decimal("0.5")


async def test_referral_after_graduation_is_refused(client: httpx.AsyncClient) -> None:
    student, institution_id = await fresh_student(client)
    response = await client.post(
        enrolment_path(student),
        json=enrolment_body(
            institution_id,
            status="graduated",
            graduation_date="2024-06-25",
            referral_date="2024-06-26",
        ),
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.referral_date", "referral_after_graduation")
    assert await enrolments_of(client, student) == []


async def test_patch_referral_after_graduation_is_refused(client: httpx.AsyncClient) -> None:
    student, enrolment = await student_with_enrolment(client)
    graduated = await change_status(client, student, enrolment, "graduated", "2024-06-25")
    assert graduated.status_code == 201
    before = await read(client, student, enrolment)
    response = await patch_json(
        client, enrolment_path(student, enrolment), {"referral_date": "2024-07-01"}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.referral_date", "referral_after_graduation")
    assert await read(client, student, enrolment) == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"expected_graduation_date": "2020-08-31"}, "body.expected_graduation_date"),
        ({"referral_date": "2020-08-01"}, "body.referral_date"),
        (
            {"status": "graduated", "graduation_date": "2020-06-30"},
            "body.graduation_date",
        ),
    ],
)
async def test_dates_before_the_start_are_refused(
    client: httpx.AsyncClient, overrides: dict[str, Any], field: str
) -> None:
    student, institution_id = await fresh_student(client)
    response = await client.post(
        enrolment_path(student), json=enrolment_body(institution_id, **overrides)
    )
    assert response.status_code == 422
    assert only_error(response) == (field, "date_order")
    assert await enrolments_of(client, student) == []


async def test_patch_expected_graduation_before_start_is_refused(
    client: httpx.AsyncClient,
) -> None:
    student, enrolment = await student_with_enrolment(client)
    response = await patch_json(
        client, enrolment_path(student, enrolment), {"expected_graduation_date": "2019-06-30"}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.expected_graduation_date", "date_order")
    assert await read(client, student, enrolment) == same(enrolment)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("annual_grant_cost", -1),
        ("annual_grant_cost", 100_000_001),
        ("level", "doctorate"),
        ("field", "arts"),
        ("specialty_code", ""),
        ("institution_id", 0),
    ],
)
async def test_out_of_range_fields_are_422(
    client: httpx.AsyncClient, field: str, value: Any
) -> None:
    student, institution_id = await fresh_student(client)
    body = enrolment_body(institution_id)
    body[field] = value
    response = await client.post(enrolment_path(student), json=body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [f"body.{field}"]
    assert await enrolments_of(client, student) == []


async def test_created_graduation_is_dated_by_the_graduation_date(
    client: httpx.AsyncClient,
) -> None:
    """The graduated entry of the history is the graduation date, as a status change makes it."""
    student, institution_id = await fresh_student(client)
    response = await client.post(
        enrolment_path(student),
        json=enrolment_body(
            institution_id,
            status="graduated",
            graduation_date="2024-06-25",
            status_since="2024-07-01",
        ),
    )
    if response.status_code == 422:
        assert response.json()["errors"][0]["field"] == "body.status_since"
        return
    assert response.status_code == 201, response.text
    enrolment = response.json()
    entries = await history(client, student, enrolment)
    assert entries[-1]["status"] == "graduated"
    assert entries[-1]["effective_on"] == enrolment["graduation_date"]
    assert enrolment["status_since"] == enrolment["graduation_date"]
