"""An employer is shared by every institution: only the account that registered it, or an
administrator, corrects it."""

import httpx

from service.enums import UserRole
from tests.factories import (
    create,
    employer_body,
    enrolment_body,
    housing_body,
    institution_body,
    registration_body,
    student_body,
)
from tests.support import MakeUser


async def test_only_the_registrant_or_an_admin_corrects_an_employer(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, make_user: MakeUser
) -> None:
    first = await create(client, "/institutions", institution_body())
    second = await create(client, "/institutions", institution_body(name="Pavlodar University"))
    registrant = await make_user(UserRole.career_centre, institution_id=first["id"])
    other = await make_user(UserRole.career_centre, institution_id=second["id"])
    created = await anonymous.post("/api/v1/employers", json=employer_body(), headers=registrant)
    assert created.status_code == 201
    employer = created.json()
    assert employer["registered_by_user_id"] is not None
    url = f"/api/v1/employers/{employer['id']}"

    async def rename(headers: dict[str, str], name: str) -> httpx.Response:
        etag = (await anonymous.get(url, headers=headers)).headers["ETag"]
        return await anonymous.patch(
            url, json={"name": name}, headers={**headers, "If-Match": etag}
        )

    refused = await rename(other, "Taken over")
    assert refused.status_code == 403
    assert (await anonymous.get(url, headers=other)).json()["name"] == employer["name"]
    assert (await rename(registrant, "School No. 8")).status_code == 200
    assert (await rename(dict(client.headers), "School No. 9")).status_code == 200


async def test_only_the_financial_center_verifies_evidence(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, make_user: MakeUser
) -> None:
    institution = await create(client, "/institutions", institution_body())
    career_centre = await make_user(UserRole.career_centre, institution_id=institution["id"])
    financial_center = await make_user(UserRole.financial_center)
    student = await create(client, "/students", student_body())
    await create(client, f"/students/{student['id']}/enrolments", enrolment_body(institution["id"]))
    for path, body in (("registrations", registration_body()), ("housing", housing_body())):
        record = await create(client, f"/students/{student['id']}/{path}", body)
        url = f"/api/v1/students/{student['id']}/{path}/{record['id']}"
        etag = (await client.get(url)).headers["ETag"]
        for who, expected in ((career_centre, 403), (financial_center, 200)):
            response = await anonymous.post(
                f"{url}/verification", json={"verified": True}, headers={**who, "If-Match": etag}
            )
            assert response.status_code == expected, (path, response.text)
