"""Programmes and their obligation rules: versions per cohort, closed, never rewritten."""

from typing import Any

import httpx
import pytest

from tests.factories import create, patch_json, student_with_enrolment

# The 11 Serpin host regions of the north, east and west (RULES.md; 0002_reference_data.py).
SERPIN_HOSTS = sorted(
    [
        "KZ-59",
        "KZ-63",
        "KZ-10",
        "KZ-55",
        "KZ-39",
        "KZ-11",
        "KZ-35",
        "KZ-62",
        "KZ-27",
        "KZ-15",
        "KZ-23",
    ]
)


def rule_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "cohort_from": 2026,
        "required_months": 24,
        "allowed_regions": ["KZ-59", "KZ-63"],
        "source": "test rule",
    }
    body.update(overrides)
    return body


async def programme_by_code(client: httpx.AsyncClient, code: str) -> dict[str, Any]:
    response = await client.get("/api/v1/programmes")
    assert response.status_code == 200
    matches = [p for p in response.json() if p["code"] == code]
    assert len(matches) == 1, response.text
    return matches[0]


async def test_programmes_list_the_seeded_schemes(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/programmes")
    assert response.status_code == 200
    programmes = {p["code"]: p for p in response.json()}
    assert {"serpin", "state_grant", "bilikti_maman"} <= set(programmes)

    serpin = programmes["serpin"]["rules"]
    assert [(r["cohort_from"], r["cohort_to"], r["required_months"]) for r in serpin] == [
        (2014, 2022, 36),
        (2023, None, 24),
    ]
    for rule in serpin:
        assert rule["allowed_regions"] == SERPIN_HOSTS
        assert rule["programme_id"] == programmes["serpin"]["id"]
        assert rule["start_deadline_month"] == 9
        assert rule["start_deadline_day"] == 1
        assert rule["source"]

    state = programmes["state_grant"]["rules"]
    assert [(r["cohort_from"], r["cohort_to"], r["required_months"]) for r in state] == [
        (2014, None, 36)
    ]
    assert len(state[0]["allowed_regions"]) == 20

    bilikti = programmes["bilikti_maman"]["rules"]
    assert [(r["cohort_from"], r["cohort_to"]) for r in bilikti] == [(2019, None)]
    assert bilikti[0]["allowed_regions"] == ["KZ-63"]


async def test_get_one_programme(client: httpx.AsyncClient) -> None:
    serpin = await programme_by_code(client, "serpin")
    response = await client.get(f"/api/v1/programmes/{serpin['id']}")
    assert response.status_code == 200
    assert response.json() == serpin


async def test_unknown_programme_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/programmes/999999")
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")


async def test_create_and_update_programme(client: httpx.AsyncClient) -> None:
    created = await create(
        client, "/programmes", {"code": "diplommen_auylga", "name": "Diplommen auylga"}
    )
    assert created["code"] == "diplommen_auylga"
    assert created["rules"] == []
    response = await patch_json(
        client, f"/api/v1/programmes/{created['id']}", {"description": "Rural housing loans"}
    )
    assert response.status_code == 200
    assert response.json()["description"] == "Rural housing loans"
    assert response.json()["name"] == "Diplommen auylga"
    listed = await programme_by_code(client, "diplommen_auylga")
    assert listed["description"] == "Rural housing loans"


async def test_duplicate_programme_code_is_409(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/programmes", json={"code": "serpin", "name": "Again"})
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    listing = await client.get("/api/v1/programmes")
    assert [p["code"] for p in listing.json()].count("serpin") == 1


@pytest.mark.parametrize(
    "code",
    [
        "a",
        "",
        "x" * 41,
        "Serpin2",
        "1abc",
        "with-dash",
    ],
)
async def test_bad_programme_code_is_422(client: httpx.AsyncClient, code: str) -> None:
    response = await client.post("/api/v1/programmes", json={"code": code, "name": "X"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.code"]
    listing = await client.get("/api/v1/programmes")
    assert code not in [p["code"] for p in listing.json()]


@pytest.mark.parametrize(
    ("cohort_from", "cohort_to"),
    [(2024, None), (2023, 2023), (2010, 2014), (2020, 2021), (2000, None)],
)
async def test_rule_overlapping_an_existing_cohort_range_is_refused(
    client: httpx.AsyncClient, cohort_from: int, cohort_to: int | None
) -> None:
    serpin = await programme_by_code(client, "serpin")
    response = await client.post(
        f"/api/v1/programmes/{serpin['id']}/rules",
        json=rule_body(cohort_from=cohort_from, cohort_to=cohort_to),
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["body.cohort_from"]
    assert errors[0]["code"] == "cohort_overlap"
    after = await programme_by_code(client, "serpin")
    assert after["rules"] == serpin["rules"]


async def test_close_rule_then_add_a_newer_one(client: httpx.AsyncClient) -> None:
    serpin = await programme_by_code(client, "serpin")
    open_rule = next(r for r in serpin["rules"] if r["cohort_to"] is None)
    base = f"/api/v1/programmes/{serpin['id']}/rules"

    closed = await patch_json(client, f"{base}/{open_rule['id']}", {"cohort_to": 2025})
    assert closed.status_code == 200, closed.text
    assert closed.json()["cohort_to"] == 2025
    assert closed.json()["cohort_from"] == open_rule["cohort_from"]
    assert closed.json()["allowed_regions"] == open_rule["allowed_regions"]

    newer = await client.post(base, json=rule_body(cohort_from=2026, required_months=30))
    assert newer.status_code == 201, newer.text
    rule = newer.json()
    assert rule["cohort_from"] == 2026
    assert rule["cohort_to"] is None
    assert rule["required_months"] == 30
    assert rule["allowed_regions"] == ["KZ-59", "KZ-63"]
    assert rule["programme_id"] == serpin["id"]

    after = await programme_by_code(client, "serpin")
    assert [(r["cohort_from"], r["cohort_to"]) for r in after["rules"]] == [
        (2014, 2022),
        (2023, 2025),
        (2026, None),
    ]


async def test_rule_for_a_new_programme(client: httpx.AsyncClient) -> None:
    programme = await create(client, "/programmes", {"code": "regional_x", "name": "Regional X"})
    response = await client.post(
        f"/api/v1/programmes/{programme['id']}/rules",
        json=rule_body(cohort_from=2020, allowed_regions=["KZ-63", "KZ-10", "KZ-63"]),
    )
    assert response.status_code == 201, response.text
    assert response.json()["allowed_regions"] == ["KZ-10", "KZ-63"]
    fetched = await client.get(f"/api/v1/programmes/{programme['id']}")
    assert [r["id"] for r in fetched.json()["rules"]] == [response.json()["id"]]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"allowed_regions": ["KZ-99"]}, "body.allowed_regions", "unknown_region"),
        ({"allowed_regions": []}, "body.allowed_regions", "too_short"),
        ({"required_months": 0}, "body.required_months", "greater_than_equal"),
        ({"cohort_from": 1999}, "body.cohort_from", "greater_than_equal"),
    ],
)
async def test_invalid_rule_is_refused(
    client: httpx.AsyncClient, overrides: dict[str, Any], field: str, code: str
) -> None:
    programme = await create(client, "/programmes", {"code": "regional_y", "name": "Regional Y"})
    response = await client.post(
        f"/api/v1/programmes/{programme['id']}/rules", json=rule_body(**overrides)
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert errors[0]["code"] == code
    fetched = await client.get(f"/api/v1/programmes/{programme['id']}")
    assert fetched.json()["rules"] == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"cohort_from": 2025, "cohort_to": 2024},
        {"start_deadline_month": 9, "start_deadline_day": 31},
        {"start_deadline_month": 2, "start_deadline_day": 29},
    ],
)
async def test_rule_with_impossible_values_is_refused(
    client: httpx.AsyncClient, overrides: dict[str, Any]
) -> None:
    programme = await create(client, "/programmes", {"code": "regional_z", "name": "Regional Z"})
    response = await client.post(
        f"/api/v1/programmes/{programme['id']}/rules", json=rule_body(**overrides)
    )
    assert response.status_code == 422
    fetched = await client.get(f"/api/v1/programmes/{programme['id']}")
    assert fetched.json()["rules"] == []


async def test_closing_a_rule_before_its_first_cohort_is_refused(
    client: httpx.AsyncClient,
) -> None:
    serpin = await programme_by_code(client, "serpin")
    open_rule = next(r for r in serpin["rules"] if r["cohort_to"] is None)
    response = await patch_json(
        client, f"/api/v1/programmes/{serpin['id']}/rules/{open_rule['id']}", {"cohort_to": 2022}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("body.cohort_to", "cohort_range")]
    after = await programme_by_code(client, "serpin")
    assert after["rules"] == serpin["rules"]


async def test_closing_a_rule_into_the_next_one_is_refused(client: httpx.AsyncClient) -> None:
    serpin = await programme_by_code(client, "serpin")
    closed_rule = next(r for r in serpin["rules"] if r["cohort_to"] == 2022)
    response = await patch_json(
        client, f"/api/v1/programmes/{serpin['id']}/rules/{closed_rule['id']}", {"cohort_to": 2024}
    )
    # Refused either as a rewrite of a closed rule (409) or as an overlap (422); an overlap
    # must name the field the PATCH sent, not cohort_from.
    assert response.status_code in (409, 422)
    if response.status_code == 422:
        errors = response.json()["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [("body.cohort_to", "cohort_overlap")]
    after = await programme_by_code(client, "serpin")
    assert after["rules"] == serpin["rules"]


async def test_closing_a_rule_of_another_programme_is_404(client: httpx.AsyncClient) -> None:
    serpin = await programme_by_code(client, "serpin")
    state = await programme_by_code(client, "state_grant")
    response = await patch_json(
        client,
        f"/api/v1/programmes/{state['id']}/rules/{serpin['rules'][1]['id']}",
        {"cohort_to": 2030},
    )
    assert response.status_code == 404
    after = await programme_by_code(client, "serpin")
    assert after["rules"] == serpin["rules"]


@pytest.mark.parametrize(
    ("cohort_to_of", "start_date", "new_cohort_to"),
    [(2022, "2020-09-01", 2016), (None, "2024-09-01", 2023)],
)
async def test_closing_a_rule_cannot_strand_enrolled_cohorts(
    client: httpx.AsyncClient, cohort_to_of: int | None, start_date: str, new_cohort_to: int
) -> None:
    _, enrolment = await student_with_enrolment(
        client, start_date=start_date, expected_graduation_date="2028-06-30"
    )
    assert enrolment["programme_id"] == 1
    serpin = await programme_by_code(client, "serpin")
    rule = next(r for r in serpin["rules"] if r["cohort_to"] == cohort_to_of)
    response = await patch_json(
        client,
        f"/api/v1/programmes/{serpin['id']}/rules/{rule['id']}",
        {"cohort_to": new_cohort_to},
    )
    assert response.status_code in (409, 422)
    after = await programme_by_code(client, "serpin")
    assert after["rules"] == serpin["rules"]


async def test_closing_a_rule_needs_its_current_version(client: httpx.AsyncClient) -> None:
    state = await programme_by_code(client, "state_grant")
    rule = state["rules"][-1]
    url = f"/api/v1/programmes/{state['id']}/rules/{rule['id']}"
    read = await client.get(url)
    assert read.status_code == 200
    assert read.headers["ETag"] == f'"{rule["version"]}"'
    missing = await client.patch(url, json={"cohort_to": 2030})
    assert missing.status_code == 428
    stale = await client.patch(url, json={"cohort_to": 2030}, headers={"If-Match": '"99"'})
    assert stale.status_code == 412
    assert (await client.get(url)).json()["cohort_to"] is None
    closed = await client.patch(
        url, json={"cohort_to": 2030}, headers={"If-Match": read.headers["ETag"]}
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["version"] == rule["version"] + 1
    assert closed.headers["ETag"] == f'"{rule["version"] + 1}"'
