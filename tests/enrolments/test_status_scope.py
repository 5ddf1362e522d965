"""A career centre changes the status of its own institution's enrolments only: the service
refuses any other, whether the change comes from the API, a page or a direct call."""

from datetime import date
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import ROLE_SCOPES, Principal
from service.enrolments import service as enrolments_service
from service.enrolments.schemas import StatusChangeCreate
from service.enums import UserRole
from service.kit.errors import Forbidden
from service.models.enrolments import Enrolment
from tests.factories import (
    at_risk_graduate,
    create,
    enrolment_body,
    if_match,
    institution_body,
    valid_bin,
)
from tests.support import MakeUser
from tests.ui.support import form, sign_in_as


async def two_institutions(client: httpx.AsyncClient) -> tuple[dict[str, Any], dict, dict]:
    """A graduate of a first institution, enrolled since at a second."""
    student, mine = await at_risk_graduate(client)
    other = await create(
        client,
        "/institutions",
        institution_body(name="Other college", bin=valid_bin(date(2007, 4, 2))),
    )
    theirs = await create(
        client,
        f"/students/{student['id']}/enrolments",
        enrolment_body(other["id"], start_date="2024-09-01", expected_graduation_date="2026-06-30"),
    )
    return student, mine, theirs


async def test_another_institutions_status_is_refused_whatever_the_caller(
    client: httpx.AsyncClient, make_user: MakeUser, session: AsyncSession
) -> None:
    student, mine, theirs = await two_institutions(client)
    centre = await make_user(UserRole.career_centre, institution_id=mine["institution_id"])
    url = f"/api/v1/students/{student['id']}/enrolments/{theirs['id']}"
    change = {"status": "expelled", "effective_on": "2024-01-10"}

    api = await client.post(
        f"{url}/status-history", json=change, headers=centre | await if_match(client, url)
    )
    assert api.status_code == 403, api.text

    version = (await client.get(url)).json()["version"]
    sign_in_as(client, centre)
    page = await client.get(f"/app/students/{student['id']}")
    assert page.status_code == 200
    assert f'/enrolments/{theirs["id"]}/status"' not in page.text, "no form for the other's"
    posted = await client.post(
        f"/app/students/{student['id']}/enrolments/{theirs['id']}/status",
        data=form(version=version, **change),
    )
    assert posted.status_code == 403

    enrolment = await session.get(Enrolment, theirs["id"])
    assert enrolment is not None
    principal = Principal(
        user_id=1,
        username="centre",
        role=UserRole.career_centre,
        institution_id=mine["institution_id"],
        student_id=None,
        scopes=ROLE_SCOPES[UserRole.career_centre],
    )
    with pytest.raises(Forbidden):
        await enrolments_service.change_status(
            session, enrolment, StatusChangeCreate.model_validate(change), principal
        )
    assert enrolment.status.value == "enrolled"

    # The other institution's own career centre is offered the form, and may use it.
    sign_in_as(
        client, await make_user(UserRole.career_centre, institution_id=theirs["institution_id"])
    )
    page = await client.get(f"/app/students/{student['id']}")
    assert f'/enrolments/{theirs["id"]}/status"' in page.text
