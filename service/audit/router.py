from service.audit import service as audit_service
from service.audit.schemas import AuditEventPublic
from service.auth.dependencies import Staff
from service.kit.errors import problem_responses
from service.kit.pagination import Page, PageDep
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.students.dependencies import StudentDep

router = Router(tags=["audit"])


@router.get(
    "/students/{student_id}/history",
    summary="Every change to a student and everything under them, oldest first",
    responses=problem_responses(401, 403, 404),
)
async def student_history(
    session: SessionDep, _staff: Staff, student: StudentDep, page: PageDep
) -> Page[AuditEventPublic]:
    assert student.id is not None
    items, cursor = await audit_service.student_history(session, student.id, page)
    return Page(items=items, next_cursor=cursor)
