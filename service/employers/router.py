from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from service.auth.dependencies import Admin, Editor, Reader
from service.concurrency import IfMatch, claim_version, set_etag
from service.crud import get_or_404
from service.db import SessionDep
from service.employers import service
from service.employers.models import Employer, SettlementKind
from service.employers.schemas import EmployerCreate, EmployerPublic, EmployerUpdate
from service.errors import problem_responses
from service.evaluation import commit
from service.fields import IdPath
from service.pagination import Page, PageDep

router = APIRouter(prefix="/employers", tags=["employers"], responses=problem_responses(401, 403))


async def _employer(session: SessionDep, employer_id: IdPath) -> Employer:
    return await get_or_404(session, Employer, employer_id, "employer")


EmployerDep = Annotated[Employer, Depends(_employer)]


@router.get("", summary="List employers")
async def list_employers(
    session: SessionDep,
    _principal: Reader,
    page: PageDep,
    region_code: Annotated[str | None, Query(max_length=8)] = None,
    settlement_kind: SettlementKind | None = None,
    bin: Annotated[str | None, Query(max_length=12)] = None,
    name: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
) -> Page[EmployerPublic]:
    rows, cursor = await service.list_page(session, page, region_code, settlement_kind, bin, name)
    return Page(items=[EmployerPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register an employer",
    responses=problem_responses(409),
)
async def create_employer(
    session: SessionDep, _principal: Editor, data: EmployerCreate, response: Response
) -> EmployerPublic:
    employer = await service.create(session, data)
    await commit(session)
    set_etag(response, employer)
    return EmployerPublic.model_validate(employer)


@router.get("/{employer_id}", summary="Get an employer", responses=problem_responses(404))
async def get_employer(
    _principal: Reader, employer: EmployerDep, response: Response
) -> EmployerPublic:
    set_etag(response, employer)
    return EmployerPublic.model_validate(employer)


@router.patch("/{employer_id}", summary="Update an employer", responses=problem_responses(404, 409))
async def update_employer(
    session: SessionDep,
    _admin: Admin,
    employer: EmployerDep,
    data: EmployerUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> EmployerPublic:
    await claim_version(session, employer, if_match)
    await service.update(session, employer, data)
    await commit(session)
    set_etag(response, employer)
    return EmployerPublic.model_validate(employer)
