"""``/api/v1/me``: a signed-in graduate's own record, obligation, ledger and risks, without
knowing their id."""

from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from service.auth.dependencies import Allow
from service.auth.principal import Principal
from service.enums import UserRole
from service.graduates import access
from service.graduates.file import standing
from service.kit.errors import problem_responses
from service.kit.fields import EARLIEST_DAY, LATEST_DAY, Day
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.obligations.views import (
    LedgerPublic,
    ObligationPublic,
)
from service.risks.schemas import RiskFlagPublic
from service.students.schemas import StudentPublic

router = Router(tags=["me"], responses=problem_responses(401, 403))
StudentSelf = Annotated[Principal, Allow(UserRole.student)]


class Me(BaseModel):
    student: StudentPublic
    obligation: ObligationPublic | None = Field(description="Null until graduation.")
    ledger: LedgerPublic | None
    risks: list[RiskFlagPublic] = Field(description="Each with what to do about it.")


@router.get("/me", summary="My record, my obligation, my months and my risks")
async def me(
    session: SessionDep,
    principal: StudentSelf,
    as_of: Annotated[
        Day | None, Query(ge=EARLIEST_DAY, le=LATEST_DAY, description="Default: today.")
    ] = None,
) -> Me:
    student = await access.own(session, principal)
    today = date.today()
    mine = await standing(session, student, as_of or today, by_student=True, today=today)
    return Me(
        student=StudentPublic.model_validate(student),
        obligation=mine.obligation,
        ledger=mine.ledger,
        risks=mine.flags,
    )
