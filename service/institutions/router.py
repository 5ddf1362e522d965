from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from service.auth.dependencies import Admin, Reader
from service.concurrency import IfMatch, claim_version, set_etag
from service.crud import get_or_404
from service.db import SessionDep
from service.errors import problem_responses
from service.evaluation import commit
from service.fields import IdPath
from service.institutions import service
from service.institutions.models import Institution, InstitutionKind
from service.institutions.schemas import InstitutionCreate, InstitutionPublic, InstitutionUpdate
from service.pagination import Page, PageDep

router = APIRouter(
    prefix="/institutions", tags=["institutions"], responses=problem_responses(401, 403)
)


async def _institution(session: SessionDep, institution_id: IdPath) -> Institution:
    return await get_or_404(session, Institution, institution_id, "institution")


InstitutionDep = Annotated[Institution, Depends(_institution)]


@router.get("", summary="List institutions")
async def list_institutions(
    session: SessionDep,
    _principal: Reader,
    page: PageDep,
    region_code: Annotated[str | None, Query(max_length=8)] = None,
    kind: InstitutionKind | None = None,
    name: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
) -> Page[InstitutionPublic]:
    rows, cursor = await service.list_page(session, page, region_code, kind, name)
    return Page(items=[InstitutionPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register an institution",
    responses=problem_responses(409),
)
async def create_institution(
    session: SessionDep, _admin: Admin, data: InstitutionCreate, response: Response
) -> InstitutionPublic:
    institution = await service.create(session, data)
    await commit(session)
    set_etag(response, institution)
    return InstitutionPublic.model_validate(institution)


@router.get("/{institution_id}", summary="Get an institution", responses=problem_responses(404))
async def get_institution(
    _principal: Reader, institution: InstitutionDep, response: Response
) -> InstitutionPublic:
    set_etag(response, institution)
    return InstitutionPublic.model_validate(institution)


@router.patch(
    "/{institution_id}", summary="Update an institution", responses=problem_responses(404, 409)
)
async def update_institution(
    session: SessionDep,
    _admin: Admin,
    institution: InstitutionDep,
    data: InstitutionUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> InstitutionPublic:
    await claim_version(session, institution, if_match)
    await service.update(session, institution, data)
    await commit(session)
    set_etag(response, institution)
    return InstitutionPublic.model_validate(institution)
