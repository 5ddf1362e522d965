"""The dispute in the path, one of the student's own."""

from typing import Annotated

from fastapi import Depends

from service.disputes import service as disputes_service
from service.kit.fields import IdPath
from service.kit.unit_of_work import SessionDep
from service.models.disputes import Dispute
from service.students.dependencies import StudentDep


async def get_dispute(session: SessionDep, student: StudentDep, dispute_id: IdPath) -> Dispute:
    return await disputes_service.get_dispute(session, student, dispute_id)


DisputeDep = Annotated[Dispute, Depends(get_dispute)]
