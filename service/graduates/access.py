"""Who may open a graduate's file or write under it, and the records the file keeps."""

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.employment.service import spec as employment_spec
from service.enums import UserRole
from service.housing.service import application_spec, arrangement_spec
from service.kit.errors import NotFound
from service.kit.i18n import gettext as _
from service.kit.unit_of_work import UnitOfWork
from service.models.students import Student
from service.obligations.records import release_spec, suspension_spec
from service.residence.service import spec as registration_spec
from service.students import service as students_service
from service.students.records import StudentRecordSpec

# The records a graduate's file lists and its forms edit, by the path segment of their forms.
RECORD_SPECS: dict[str, StudentRecordSpec[Any, Any]] = {
    s.path: s
    for s in (
        employment_spec,
        registration_spec,
        arrangement_spec,
        application_spec,
        suspension_spec,
        release_spec,
    )
}
# The records whose verification a graduate follows on their own obligation page.
FOLLOWED: tuple[StudentRecordSpec[Any, Any], ...] = (
    employment_spec,
    registration_spec,
    arrangement_spec,
)
# What a graduate reports themselves, by path segment: the specs say so.
SELF_REPORTED: dict[str, StudentRecordSpec[Any, Any]] = {
    s.path: s
    for s in (registration_spec, arrangement_spec)
    if s.self_reportable and UserRole.student in s.write_roles
}


def record_spec(kind: str, specs: dict[str, StudentRecordSpec[Any, Any]]) -> Any:
    spec = specs.get(kind)
    if spec is None:
        raise NotFound(_("No such kind of record."))
    return spec


async def readable(session: AsyncSession, principal: Principal, student_id: int) -> Student:
    """The student, if the user may see them: another institution's student is not found."""
    student = await students_service.get_readable(session, principal, student_id)
    if student is None:
        raise NotFound(_("No such student in your scope."))
    return student


async def writable(uow: UnitOfWork, principal: Principal, student_id: int) -> Student:
    """The student a write goes under, locked first (the write path's rule), if in scope."""
    await uow.lock_students([student_id])
    return await readable(uow.session, principal, student_id)


async def own(session: AsyncSession, principal: Principal) -> Student:
    """The signed-in graduate's own record."""
    student = await session.get(Student, principal.student_id)
    if student is None:  # the account outlived its record
        raise NotFound(_("No student record is linked to this account."))
    return student


async def own_writable(uow: UnitOfWork, principal: Principal) -> Student:
    """The signed-in graduate's own record, locked first for a write."""
    await uow.lock_students([principal.student_id or 0])
    return await own(uow.session, principal)
