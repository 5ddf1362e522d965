"""The caseload: scope, order (worst risk, then the nearest due date), search, filters, keyset
paging and the count, on both databases."""

from datetime import date
from typing import Any

import httpx

from service.enums import PRIORITY, Severity, UserRole
from tests.factories import (
    at_risk_graduate,
    create,
    employer_body,
    employment_body,
    registration_body,
)
from tests.support import MakeUser


async def _all(client: httpx.AsyncClient, **params: Any) -> tuple[list[dict[str, Any]], int]:
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = params | ({"cursor": cursor} if cursor else {}) | {"limit": 2}
        page = await client.get("/api/v1/caseload", params=query)
        assert page.status_code == 200, page.text
        body = page.json()
        rows += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return rows, body["total"]


def _key(row: dict[str, Any]) -> tuple[int, date, int]:
    worst = PRIORITY[Severity(row["worst_severity"])] if row["worst_severity"] else 99
    due = date.fromisoformat(row["next_due"]) if row["next_due"] else date.max
    return worst, due, row["enrolment_id"]


async def test_the_caseload_is_worst_first_paged_counted_and_scoped(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    graduates = [await at_risk_graduate(client) for _ in range(4)]
    # The second graduate works and is registered in the host region: fewer, milder risks.
    employer = await create(client, "/employers", employer_body())
    calm, _calm_enrolment = graduates[1]
    calm_id = calm["id"]
    await create(client, f"/students/{calm_id}/employments", employment_body(employer["id"]))
    await create(client, f"/students/{calm_id}/registrations", registration_body())

    # The Financial Center reads the country through a search (every graduate here is an
    # Akhmetova), or one institution at a time.
    rows, total = await _all(client, search="akhm")
    assert total == len(rows) == 4
    assert len({r["enrolment_id"] for r in rows}) == 4, "no row twice across pages"
    assert [_key(r) for r in rows] == sorted(_key(r) for r in rows)
    for row in rows:
        assert row["iin_masked"].startswith("********")
        assert len(row["iin_masked"]) == 12
        codes = [f["code"] for f in row["risks"]]
        assert "start_deadline_near" not in codes, "reminders are not risks"
        if row["risks"]:
            assert row["worst_severity"] == row["risks"][0]["severity"]

    iin = calm["iin"]
    found, count = await _all(client, search=iin[-4:])
    assert {r["student_id"] for r in found} >= {calm_id}
    assert count == len(found)
    exact, _ = await _all(client, search=iin)
    assert {r["student_id"] for r in exact} == {calm_id}
    by_name, _ = await _all(client, search=calm["last_name"][:3].lower())
    assert calm_id in {r["student_id"] for r in by_name}

    code = rows[0]["risks"][0]["code"]
    flagged, _ = await _all(client, code=code, search="akhm")
    expected = {r["enrolment_id"] for r in rows if code in [f["code"] for f in r["risks"]]}
    assert flagged
    assert {r["enrolment_id"] for r in flagged} == expected
    grave, _ = await _all(client, severity=rows[0]["worst_severity"], search="akhm")
    assert {r["enrolment_id"] for r in grave} == {
        r["enrolment_id"]
        for r in rows
        if rows[0]["worst_severity"] in [f["severity"] for f in r["risks"]]
    }

    # A career centre sees its own institution only, whatever it asks for.
    own = graduates[0][1]["institution_id"]
    client.headers.update(await make_user(UserRole.career_centre, institution_id=own))
    mine, mine_total = await _all(client, institution_id=graduates[2][1]["institution_id"])
    assert {r["institution_id"] for r in mine} == {own}
    assert mine_total == 1


async def test_a_bad_filter_is_a_clear_422(client: httpx.AsyncClient) -> None:
    for params in ({"cohort": "last"}, {"severity": "dire"}, {"search": "x" * 101}):
        response = await client.get("/api/v1/caseload", params=params)
        assert response.status_code == 422, params


async def test_the_whole_country_is_no_caseload(client: httpx.AsyncClient) -> None:
    student, enrolment = await at_risk_graduate(client)
    refused = await client.get("/api/v1/caseload")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "scope_too_wide"
    one = await client.get(
        "/api/v1/caseload", params={"institution_id": enrolment["institution_id"]}
    )
    assert [r["student_id"] for r in one.json()["items"]] == [student["id"]]
    found = await client.get("/api/v1/caseload", params={"search": student["iin"]})
    assert [r["student_id"] for r in found.json()["items"]] == [student["id"]]
