from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel, Field

from service.auth.dependencies import Admin, Reader
from service.concurrency import IfMatch, claim_version, set_etag
from service.db import SessionDep
from service.errors import problem_responses
from service.evaluation import commit
from service.fields import IdPath
from service.programmes import service
from service.programmes.models import Programme
from service.programmes.schemas import (
    ObligationRuleCreate,
    ObligationRulePublic,
    ProgrammeCreate,
    ProgrammePublic,
    ProgrammeUpdate,
)

router = APIRouter(prefix="/programmes", tags=["programmes"], responses=problem_responses(401, 403))


async def _programme(session: SessionDep, programme_id: IdPath) -> Programme:
    return await service.get_programme_or_404(session, programme_id)


ProgrammeDep = Annotated[Programme, Depends(_programme)]


class RuleClose(BaseModel):
    cohort_to: int = Field(ge=2000, le=2100)


async def _public(session: SessionDep, programme: Programme) -> ProgrammePublic:
    return (await service.programmes_public(session, [programme]))[0]


async def _rule_public(
    session: SessionDep, programme_id: int, rule_id: int
) -> ObligationRulePublic:
    public = await service.rules_public(session, [programme_id])
    return next(r for r in public[programme_id] if r.id == rule_id)


@router.get("", summary="List programmes with their obligation rules")
async def list_programmes(session: SessionDep, _principal: Reader) -> list[ProgrammePublic]:
    return await service.list_programmes(session)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a programme",
    responses=problem_responses(409),
)
async def create_programme(
    session: SessionDep, _admin: Admin, data: ProgrammeCreate, response: Response
) -> ProgrammePublic:
    programme = await service.create_programme(session, data)
    await commit(session)
    set_etag(response, programme)
    return await _public(session, programme)


@router.get("/{programme_id}", summary="Get a programme", responses=problem_responses(404))
async def get_programme(
    session: SessionDep, _principal: Reader, programme: ProgrammeDep, response: Response
) -> ProgrammePublic:
    set_etag(response, programme)
    return await _public(session, programme)


@router.patch(
    "/{programme_id}", summary="Update a programme", responses=problem_responses(404, 412, 428)
)
async def update_programme(
    session: SessionDep,
    _admin: Admin,
    programme: ProgrammeDep,
    data: ProgrammeUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> ProgrammePublic:
    await claim_version(session, programme, if_match)
    await service.update_programme(session, programme, data)
    await commit(session)
    set_etag(response, programme)
    return await _public(session, programme)


@router.post(
    "/{programme_id}/rules",
    status_code=status.HTTP_201_CREATED,
    summary="Add an obligation rule for a range of cohorts",
    responses=problem_responses(404),
)
async def create_rule(
    session: SessionDep, _admin: Admin, programme: ProgrammeDep, data: ObligationRuleCreate
) -> ObligationRulePublic:
    rule = await service.create_rule(session, programme, data)
    await commit(session)
    assert rule.id is not None
    return await _rule_public(session, rule.programme_id, rule.id)


@router.patch(
    "/{programme_id}/rules/{rule_id}",
    summary="Close a rule at a last cohort",
    responses=problem_responses(404),
)
async def close_rule(
    session: SessionDep, _admin: Admin, programme: ProgrammeDep, rule_id: IdPath, data: RuleClose
) -> ObligationRulePublic:
    rule = await service.close_rule(session, programme, rule_id, data.cohort_to)
    await commit(session)
    assert rule.id is not None
    return await _rule_public(session, rule.programme_id, rule.id)
