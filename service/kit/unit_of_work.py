"""The unit of work: one per request and one per command-line job, and the only place in the
service that commits.

It carries, as typed fields, what a write needs beside its session: the actor the audit
trail records, the students the write touched (the audit recorder adds them as rows are
flushed), the students it has locked, and the hooks to run before the commit (the
re-evaluation of the touched students is one; the application registers it once at
assembly, so no router or service needs to know it exists).

Locks: a write that changes anything under a student takes that student's row lock first,
before it inserts or updates anything (``lock_students``), all of them at once and in id
order. Inserting a child row takes a weaker lock on the student (the foreign key's KEY
SHARE); asking for the row lock only later is how two writers on one student deadlock on
PostgreSQL.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
from asgi_correlation_id import correlation_id
from fastapi import Depends, Request, Response
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.db import database
from service.kit.sql import any_of


@dataclass(frozen=True)
class Actor:
    """Who a change is recorded against in the audit trail."""

    user_id: int | None
    role: str
    token_id: int | None = None
    request_id: str | None = None


SYSTEM = Actor(user_id=None, role="system")

Hook = Callable[["UnitOfWork"], Awaitable[None]]
_before_commit: list[Hook] = []

# Every record a student owns hangs under the student's row: it is the lock of the aggregate.
_STUDENT = sa.table("student", sa.column("id", sa.Integer))
_SESSION_KEY = "unit_of_work"
LOCK_BATCH = 10_000


def register_before_commit(hook: Hook) -> None:
    """Run ``hook`` before every unit of work commits (idempotent; the assembly calls it)."""
    if hook not in _before_commit:
        _before_commit.append(hook)


class UnitOfWork:
    def __init__(self, session: AsyncSession, actor: Actor = SYSTEM) -> None:
        self.session = session
        self.actor = actor
        self.touched_students: set[int] = set()
        self.locked_students: set[int] = set()
        self.created_students: set[int] = set()
        """Students this unit inserted: no one else sees them before the commit, so they
        need no lock."""
        self._savepoints: list[tuple[set[int], set[int], set[int]]] = []
        self.before_commit: list[Hook] = list(_before_commit)
        self.response: Response | None = None
        """The rendered response of the request, for hooks that keep it (idempotency)."""
        session.info[_SESSION_KEY] = self

    @classmethod
    def of(cls, session: Any) -> "UnitOfWork | None":
        """The unit of work a session belongs to (the audit recorder sees only the session)."""
        found = session.info.get(_SESSION_KEY)
        return found if isinstance(found, cls) else None

    def touch(self, student_ids: Iterable[int], created: Iterable[int] = ()) -> None:
        new = set(student_ids) - self.touched_students
        self.touched_students |= new
        born = set(created) - self.created_students
        self.created_students |= born
        for touched, _locked, inserted in self._savepoints:
            touched |= new
            inserted |= born

    def unlocked_students(self) -> set[int]:
        """Students this unit changed without locking them first: a programming error (two
        writers could interleave on them); the assembly's hook refuses to commit it."""
        return self.touched_students - self.locked_students - self.created_students

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested transaction: when the block raises, what it flushed is undone, and the
        students it touched or locked are this unit's no more (an import's refused row).

        What the block adds is recorded as it is added, so a savepoint costs the same in a
        unit of work that has touched 100,000 students as in one that has touched none."""
        async with self.session.begin_nested():
            # Begun first: beginning flushes what came before, and that is not this block's.
            added: tuple[set[int], set[int], set[int]] = (set(), set(), set())
            self._savepoints.append(added)
            try:
                yield
            except BaseException:
                self.touched_students -= added[0]
                self.locked_students -= added[1]
                self.created_students -= added[2]
                raise
            finally:
                assert self._savepoints[-1] is added  # savepoints nest
                self._savepoints.pop()

    async def lock_students(self, student_ids: Iterable[int]) -> None:
        """Row locks on these students, in id order, held to the commit.

        Call it once, at the start of a write, with every student the write will touch.
        SQLite needs no row locks (its writers queue on BEGIN IMMEDIATE); the ids are still
        recorded, so a hook knows which students are already serialised.
        """
        wanted = sorted(set(student_ids) - self.locked_students)
        if not wanted:
            return
        if self.session.bind is not None and self.session.bind.dialect.name == "postgresql":
            connection = await self.session.connection()
            # In id order, a batch at a time (a statement takes at most 65,535 parameters).
            for start in range(0, len(wanted), LOCK_BATCH):
                await connection.execute(
                    sa.select(_STUDENT.c.id)
                    .where(any_of(_STUDENT.c.id, wanted[start : start + LOCK_BATCH]))
                    .order_by(_STUDENT.c.id)
                    .with_for_update()
                )
        self.locked_students.update(wanted)
        for _touched, locked, _inserted in self._savepoints:
            locked.update(wanted)

    async def commit(self) -> None:
        """Flush, run the before-commit hooks (they see every flushed change), commit once."""
        await self.session.flush()
        for hook in self.before_commit:
            await hook(self)
        await self.session.flush()
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    async def discard(self) -> None:
        """Drop what this unit of work has flushed so far and go on with it: a page that
        answers a refused write with the form again (not an error) must not commit half of
        the write when the request ends."""
        await self.session.rollback()
        self.touched_students.clear()
        self.locked_students.clear()
        self.created_students.clear()


@asynccontextmanager
async def unit_of_work(
    actor: Actor = SYSTEM, sessions: async_sessionmaker[AsyncSession] | None = None
) -> AsyncIterator[UnitOfWork]:
    """A unit of work (a request, a command-line job, one batch of a long job) on the
    process's database or on ``sessions``: commits when the block ends normally, rolls back
    when it raises."""
    async with (sessions or database.sessionmaker)() as session:
        uow = UnitOfWork(session, actor)
        try:
            yield uow
        except BaseException:
            await uow.rollback()
            raise
        await uow.commit()


async def request_unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    """The request's unit of work. Its scope is the endpoint function: it commits after the
    endpoint returned and its response was rendered, before a byte is sent, so a commit that
    fails becomes the request's error response; an endpoint that raises changes nothing.
    Authentication replaces the anonymous actor with the principal."""
    anonymous = Actor(user_id=None, role="anonymous", request_id=correlation_id.get())
    async with unit_of_work(anonymous) as uow:
        attach_to_request(request, uow)
        yield uow


UnitOfWorkDep = Annotated[UnitOfWork, Depends(request_unit_of_work, scope="function")]


def session_of(uow: UnitOfWorkDep) -> AsyncSession:
    return uow.session


SessionDep = Annotated[AsyncSession, Depends(session_of)]


def attach_to_request(request: Request, uow: UnitOfWork) -> None:
    """Make ``uow`` the request's, for the route to hand it the response."""
    setattr(request.state, _SESSION_KEY, uow)


def unit_of_work_of_request(request: Request) -> UnitOfWork | None:
    found = getattr(request.state, _SESSION_KEY, None)
    return found if isinstance(found, UnitOfWork) else None
