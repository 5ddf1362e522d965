from typing import Any

from sqlalchemy import and_, exists, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.enums import ConsentStatus, UserRole
from service.kit.crud import apply, merge_update, require_refs, require_unique
from service.kit.pagination import PageParams, paginate
from service.models.enrolments import Enrolment
from service.models.reference import Region
from service.models.students import Student
from service.students.schemas import StudentCreate, StudentUpdate


async def _check(session: AsyncSession, data: StudentCreate, own_id: int | None) -> None:
    await require_refs(session, {"origin_region_code": (Region, data.origin_region_code)})
    await require_unique(session, Student, "iin", data.iin, own_id)


def readable_by(principal: Principal) -> Any:
    """The students a principal may read, as a WHERE clause (None: all of them); the one
    statement of this scope, which every query of students uses.

    A career centre sees students enrolled at its institution, or registered by it and not
    yet enrolled; a student sees their own record.
    """
    if principal.sees_everything:
        return None
    if principal.role == UserRole.student:
        return col(Student.id) == principal.student_id
    enrolled_here = select(Enrolment.id).where(
        Enrolment.student_id == Student.id, Enrolment.institution_id == principal.institution_id
    )
    enrolled_anywhere = select(Enrolment.id).where(Enrolment.student_id == Student.id)
    return or_(
        exists(enrolled_here),
        and_(
            col(Student.registered_by_institution_id) == principal.institution_id,
            ~exists(enrolled_anywhere),
        ),
    )


async def get_readable(
    session: AsyncSession, principal: Principal, student_id: int
) -> Student | None:
    statement = select(Student).where(Student.id == student_id)
    if (clause := readable_by(principal)) is not None:
        statement = statement.where(clause)
    return (await session.exec(statement)).first()


def new_student(data: StudentCreate, principal: Principal) -> Student:
    return Student.model_validate(student_values(data, principal))


def student_values(data: StudentCreate, principal: Principal) -> dict[str, Any]:
    """A new student's row, marked with the institution that registers them."""
    return data.model_dump() | {"registered_by_institution_id": principal.institution_id}


async def create(session: AsyncSession, data: StudentCreate, principal: Principal) -> Student:
    await _check(session, data, None)
    student = new_student(data, principal)
    session.add(student)
    await session.flush()
    return student


async def update(session: AsyncSession, student: Student, changes: StudentUpdate) -> Student:
    data = merge_update(student, changes, StudentCreate)
    await _check(session, data, student.id)
    session.add(apply(student, data))
    await session.flush()
    return student


async def list_page(
    session: AsyncSession,
    page: PageParams,
    principal: Principal,
    *,
    iin: str | None = None,
    last_name: str | None = None,
    origin_region_code: str | None = None,
    consent: ConsentStatus | None = None,
    institution_id: int | None = None,
    programme_id: int | None = None,
    cohort: int | None = None,
) -> tuple[list[Student], str | None]:
    statement = select(Student)
    if (clause := readable_by(principal)) is not None:
        statement = statement.where(clause)
    if iin:
        statement = statement.where(Student.iin == iin)
    if last_name:
        statement = statement.where(col(Student.last_name).istartswith(last_name, autoescape=True))
    if origin_region_code:
        statement = statement.where(Student.origin_region_code == origin_region_code)
    if consent:
        statement = statement.where(Student.data_sharing_consent == consent)
    if institution_id is not None or programme_id is not None or cohort is not None:
        # EXISTS, not a join: a student with two enrolments must appear once.
        enrolment = select(Enrolment.id).where(Enrolment.student_id == Student.id)
        if institution_id is not None:
            enrolment = enrolment.where(Enrolment.institution_id == institution_id)
        if programme_id is not None:
            enrolment = enrolment.where(Enrolment.programme_id == programme_id)
        if cohort is not None:
            enrolment = enrolment.where(Enrolment.cohort == cohort)
        statement = statement.where(exists(enrolment))
    return await paginate(session, statement, page, [col(Student.id)])
