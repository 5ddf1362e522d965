from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field

from service.db import SessionDep
from service.errors import problem_responses
from service.programmes import service
from service.programmes.models import Programme
from service.programmes.schemas import (
    ObligationRuleCreate,
    ObligationRulePublic,
    ProgrammeCreate,
    ProgrammePublic,
    ProgrammeUpdate,
)

router = APIRouter(prefix="/programmes", tags=["programmes"])


async def _programme(session: SessionDep, programme_id: int) -> Programme:
    return await service.get_programme_or_404(session, programme_id)


ProgrammeDep = Annotated[Programme, Depends(_programme)]


class RuleClose(BaseModel):
    cohort_to: int = Field(ge=2000, le=2100)


async def _public(session: SessionDep, programme: Programme) -> ProgrammePublic:
    return (await service.programmes_public(session, [programme]))[0]


@router.get("", summary="List programmes with their obligation rules")
async def list_programmes(session: SessionDep) -> list[ProgrammePublic]:
    return await service.list_programmes(session)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a programme",
    responses=problem_responses(409),
)
async def create_programme(session: SessionDep, data: ProgrammeCreate) -> ProgrammePublic:
    programme = await service.create_programme(session, data)
    await session.commit()
    return await _public(session, programme)


@router.get("/{programme_id}", summary="Get a programme", responses=problem_responses(404))
async def get_programme(session: SessionDep, programme: ProgrammeDep) -> ProgrammePublic:
    return await _public(session, programme)


@router.patch("/{programme_id}", summary="Update a programme", responses=problem_responses(404))
async def update_programme(
    session: SessionDep, programme: ProgrammeDep, data: ProgrammeUpdate
) -> ProgrammePublic:
    await service.update_programme(session, programme, data)
    await session.commit()
    return await _public(session, programme)


@router.post(
    "/{programme_id}/rules",
    status_code=status.HTTP_201_CREATED,
    summary="Add an obligation rule for a range of cohorts",
    responses=problem_responses(404),
)
async def create_rule(
    session: SessionDep, programme: ProgrammeDep, data: ObligationRuleCreate
) -> ObligationRulePublic:
    rule = await service.create_rule(session, programme, data)
    await session.commit()
    public = await service.rules_public(session, [rule.programme_id])
    return next(r for r in public[rule.programme_id] if r.id == rule.id)


@router.patch(
    "/{programme_id}/rules/{rule_id}",
    summary="Close a rule at a last cohort",
    responses=problem_responses(404),
)
async def close_rule(
    session: SessionDep, programme: ProgrammeDep, rule_id: int, data: RuleClose
) -> ObligationRulePublic:
    rule = await service.close_rule(session, programme, rule_id, data.cohort_to)
    await session.commit()
    public = await service.rules_public(session, [rule.programme_id])
    return next(r for r in public[rule.programme_id] if r.id == rule.id)
