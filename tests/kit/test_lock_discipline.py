"""Every student lock is taken at the start of a write: a unit of work that changed a
student it did not lock refuses to commit (a lock taken that late could deadlock two
writers), on both databases. A student the unit inserted itself needs no lock."""

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from service.evaluations.hook import UnlockedWrite
from service.kit.unit_of_work import UnitOfWork
from service.models.students import Student
from service.students.schemas import StudentCreate
from tests.factories import student_body, student_with_enrolment


async def _changed(uow: UnitOfWork, student_id: int) -> None:
    student = await uow.session.get(Student, student_id)
    assert student is not None
    student.last_name = "Changed"
    uow.session.add(student)


async def test_a_change_to_an_unlocked_student_is_refused_at_commit(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    created, _ = await student_with_enrolment(client)
    uow = UnitOfWork(session)
    await _changed(uow, created["id"])
    with pytest.raises(UnlockedWrite, match="1 students changed without a lock"):
        await uow.commit()


async def test_a_change_under_its_lock_commits(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    created, _ = await student_with_enrolment(client)
    uow = UnitOfWork(session)
    await uow.lock_students([created["id"]])
    await _changed(uow, created["id"])
    await uow.commit()
    assert created["id"] in uow.touched_students


async def test_a_student_the_write_created_needs_no_lock(session: AsyncSession) -> None:
    uow = UnitOfWork(session)
    student = Student.model_validate(StudentCreate.model_validate(student_body()))
    session.add(student)
    await session.flush()
    assert student.id is not None
    assert uow.unlocked_students() == set()
    assert student.id in uow.created_students
    await uow.commit()
