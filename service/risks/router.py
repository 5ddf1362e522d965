from datetime import date
from typing import Annotated

from fastapi import Query

from service.auth.dependencies import Reader, Staff
from service.enums import UserRole
from service.kit.errors import problem_responses
from service.kit.fields import EARLIEST_DAY, LATEST_DAY, Day
from service.kit.pagination import Page, PageDep
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.risks import service as risks_service
from service.risks.dependencies import Filters
from service.risks.schemas import RiskFlagPublic, RiskSummary
from service.students.dependencies import StudentDep

router = Router(tags=["risks"], responses=problem_responses(401, 403))


@router.get(
    "/students/{student_id}/risks",
    responses=problem_responses(404),
    summary="A student's risk flags, evaluated as of a date",
    description="Most severe first. Not paged: evaluated live, a dozen flags at most.",
)
async def student_risks(
    session: SessionDep,
    principal: Reader,
    student: StudentDep,
    as_of: Annotated[
        Day | None, Query(ge=EARLIEST_DAY, le=LATEST_DAY, description="Default: today.")
    ] = None,
) -> list[RiskFlagPublic]:
    by_student = principal.role == UserRole.student
    return await risks_service.student_flags(session, student, as_of or date.today(), by_student)


@router.get("/risks", summary="Graduates at risk: most severe first, then nearest due date")
async def list_risks(
    session: SessionDep, principal: Staff, filters: Filters, page: PageDep
) -> Page[RiskFlagPublic]:
    items, cursor = await risks_service.list_page(session, principal, filters, page)
    return Page(items=items, next_cursor=cursor)


@router.get("/risks/summary", summary="Counts of risk flags by code and severity")
async def risks_summary(session: SessionDep, principal: Staff, filters: Filters) -> RiskSummary:
    return await risks_service.summary(session, principal, filters)
