"""Keeps the stored evaluations current: before a unit of work commits, the students it
touched are evaluated again in the same transaction, so no reader ever sees a change without
its consequences. The application registers this once, at assembly."""

from service.evaluations.store import refresh_students
from service.kit.unit_of_work import UnitOfWork


async def refresh_touched_students(uow: UnitOfWork) -> None:
    if not uow.touched_students:
        return
    # Writes under a student lock it at their start; this catches any that touched others.
    await uow.lock_students(uow.touched_students)
    await refresh_students(uow.session, sorted(uow.touched_students))
