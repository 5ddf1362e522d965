"""A graduate's page for staff: profile, enrolments and their history, the obligation, the
ledger, the risks with their actions, the records with forms to add and correct them, and a
timeline of every change from the audit trail."""

from fastapi import Request, Response

from service.kit.fields import IdPath
from service.kit.unit_of_work import SessionDep
from service.ui.graduate_view import show_graduate
from service.ui.session import StaffPage, page_router

router = page_router()


@router.get("/students/{student_id}")
async def graduate_page(
    request: Request, session: SessionDep, principal: StaffPage, student_id: IdPath
) -> Response:
    return await show_graduate(request, session, principal, student_id)
