"""The breach notice in the path, one of the student's own."""

from typing import Annotated

from fastapi import Depends

from service.kit.fields import IdPath
from service.kit.unit_of_work import SessionDep
from service.models.obligations import BreachNotice
from service.students.dependencies import StudentDep
from service.students.records import owned_or_404


async def get_notice(session: SessionDep, student: StudentDep, notice_id: IdPath) -> BreachNotice:
    return await owned_or_404(session, BreachNotice, notice_id, student.id, "breach notice")


NoticeDep = Annotated[BreachNotice, Depends(get_notice)]
