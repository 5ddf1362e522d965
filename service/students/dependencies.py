"""The student in the path: validated, scoped to the caller, and locked when the request
writes (every record of a student hangs under the student's row)."""

from typing import Annotated

from fastapi import Depends, Request

from service.auth.dependencies import PrincipalDep
from service.kit.errors import NotFound
from service.kit.fields import IdPath
from service.kit.i18n import _
from service.kit.unit_of_work import UnitOfWorkDep
from service.models.students import Student
from service.students import service as students_service

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_student(
    request: Request, uow: UnitOfWorkDep, principal: PrincipalDep, student_id: IdPath
) -> Student:
    """The student in the path, if this principal may read them; 404 otherwise, so that
    another institution's students do not even show that they exist.

    A write under a student takes the student's row lock here, before anything is inserted
    (see ``service.kit.unit_of_work``): every endpoint under ``/students/{id}`` that writes
    is serialised per student without having to remember it.
    """
    if request.method not in SAFE_METHODS:
        await uow.lock_students([student_id])
    student = await students_service.get_readable(uow.session, principal, student_id)
    if student is None:
        raise NotFound(_("No student %(student_id)s.") % {"student_id": student_id})
    return student


StudentDep = Annotated[Student, Depends(get_student)]
