from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from service.auth.dependencies import Allow, FinancialCenter, Reader
from service.auth.models import UserRole
from service.auth.principal import Principal
from service.concurrency import IfMatch, claim_version, set_etag
from service.db import SessionDep
from service.disputes import service
from service.disputes.models import Dispute, DisputeStatus
from service.disputes.schemas import DisputeCreate, DisputePublic, DisputeResolution
from service.errors import problem_responses
from service.evaluation import commit
from service.fields import IdPath
from service.pagination import Page, PageDep
from service.students.router import StudentDep

router = APIRouter(
    prefix="/students/{student_id}/disputes",
    tags=["disputes"],
    responses=problem_responses(401, 403, 404),
)
# The graduate or their career centre disputes; the Financial Center resolves.
Opener = Annotated[Principal, Allow(UserRole.admin, UserRole.career_centre, UserRole.student)]


async def _dispute(session: SessionDep, student: StudentDep, dispute_id: IdPath) -> Dispute:
    return await service.get_dispute(session, student, dispute_id)


DisputeDep = Annotated[Dispute, Depends(_dispute)]


@router.get("", summary="List a student's disputes")
async def list_disputes(
    session: SessionDep,
    _principal: Reader,
    student: StudentDep,
    page: PageDep,
    status: DisputeStatus | None = None,
) -> Page[DisputePublic]:
    rows, cursor = await service.list_page(session, student, page, status)
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
    dispute = await service.open_dispute(session, student, data, principal, date.today())
    await commit(session)
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
    await service.resolve(session, dispute, data, principal, date.today())
    await commit(session)
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
    await service.withdraw(session, dispute, principal, date.today())
    await commit(session)
    set_etag(response, dispute)
    return DisputePublic.model_validate(dispute)
