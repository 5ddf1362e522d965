from fastapi import APIRouter
from sqlmodel import col, select

from service.audit.models import PRIVATE_ENTITIES, AuditEvent, AuditEventPublic
from service.auth.dependencies import Staff
from service.db import SessionDep
from service.errors import problem_responses
from service.pagination import Page, PageDep, paginate
from service.students.router import StudentDep

router = APIRouter(tags=["audit"])


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
