"""Keeps the stored evaluations current: before a unit of work commits, the students it
touched are evaluated again in the same transaction, so no reader ever sees a change without
its consequences. The application registers this once, at assembly."""

from service.evaluations.store import refresh_students
from service.kit.unit_of_work import UnitOfWork
from service.risks.service import load_context

BATCH = 1000
"""Students evaluated at once: an import touches thousands, and their facts stay in memory
only a batch at a time."""


async def refresh_touched_students(uow: UnitOfWork) -> None:
    if not uow.touched_students:
        return
    # Writes under a student lock it at their start; this catches any that touched others.
    await uow.lock_students(uow.touched_students)
    touched = sorted(uow.touched_students)
    context = await load_context(uow.session) if len(touched) > BATCH else None
    for start in range(0, len(touched), BATCH):
        await refresh_students(uow.session, touched[start : start + BATCH], context=context)
