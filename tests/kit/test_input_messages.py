"""Input messages say what is expected."""

import httpx
import pytest

from tests.factories import create, employer_body, registration_body, student_with_enrolment


async def test_an_unknown_region_says_how_to_find_codes(client: httpx.AsyncClient) -> None:
    student, _ = await student_with_enrolment(client)
    response = await client.post(
        f"/api/v1/students/{student['id']}/registrations",
        json=registration_body(region_code="KZ-99"),
    )
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert "KZ-99" in message
    assert "GET /api/v1/regions" in message


@pytest.mark.parametrize(("header", "status"), [("1", 200), (" 1 ", 200), ('W/"1"', 200)])
async def test_a_bare_version_in_if_match_is_read_as_that_version(
    client: httpx.AsyncClient, header: str, status: int
) -> None:
    employer = await create(client, "/employers", employer_body())
    response = await client.patch(
        f"/api/v1/employers/{employer['id']}",
        json={"name": "School No. 8"},
        headers={"If-Match": header},
    )
    assert response.status_code == status, response.text


@pytest.mark.parametrize("header", ["abc", '"1", "2"', "*", '"x"'])
async def test_a_malformed_if_match_is_not_a_changed_record(
    client: httpx.AsyncClient, header: str
) -> None:
    employer = await create(client, "/employers", employer_body())
    response = await client.patch(
        f"/api/v1/employers/{employer['id']}",
        json={"name": "School No. 8"},
        headers={"If-Match": header},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Malformed If-Match"
    assert "changed" not in body["title"]
    assert body["errors"][0]["field"] == "header.If-Match"
