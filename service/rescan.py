"""The rescan command: re-evaluate everyone, in one process or several over id ranges.

The evaluation is CPU-bound Python (see BENCHMARKS.md), so on PostgreSQL several processes,
each on its own slice of student ids and its own connections, use several cores. On SQLite
writers queue, so one process is as fast as several.
"""

import asyncio
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.db import create_engine_for
from service.evaluation import rescan
from service.students.models import Student


async def _slice(
    url: str, as_of: date | None, batch_size: int, after: int, last: int | None, show: bool
) -> tuple[int, int]:
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
