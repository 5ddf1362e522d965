"""``GET /api/v1/caseload``: the list the workspace's caseload page shows, for other systems."""

from typing import Annotated

from fastapi import Query

from service.auth.dependencies import Staff
from service.caseload import service
from service.caseload.schemas import CaseloadFilters, CaseloadPage
from service.kit.errors import problem_responses
from service.kit.pagination import PageDep
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep

router = Router(tags=["caseload"], responses=problem_responses(401, 403))


@router.get(
    "/caseload",
    summary="Students and graduates in scope, worst risk first, then the nearest due date",
    description="A career centre sees its own institution; the Financial Center all of them "
    "(narrow by `institution_id`). `total` counts every match, on every page.",
)
async def get_caseload(
    session: SessionDep,
    principal: Staff,
    page: PageDep,
    filters: Annotated[CaseloadFilters, Query()],
) -> CaseloadPage:
    return await service.caseload(session, principal, filters, page)
