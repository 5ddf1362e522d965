"""The breach notice in the path (one of the student's own), and who reads an obligation."""

from datetime import date
from typing import Annotated

from fastapi import Depends

from service.auth.dependencies import PrincipalDep
from service.enums import UserRole
from service.kit.fields import IdPath
from service.kit.unit_of_work import SessionDep
from service.models.obligations import BreachNotice
from service.obligations import breach
from service.obligations.loader import region_names
from service.obligations.views import Reading
from service.students.dependencies import StudentDep


async def get_notice(session: SessionDep, student: StudentDep, notice_id: IdPath) -> BreachNotice:
    assert student.id is not None
    return await breach.get_notice(session, student.id, notice_id)


NoticeDep = Annotated[BreachNotice, Depends(get_notice)]


async def get_reading(session: SessionDep, principal: PrincipalDep, student: StudentDep) -> Reading:
    return Reading(
        by_student=principal.role == UserRole.student,
        consent=student.data_sharing_consent,
        region_names=await region_names(session),
        today=date.today(),
    )


ReadingDep = Annotated[Reading, Depends(get_reading)]
