"""The contract says what really happens: every status an operation may answer is documented,
every PATCH needs If-Match, 405 names what is allowed, and a number is never a date."""

import httpx
import pytest

from tests.factories import create, employer_body, student_with_enrolment


async def openapi(client: httpx.AsyncClient) -> dict:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document: dict = response.json()
    return document


async def test_every_patch_documents_its_preconditions(client: httpx.AsyncClient) -> None:
    patches = [
        (path, operation)
        for path, operations in (await openapi(client))["paths"].items()
        for method, operation in operations.items()
        if method == "patch"
    ]
    assert len(patches) >= 12
    for path, operation in patches:
        assert {"409", "412", "428"} <= set(operation["responses"]), path
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert "If-Match" in headers, path


async def test_every_write_documents_conflicts_and_limits(client: httpx.AsyncClient) -> None:
    for path, operations in (await openapi(client))["paths"].items():
        for method, operation in operations.items():
            if path.startswith("/api/") and method in ("post", "patch"):
                assert {"409", "413", "503"} <= set(operation["responses"]), (method, path)


async def test_405_says_what_is_allowed(client: httpx.AsyncClient) -> None:
    response = await client.delete("/api/v1/regions")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("value", ["0", "1700000000", "2025-1-5", "05.01.2025", "2025-01-05T00:00"])
async def test_a_date_in_a_query_is_written_iso(client: httpx.AsyncClient, value: str) -> None:
    student, _ = await student_with_enrolment(client)
    response = await client.get(
        f"/api/v1/students/{student['id']}/registrations", params={"active_on": value}
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("query.active_on", "date_format")
    assert "YYYY-MM-DD" in error["message"]


@pytest.mark.parametrize("value", [0, 1735689600, "2025/01/05"])
async def test_a_date_in_a_body_is_written_iso(client: httpx.AsyncClient, value: object) -> None:
    student, _ = await student_with_enrolment(client)
    employer = await create(client, "/employers", employer_body())
    response = await client.post(
        f"/api/v1/students/{student['id']}/employments",
        json={"employer_id": employer["id"], "start_date": value, "evidence_kind": "contract"},
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("body.start_date", "date_format")
