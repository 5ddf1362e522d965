"""Keeps the stored evaluations current: before a unit of work commits, the students it
touched are evaluated again in the same transaction, so no reader ever sees a change without
its consequences. The application registers this once, at assembly."""

from service.evaluations.store import refresh_students
from service.kit.unit_of_work import UnitOfWork


class UnlockedWrite(RuntimeError):
    """A write changed students it had not locked at its start: a programming error, refused
    before the commit (locks taken this late could deadlock two writers)."""


async def refresh_touched_students(uow: UnitOfWork) -> None:
    if not uow.touched_students:
        return
    if unlocked := uow.unlocked_students():
        shown = sorted(unlocked)[:5]
        raise UnlockedWrite(f"{len(unlocked)} students changed without a lock, e.g. ids {shown}")
    await refresh_students(uow.session, sorted(uow.touched_students))
