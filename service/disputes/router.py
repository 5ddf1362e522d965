from datetime import date
from typing import Annotated

from fastapi import Response, status

from service.auth.dependencies import Allow, FinancialCenter, Reader
from service.auth.principal import Principal
from service.disputes import service as disputes_service
from service.disputes.dependencies import DisputeDep
from service.disputes.schemas import DisputeCreate, DisputePublic, DisputeResolution
from service.enums import DisputeStatus, UserRole
from service.kit.concurrency import IfMatch, claim_version, set_etag
from service.kit.errors import problem_responses
from service.kit.pagination import Page, PageDep
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.students.dependencies import StudentDep

router = Router(
    prefix="/students/{student_id}/disputes",
    tags=["disputes"],
    responses=problem_responses(401, 403, 404),
)
# The graduate or their career centre disputes; the Financial Center resolves.
Opener = Annotated[Principal, Allow(UserRole.admin, UserRole.career_centre, UserRole.student)]


@router.get("", summary="List a student's disputes")
async def list_disputes(
    session: SessionDep,
    _principal: Reader,
    student: StudentDep,
    page: PageDep,
    status: DisputeStatus | None = None,
) -> Page[DisputePublic]:
    rows, cursor = await disputes_service.list_page(session, student, page, status)
    return Page(items=[DisputePublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
    summary="Dispute a ledger month or a decision (holds any breach and repayment)",
)
async def open_dispute(
    session: SessionDep,
    principal: Opener,
    student: StudentDep,
    data: DisputeCreate,
    response: Response,
) -> DisputePublic:
    dispute = await disputes_service.open_dispute(session, student, data, principal, date.today())
    set_etag(response, dispute)
    return DisputePublic.model_validate(dispute)


@router.get("/{dispute_id}", summary="Get a dispute")
async def get_dispute(_principal: Reader, dispute: DisputeDep, response: Response) -> DisputePublic:
    set_etag(response, dispute)
    return DisputePublic.model_validate(dispute)


@router.post(
    "/{dispute_id}/resolution",
    responses=problem_responses(409, 412, 428),
    summary="Resolve a dispute (upheld: in the graduate's favour)",
)
async def resolve_dispute(
    session: SessionDep,
    principal: FinancialCenter,
    dispute: DisputeDep,
    data: DisputeResolution,
    response: Response,
    if_match: IfMatch = None,
) -> DisputePublic:
    await claim_version(session, dispute, if_match)
    await disputes_service.resolve(session, dispute, data, principal, date.today())
    set_etag(response, dispute)
    return DisputePublic.model_validate(dispute)


@router.post(
    "/{dispute_id}/withdrawal",
    responses=problem_responses(409, 412, 428),
    summary="Withdraw a dispute (by whoever opened it)",
)
async def withdraw_dispute(
    session: SessionDep,
    principal: Opener,
    dispute: DisputeDep,
    response: Response,
    if_match: IfMatch = None,
) -> DisputePublic:
    await claim_version(session, dispute, if_match)
    await disputes_service.withdraw(session, dispute, principal, date.today())
    set_etag(response, dispute)
    return DisputePublic.model_validate(dispute)
