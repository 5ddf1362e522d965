from fastapi import Response, status

from service.auth.dependencies import Editor, Reader
from service.enrolments import service as enrolments_service
from service.enrolments.dependencies import EnrolmentDep
from service.enrolments.schemas import (
    EnrolmentCreate,
    EnrolmentPublic,
    EnrolmentUpdate,
    StatusChangeCreate,
    StatusChangePublic,
)
from service.enums import EnrolmentStatus
from service.kit.concurrency import IfMatch, claim_version, set_etag
from service.kit.errors import problem_responses
from service.kit.pagination import Page, PageDep
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.students.dependencies import StudentDep

router = Router(
    prefix="/students/{student_id}/enrolments",
    tags=["enrolments"],
    responses=problem_responses(401, 403, 404),
)


@router.get("", summary="List a student's enrolments")
async def list_enrolments(
    session: SessionDep,
    _principal: Reader,
    student: StudentDep,
    page: PageDep,
    status: EnrolmentStatus | None = None,
) -> Page[EnrolmentPublic]:
    rows, cursor = await enrolments_service.list_page(session, page, student, status)
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
    enrolments_service.require_own_institution(principal, data.institution_id)
    enrolment = await enrolments_service.create(session, student, data)
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
    enrolments_service.require_own_institution(principal, enrolment.institution_id)
    if data.institution_id is not None:
        enrolments_service.require_own_institution(principal, data.institution_id)
    await claim_version(session, enrolment, if_match)
    await enrolments_service.update(session, enrolment, data)
    set_etag(response, enrolment)
    return EnrolmentPublic.model_validate(enrolment)


@router.get(
    "/{enrolment_id}/status-history",
    summary="An enrolment's status history",
    description="Oldest first. Not paged: an enrolment changes status a handful of times.",
)
async def get_status_history(
    session: SessionDep, _principal: Reader, enrolment: EnrolmentDep
) -> list[StatusChangePublic]:
    rows = await enrolments_service.status_history(session, enrolment)
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
    await claim_version(session, enrolment, if_match)
    entry = await enrolments_service.change_status(session, enrolment, data, principal)
    set_etag(response, enrolment)
    return StatusChangePublic.model_validate(entry)
