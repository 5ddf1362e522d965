from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from service.auth.dependencies import Editor, Reader
from service.auth.models import UserRole
from service.auth.principal import Principal
from service.concurrency import IfMatch, claim_version, set_etag
from service.db import SessionDep
from service.enrolments import service
from service.enrolments.models import Enrolment, EnrolmentStatus
from service.enrolments.schemas import (
    EnrolmentCreate,
    EnrolmentPublic,
    EnrolmentUpdate,
    StatusChangeCreate,
    StatusChangePublic,
)
from service.errors import Forbidden, problem_responses
from service.evaluation import commit
from service.fields import IdPath
from service.pagination import Page, PageDep
from service.students.router import StudentDep

router = APIRouter(
    prefix="/students/{student_id}/enrolments",
    tags=["enrolments"],
    responses=problem_responses(401, 403, 404),
)


def own_institution_only(principal: Principal, institution_id: int) -> None:
    """A career centre enrols at, and changes enrolments of, its own institution only."""
    if principal.role == UserRole.career_centre and institution_id != principal.institution_id:
        raise Forbidden("A career centre acts only for its own institution.")


async def _enrolment(session: SessionDep, student: StudentDep, enrolment_id: IdPath) -> Enrolment:
    return await service.get_for_student(session, student, enrolment_id)


EnrolmentDep = Annotated[Enrolment, Depends(_enrolment)]


@router.get("", summary="List a student's enrolments")
async def list_enrolments(
    session: SessionDep,
    _principal: Reader,
    student: StudentDep,
    page: PageDep,
    status: EnrolmentStatus | None = None,
) -> Page[EnrolmentPublic]:
    rows, cursor = await service.list_page(session, page, student, status)
    return Page(items=[EnrolmentPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Enrol a student on a grant",
    responses=problem_responses(409),
)
async def create_enrolment(
    session: SessionDep,
    principal: Editor,
    student: StudentDep,
    data: EnrolmentCreate,
    response: Response,
) -> EnrolmentPublic:
    own_institution_only(principal, data.institution_id)
    enrolment = await service.create(session, student, data)
    await commit(session)
    set_etag(response, enrolment)
    return EnrolmentPublic.model_validate(enrolment)


@router.get("/{enrolment_id}", summary="Get an enrolment")
async def get_enrolment(
    _principal: Reader, enrolment: EnrolmentDep, response: Response
) -> EnrolmentPublic:
    set_etag(response, enrolment)
    return EnrolmentPublic.model_validate(enrolment)


@router.patch(
    "/{enrolment_id}",
    summary="Correct an enrolment (status changes separately)",
    responses=problem_responses(412, 428),
)
async def update_enrolment(
    session: SessionDep,
    principal: Editor,
    enrolment: EnrolmentDep,
    data: EnrolmentUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> EnrolmentPublic:
    own_institution_only(principal, enrolment.institution_id)
    if data.institution_id is not None:
        own_institution_only(principal, data.institution_id)
    await claim_version(session, enrolment, if_match)
    await service.update(session, enrolment, data)
    await commit(session)
    set_etag(response, enrolment)
    return EnrolmentPublic.model_validate(enrolment)


@router.get("/{enrolment_id}/status-history", summary="An enrolment's status history")
async def get_status_history(
    session: SessionDep, _principal: Reader, enrolment: EnrolmentDep
) -> list[StatusChangePublic]:
    rows = await service.status_history(session, enrolment)
    return [StatusChangePublic.model_validate(r) for r in rows]


@router.post(
    "/{enrolment_id}/status-history",
    status_code=status.HTTP_201_CREATED,
    summary="Record a status change (graduation, leave, expulsion, transfer)",
    responses=problem_responses(412, 428),
)
async def change_status(
    session: SessionDep,
    principal: Editor,
    enrolment: EnrolmentDep,
    data: StatusChangeCreate,
    response: Response,
    if_match: IfMatch = None,
) -> StatusChangePublic:
    own_institution_only(principal, enrolment.institution_id)
    await claim_version(session, enrolment, if_match)
    entry = await service.change_status(session, enrolment, data)
    await commit(session)
    set_etag(response, enrolment)
    return StatusChangePublic.model_validate(entry)
