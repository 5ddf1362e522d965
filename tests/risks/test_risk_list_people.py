"""A caseload in one request: the risk list names the people and the places, and statistics
name their groups."""

import httpx

from tests.factories import institution_body, student_body, student_with_enrolment


async def test_the_risk_list_names_people_and_places(client: httpx.AsyncClient) -> None:
    body = student_body(last_name="Omarova", first_name="Dana", phone="+77011112233")
    created, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    # student_with_enrolment makes its own student; give it a known name and phone.
    url = f"/api/v1/students/{created['id']}"
    etag = (await client.get(url)).headers["ETag"]
    patch = {k: body[k] for k in ("last_name", "first_name", "phone")}
    assert (await client.patch(url, json=patch, headers={"If-Match": etag})).status_code == 200
    listed = (await client.get("/api/v1/risks", params={"limit": 500})).json()["items"]
    mine = [f for f in listed if f["student_id"] == created["id"]]
    assert mine
    flag = mine[0]
    assert flag["student_name"] == "Omarova Dana"
    assert flag["iin_masked"] == "********" + created["iin"][-4:]
    assert created["iin"] not in str(mine)
    assert flag["phone"] == "+77011112233"
    assert flag["institution_name"] == institution_body()["name"]
    assert flag["region_name"] == "North Kazakhstan Region"


async def test_statistics_name_their_groups(client: httpx.AsyncClient) -> None:
    await student_with_enrolment(client, status="graduated", graduation_date="2024-06-28")
    for group_by, name in (
        ("institution", institution_body()["name"]),
        ("region", "North Kazakhstan Region"),
        ("programme", "Serpin"),
        ("cohort", "2020 cohort"),
    ):
        stats = (await client.get("/api/v1/monitoring/stats", params={"group_by": group_by})).json()
        assert any(g["name"].startswith(name) for g in stats["groups"]), (group_by, stats)
