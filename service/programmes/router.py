from fastapi import Response, status
from pydantic import BaseModel, Field

from service.auth.dependencies import Admin, Reader
from service.kit.concurrency import IfMatch, claim_version, set_etag
from service.kit.errors import problem_responses
from service.kit.fields import example
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.models.programmes import Programme
from service.programmes import service as programmes_service
from service.programmes.dependencies import ProgrammeDep, RuleDep
from service.programmes.schemas import (
    ObligationRuleCreate,
    ObligationRulePublic,
    ProgrammeCreate,
    ProgrammePublic,
    ProgrammeUpdate,
)

router = Router(prefix="/programmes", tags=["programmes"], responses=problem_responses(401, 403))


class RuleClose(BaseModel):
    model_config = example({"cohort_to": 2025})

    cohort_to: int = Field(ge=2000, le=2100)


async def _public(session: SessionDep, programme: Programme) -> ProgrammePublic:
    return (await programmes_service.programmes_public(session, [programme]))[0]


async def _rule_public(
    session: SessionDep, programme_id: int, rule_id: int
) -> ObligationRulePublic:
    public = await programmes_service.rules_public(session, [programme_id])
    return next(r for r in public[programme_id] if r.id == rule_id)


@router.get(
    "",
    summary="List programmes with their obligation rules",
    description="Not paged: a handful of state-grant programmes exist.",
)
async def list_programmes(session: SessionDep, _principal: Reader) -> list[ProgrammePublic]:
    return await programmes_service.list_programmes(session)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a programme",
    responses=problem_responses(409),
)
async def create_programme(
    session: SessionDep, _admin: Admin, data: ProgrammeCreate, response: Response
) -> ProgrammePublic:
    programme = await programmes_service.create_programme(session, data)
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
    await programmes_service.update_programme(session, programme, data)
    set_etag(response, programme)
    return await _public(session, programme)


@router.post(
    "/{programme_id}/rules",
    status_code=status.HTTP_201_CREATED,
    summary="Add an obligation rule for a range of cohorts",
    responses=problem_responses(404),
)
async def create_rule(
    session: SessionDep,
    _admin: Admin,
    programme: ProgrammeDep,
    data: ObligationRuleCreate,
    response: Response,
) -> ObligationRulePublic:
    rule = await programmes_service.create_rule(session, programme, data)
    set_etag(response, rule)
    assert rule.id is not None
    return await _rule_public(session, rule.programme_id, rule.id)


@router.get(
    "/{programme_id}/rules/{rule_id}",
    summary="Get an obligation rule",
    responses=problem_responses(404),
)
async def get_rule(
    session: SessionDep, _principal: Reader, rule: RuleDep, response: Response
) -> ObligationRulePublic:
    set_etag(response, rule)
    assert rule.id is not None
    return await _rule_public(session, rule.programme_id, rule.id)


@router.patch(
    "/{programme_id}/rules/{rule_id}",
    summary="Close a rule at a last cohort",
    responses=problem_responses(404, 409, 412, 428),
)
async def close_rule(
    session: SessionDep,
    _admin: Admin,
    programme: ProgrammeDep,
    rule: RuleDep,
    data: RuleClose,
    response: Response,
    if_match: IfMatch = None,
) -> ObligationRulePublic:
    await claim_version(session, rule, if_match)
    await programmes_service.close_rule(session, programme, rule, data.cohort_to)
    set_etag(response, rule)
    assert rule.id is not None
    return await _rule_public(session, rule.programme_id, rule.id)
