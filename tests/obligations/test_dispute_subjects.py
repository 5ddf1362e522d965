"""What a graduate may dispute is decided by the service, once: a month of the ledger, an
open breach notice, a breach decision in force. The API refuses what the graduate's page
would never offer, with a problem code, and the page offers exactly what the API accepts."""

import httpx

from service.enums import UserRole
from service.kit.concurrency import etag
from tests.factories import at_risk_graduate, create, release_decision_body
from tests.support import MakeUser, only_error
from tests.ui.support import sign_in_as


def dispute(enrolment_id: int, subject: str, subject_id: int) -> dict:
    return {
        "enrolment_id": enrolment_id,
        "subject": subject,
        "subject_id": subject_id,
        "reason": "The decision is wrong: I work in the host region",
    }


async def test_a_withdrawn_notice_and_a_release_are_not_disputed(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, enrolment = await at_risk_graduate(client)
    sid, eid = student["id"], enrolment["id"]
    base = f"/api/v1/students/{sid}"
    withdrawn = await create(
        client, f"/students/{sid}/obligation/breach-notices", {"reason": "No work recorded"}
    )
    notice_url = f"{base}/obligation/breach-notices/{withdrawn['id']}"
    done = await client.post(
        f"{notice_url}/withdrawal", headers={"If-Match": etag(withdrawn["version"])}
    )
    assert done.status_code == 200, done.text
    open_notice = await create(
        client, f"/students/{sid}/obligation/breach-notices", {"reason": "Still no work"}
    )
    release = await create(client, f"/students/{sid}/release-decisions", release_decision_body(eid))

    for subject, subject_id in (
        ("breach_notice", withdrawn["id"]),
        ("release_decision", release["id"]),
    ):
        refused = await client.post(f"{base}/disputes", json=dispute(eid, subject, subject_id))
        assert refused.status_code == 422, refused.text
        assert only_error(refused) == ("body.subject_id", "not_disputable")
    assert (await client.get(f"{base}/disputes")).json()["items"] == []

    # The graduate's page offers the open notice alone, and the API takes it.
    sign_in_as(client, await make_user(UserRole.student, student_id=sid))
    page = await client.get("/app/me/months")
    assert page.status_code == 200
    assert f'name="subject_id" value="{open_notice["id"]}"' in page.text
    assert f'name="subject_id" value="{withdrawn["id"]}"' not in page.text
    admin = await make_user(UserRole.admin)
    client.cookies.clear()
    taken = await client.post(
        f"{base}/disputes", json=dispute(eid, "breach_notice", open_notice["id"]), headers=admin
    )
    assert taken.status_code == 201, taken.text
