from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from service.auth.dependencies import Reader, Staff
from service.enums import Severity
from service.kit.errors import problem_responses
from service.kit.fields import EARLIEST_DAY, LATEST_DAY, MAX_ID
from service.kit.pagination import Page, PageDep
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.risks import service as risks_service
from service.risks.schemas import RiskFilters, RiskFlagPublic, RiskSummary
from service.students.dependencies import StudentDep

router = Router(tags=["risks"], responses=problem_responses(401, 403))


def risk_filters(
    institution_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    region_code: Annotated[str | None, Query(max_length=8)] = None,
    programme_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    cohort: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    code: Annotated[str | None, Query(max_length=60)] = None,
    severity: Severity | None = None,
) -> RiskFilters:
    return RiskFilters(
        institution_id=institution_id,
        region_code=region_code,
        programme_id=programme_id,
        cohort=cohort,
        code=code,
        severity=severity,
    )


Filters = Annotated[RiskFilters, Depends(risk_filters)]


@router.get(
    "/students/{student_id}/risks",
    responses=problem_responses(404),
    summary="A student's risk flags, evaluated as of a date",
    description="Most severe first. Not paged: evaluated live, a dozen flags at most.",
)
async def student_risks(
    session: SessionDep,
    _principal: Reader,
    student: StudentDep,
    as_of: Annotated[
        date | None, Query(ge=EARLIEST_DAY, le=LATEST_DAY, description="Default: today.")
    ] = None,
) -> list[RiskFlagPublic]:
    return await risks_service.student_flags(session, student, as_of or date.today())


@router.get("/risks", summary="Graduates at risk: most severe first, then nearest due date")
async def list_risks(
    session: SessionDep, principal: Staff, filters: Filters, page: PageDep
) -> Page[RiskFlagPublic]:
    rows, cursor = await risks_service.list_page(session, principal, filters, page)
    return Page(
        items=[RiskFlagPublic.model_validate(r, from_attributes=True) for r in rows],
        next_cursor=cursor,
    )


@router.get("/risks/summary", summary="Counts of risk flags by code and severity")
async def risks_summary(session: SessionDep, principal: Staff, filters: Filters) -> RiskSummary:
    return await risks_service.summary(session, principal, filters)
