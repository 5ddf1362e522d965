from sqlmodel import col, select

from service.audit.schemas import AuditEventPublic
from service.auth.dependencies import Staff
from service.kit.errors import problem_responses
from service.kit.pagination import Page, PageDep, paginate
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.models.audit import PRIVATE_ENTITIES, AuditEvent
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
    statement = select(AuditEvent).where(
        AuditEvent.student_id == student.id, col(AuditEvent.entity).not_in(PRIVATE_ENTITIES)
    )
    rows, cursor = await paginate(session, statement, page, [col(AuditEvent.id)])
    return Page(items=[AuditEventPublic.model_validate(r) for r in rows], next_cursor=cursor)
