"""The rescan: re-evaluate everyone, in one process or several over id ranges.

The evaluation is CPU-bound Python (see BENCHMARKS.md), so on PostgreSQL several processes,
each on its own slice of student ids and its own connections, use several cores. On SQLite
writers queue, so one process is as fast as several.
"""

import asyncio
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.evaluations.store import refresh_students
from service.kit.db import create_engine_for
from service.kit.heap import settle_heap
from service.kit.unit_of_work import unit_of_work
from service.models.students import Student
from service.risks.evaluate import Context
from service.risks.service import load_context


async def rescan(
    sessions: async_sessionmaker[AsyncSession],
    as_of: date | None = None,
    batch_size: int = 1000,
    progress: Any = None,
    id_range: tuple[int, int | None] = (0, None),
) -> tuple[int, int]:
    """Re-evaluate every student (ids after ``id_range[0]`` up to ``id_range[1]``) in keyset
    batches, one unit of work per batch."""
    (after, last), students, flags = id_range, 0, 0
    context: Context | None = None
    while True:
        async with unit_of_work(sessions=sessions) as uow:
            session = uow.session
            batch = await session.exec(
                select(col(Student.id))
                .where(col(Student.id) > after)
                .where(col(Student.id) <= last if last is not None else sa.true())
                .order_by(col(Student.id))
                .limit(batch_size)
            )
            ids = [int(i) for i in batch.all() if i is not None]
            if not ids:
                return students, flags
            context = context or await load_context(session)
            flags += await refresh_students(session, ids, as_of, context)
        students += len(ids)
        after = ids[-1]
        if progress is not None:
            progress(students, flags)


async def _slice(
    url: str, as_of: date | None, batch_size: int, after: int, last: int | None, show: bool
) -> tuple[int, int]:
    settle_heap()
    engine = create_engine_for(url, pool_size=2)
    sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

    def progress(students: int, flags: int) -> None:
        print(f"\r{students} students evaluated, {flags} risk flags", end="", file=sys.stderr)

    try:
        return await rescan(sessions, as_of, batch_size, progress if show else None, (after, last))
    finally:
        if show:
            print(file=sys.stderr)
        await engine.dispose()


def _run_slice(
    url: str, as_of: date | None, batch_size: int, after: int, last: int | None
) -> tuple[int, int]:
    return asyncio.run(_slice(url, as_of, batch_size, after, last, show=False))


async def _bounds(url: str) -> tuple[int, int]:
    engine = create_engine_for(url, pool_size=1)
    try:
        async with AsyncSession(engine) as session:
            low, high = (
                await session.exec(select(func.min(col(Student.id)), func.max(col(Student.id))))
            ).one()
            return int(low or 0), int(high or 0)
    finally:
        await engine.dispose()


def run(url: str, as_of: date | None, batch_size: int, workers: int) -> tuple[int, int]:
    """Students and flags evaluated; ``workers`` processes split the ids evenly."""
    if workers <= 1 or url.startswith("sqlite"):
        return asyncio.run(_slice(url, as_of, batch_size, 0, None, show=True))
    low, high = asyncio.run(_bounds(url))
    step = max(1, (high - low + workers) // workers)
    edges: list[tuple[int, int | None]] = [
        (low - 1 + i * step, low - 1 + (i + 1) * step) for i in range(workers)
    ]
    edges[-1] = (edges[-1][0], None)  # the last slice takes anyone added meanwhile
    # Fresh interpreters: a forked event loop or connection pool is no one's to share.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        results = list(
            pool.map(
                _run_slice,
                *zip(
                    *[(url, as_of, batch_size, after, last) for after, last in edges], strict=True
                ),
            )
        )
    return sum(r[0] for r in results), sum(r[1] for r in results)
