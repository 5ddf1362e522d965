"""The Financial Center's decisions from a graduate's page: a release decision, a breach notice,
a dispute resolved; a career centre sees them but may not make them."""

import httpx

from service.enums import UserRole
from tests.factories import at_risk_graduate, release_decision_body
from tests.support import MakeUser
from tests.ui.support import form, sign_in_as, text


async def test_the_financial_center_records_a_release_decision(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    admin = dict(client.headers)
    student, enrolment = await at_risk_graduate(client)
    body = release_decision_body(enrolment["id"], decided_on="2024-07-15")
    url = f"/app/students/{student['id']}/records/release-decisions"

    sign_in_as(
        client, await make_user(UserRole.career_centre, institution_id=enrolment["institution_id"])
    )
    page = await client.get(f"/app/students/{student['id']}")
    assert 'action="/app/students/' + str(student["id"]) + '/records/release-decisions"' not in (
        page.text
    ), "a career centre is not offered the form"
    assert (await client.post(url, data=form(**body))).status_code == 403

    sign_in_as(client, await make_user(UserRole.financial_center))
    done = await client.post(url, data=form(**body))
    assert done.status_code == 303, text(done.text)
    obligation = await client.get(f"/api/v1/students/{student['id']}/obligation", headers=admin)
    assert obligation.json()["status"] == "released"
    page = await client.get(f"/app/students/{student['id']}")
    assert "AC-2024/117" in page.text


async def test_notice_then_dispute_resolved_in_the_graduates_favour(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    admin = dict(client.headers)
    student, enrolment = await at_risk_graduate(client)
    sid = student["id"]
    sign_in_as(client, await make_user(UserRole.financial_center))
    empty = await client.post(f"/app/students/{sid}/breach-notices", data=form())
    assert empty.status_code == 422
    assert 'id="notice-reason-error"' in empty.text
    issued = await client.post(
        f"/app/students/{sid}/breach-notices",
        data=form(reason="No credited work for two years"),
    )
    assert issued.status_code == 303, text(issued.text)
    notices = (
        await client.get(f"/api/v1/students/{sid}/obligation/breach-notices", headers=admin)
    ).json()
    assert [n["status"] for n in notices] == ["open"]

    early = await client.post(
        f"/app/students/{sid}/breach-decisions",
        data=form(notice_id=notices[0]["id"], decision_number="BR-1"),
    )
    assert early.status_code == 409
    assert "The notice period runs until" in text(early.text)

    reporter = await make_user(UserRole.student, student_id=sid)
    opened = await client.post(
        f"/api/v1/students/{sid}/disputes",
        headers=reporter,
        json={
            "enrolment_id": enrolment["id"],
            "subject": "breach_notice",
            "subject_id": notices[0]["id"],
            "reason": "I work at a school in Bulaevo since September",
        },
    )
    assert opened.status_code == 201, opened.text
    resolved = await client.post(
        f"/app/students/{sid}/disputes/{opened.json()['id']}/resolution",
        data=form(version=1, outcome="upheld", note="The school confirmed the job"),
    )
    assert resolved.status_code == 303, text(resolved.text)
    notices = (
        await client.get(f"/api/v1/students/{sid}/obligation/breach-notices", headers=admin)
    ).json()
    assert [n["status"] for n in notices] == ["withdrawn"]
