"""``/api/v1/me``: a signed-in graduate's own record, obligation, ledger and risks, without
knowing their id."""

from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from service.auth.dependencies import Allow
from service.auth.principal import Principal
from service.enums import UserRole
from service.kit.errors import NotFound, problem_responses
from service.kit.fields import EARLIEST_DAY, LATEST_DAY, Day
from service.kit.i18n import _
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.models.students import Student
from service.obligations import service as obligations_service
from service.obligations.loader import region_names
from service.obligations.views import (
    LedgerPublic,
    ObligationPublic,
    Reading,
    ledger_public,
    obligation_public,
)
from service.risks import service as risks_service
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
    student = await session.get(Student, principal.student_id)
    if student is None:  # the account outlived its record
        raise NotFound(_("No student record is linked to this account."))
    day = as_of or date.today()
    reading = Reading(
        by_student=True,
        consent=student.data_sharing_consent,
        region_names=await region_names(session),
        today=date.today(),
    )
    try:
        result = await obligations_service.obligation(session, student, day)
        obligation, ledger = obligation_public(result, reading), ledger_public(result)
    except NotFound:
        obligation, ledger = None, None
    return Me(
        student=StudentPublic.model_validate(student),
        obligation=obligation,
        ledger=ledger,
        risks=await risks_service.student_flags(session, student, day, by_student=True),
    )
