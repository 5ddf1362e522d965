"""The unit of work's savepoints: a refused part of a write leaves nothing behind, neither in
the database nor among the students the commit locks and evaluates."""

import httpx
import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.unit_of_work import UnitOfWork
from service.models.reference import Region
from service.models.students import Student
from tests.factories import student_with_enrolment


class Refused(Exception):
    pass


async def _refused_write(uow: UnitOfWork, region: Region) -> None:
    async with uow.savepoint():
        uow.touch([2, 3])
        await uow.lock_students([3, 7])
        async with uow.savepoint():  # an inner savepoint that succeeded, inside the refusal
            uow.touch([4])
        region.name_en = "Changed"
        await uow.session.flush()
        raise Refused


async def test_a_savepoint_that_raises_forgets_what_it_touched_and_locked(
    session: AsyncSession,
) -> None:
    uow = UnitOfWork(session)
    uow.touch([1, 2])
    await uow.lock_students([1])
    region = (await session.exec(select(Region))).first()
    assert region is not None
    name = region.name_en
    with pytest.raises(Refused):
        await _refused_write(uow, region)
    assert uow.touched_students == {1, 2}
    assert uow.locked_students == {1}
    await session.refresh(region)
    assert region.name_en == name  # the flush inside was rolled back

    async with uow.savepoint():
        uow.touch([5])
        await uow.lock_students([5])
    assert uow.touched_students == {1, 2, 5}
    assert uow.locked_students == {1, 5}


async def _nested_refusal(uow: UnitOfWork) -> None:
    async with uow.savepoint():
        async with uow.savepoint():
            uow.touch([4])
        uow.touch([5])
        await uow.lock_students([5])
        raise Refused


async def test_nested_savepoints_each_forget_their_own(session: AsyncSession) -> None:
    uow = UnitOfWork(session)
    with pytest.raises(Refused):
        await _nested_refusal(uow)
    assert uow.touched_students == set()
    assert uow.locked_students == set()


async def _refused_at_once(uow: UnitOfWork) -> None:
    async with uow.savepoint():
        raise Refused


async def test_changes_made_before_a_savepoint_stay_touched_when_it_fails(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """Beginning a savepoint flushes what came before it: those students were touched by
    the outer write, and a refusal inside must not forget them."""
    created, _ = await student_with_enrolment(client)
    uow = UnitOfWork(session)
    student = await session.get(Student, created["id"])
    assert student is not None
    student.last_name = "Changed"  # flushed when the savepoint begins
    with pytest.raises(Refused):
        await _refused_at_once(uow)
    assert created["id"] in uow.touched_students
