"""The unit of work's savepoints: a refused part of a write leaves nothing behind, neither in
the database nor among the students the commit locks and evaluates."""

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.unit_of_work import UnitOfWork
from service.models.reference import Region


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
