"""The enrolment in the path, one of the student's own."""

from typing import Annotated

from fastapi import Depends

from service.enrolments import service as enrolments_service
from service.kit.fields import IdPath
from service.kit.unit_of_work import SessionDep
from service.models.enrolments import Enrolment
from service.students.dependencies import StudentDep


async def get_enrolment(
    session: SessionDep, student: StudentDep, enrolment_id: IdPath
) -> Enrolment:
    return await enrolments_service.get_for_student(session, student, enrolment_id)


EnrolmentDep = Annotated[Enrolment, Depends(get_enrolment)]
