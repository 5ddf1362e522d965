"""The caseload: the page career-centre staff live on."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request, Response

from service.caseload import service as caseload_service
from service.caseload.schemas import CaseloadFilters
from service.enrolments import service as enrolments_service
from service.enums import RISK_SEVERITIES, EnrolmentStatus
from service.kit.i18n import gettext as _
from service.kit.pagination import PageDep
from service.kit.unit_of_work import SessionDep
from service.labels import label
from service.organisations import service as organisations_service
from service.programmes import service as programmes_service
from service.ui.forms import from_query
from service.ui.session import StaffPage, page_router
from service.ui.templating import render
from service.ui.words import risk_label

router = page_router()


async def _choices(session: SessionDep, institution_id: int | None) -> dict[str, object]:
    """What the filters offer: the cohorts and programmes of the institution in view."""
    return {
        "cohorts": [(c, str(c)) for c in await enrolments_service.cohorts(session, institution_id)],
        "programmes": await programmes_service.programme_choices(session),
        "institutions": await organisations_service.institution_choices(session),
        "statuses": [(s.value, label(s)) for s in EnrolmentStatus],
        "severities": [(s.value, label(s)) for s in RISK_SEVERITIES],
        "codes": [(c, risk_label(c)) for c in caseload_service.LISTED_CODES],
    }


def _next_query(request: Request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor" and v]
    return urlencode([*kept, ("cursor", cursor)])


def query_filters(request: Request) -> CaseloadFilters:
    return from_query(
        CaseloadFilters, request.query_params, _("A filter has a value the list cannot use.")
    )


FiltersDep = Annotated[CaseloadFilters, Depends(query_filters)]


@router.get("/caseload")
async def caseload_page(
    request: Request,
    session: SessionDep,
    principal: StaffPage,
    page: PageDep,
    filters: FiltersDep,
) -> Response:
    if principal.sees_everything and not caseload_service.narrowed(filters):
        # The whole country is no list to page through: the page asks for a choice first.
        result, scope = None, None
    else:
        result = await caseload_service.caseload(session, principal, filters, page)
        scope = caseload_service.scope_institution(principal, filters)
    context = {
        "filters": filters,
        "result": result,
        "choices": await _choices(session, scope),
        "next_query": _next_query(request, result.next_cursor if result else None),
    }
    # htmx asks for the results alone when a filter changes; without it the whole page comes.
    partial = request.headers.get("HX-Request") == "true"
    return render(request, "_caseload_results.html" if partial else "caseload.html", context)
