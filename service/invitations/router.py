"""``POST /students/{id}/invitation`` and ``/password-reset``: a one-time link for the graduate
to set a password. Served outside the idempotency store: a replayable response would keep the
link's secret in the database."""

from typing import Annotated

from fastapi import status

from service.auth.dependencies import Allow
from service.auth.principal import Principal
from service.invitations import service as invitations_service
from service.invitations.schemas import LinkCreated
from service.kit.errors import problem_responses
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.students.dependencies import StudentDep

router = Router(tags=["invitations"], responses=problem_responses(401, 403, 404, 409))
Inviter = Annotated[Principal, Allow(*invitations_service.INVITERS)]


@router.post(
    "/students/{student_id}/invitation",
    status_code=status.HTTP_201_CREATED,
    summary="Invite a graduate to self-service: a one-time link to set a password",
    description="For a graduate without an account (409 otherwise). The link's secret is "
    "shown this once; it serves once, until `expires_at`, and a newer link for the graduate "
    "replaces it. Opening it, the graduate sets a password and signs in with their IIN.",
)
async def invite(session: SessionDep, principal: Inviter, student: StudentDep) -> LinkCreated:
    issued = await invitations_service.issue(session, student, False, principal)
    url = invitations_service.link_url(issued.token)
    return LinkCreated(url=url, expires_at=issued.row.expires_at)


@router.post(
    "/students/{student_id}/password-reset",
    status_code=status.HTTP_201_CREATED,
    summary="Send a graduate a one-time link to set a new password",
    description="For a graduate with an active account (409 otherwise). Setting the new "
    "password ends every session and access token of the account. The link's secret is "
    "shown this once; it serves once, until `expires_at`, and a newer link replaces it.",
)
async def reset_password(
    session: SessionDep, principal: Inviter, student: StudentDep
) -> LinkCreated:
    issued = await invitations_service.issue(session, student, True, principal)
    url = invitations_service.link_url(issued.token)
    return LinkCreated(url=url, expires_at=issued.row.expires_at)
