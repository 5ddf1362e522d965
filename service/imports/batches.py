"""A committed import, kept with the students it wrote, so that whoever made it opens
exactly its graduates (the caseload's ``import_id``), not every graduate of the institution.

Bookkeeping beside the records, not audited: each student's own changes are in the trail."""

from collections.abc import Collection, Iterator
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.models.imports import ImportBatch, ImportBatchStudent

STUDENTS_PER_INSERT = 5_000
"""Rows of one INSERT of a batch's students (a 100,000-row file is 20 statements)."""


async def record(
    session: AsyncSession,
    principal: Principal,
    summary: Any,
    file_name: str,
    student_ids: Collection[int],
) -> int:
    """The committed import's id, its students stored with it."""
    batch = ImportBatch(
        user_id=principal.user_id,
        kind=summary.kind.value,
        file_name=file_name[:255],
        sha256=summary.file_sha256,
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
    )
    session.add(batch)
    await session.flush()
    assert batch.id is not None
    table: Any = ImportBatchStudent.__table__  # type: ignore[attr-defined]
    connection = await session.connection()
    for part in _parts(sorted(student_ids)):
        await connection.execute(
            sa.insert(table), [{"batch_id": batch.id, "student_id": s} for s in part]
        )
    return batch.id


def _parts(ids: list[int]) -> Iterator[list[int]]:
    found = iter(ids)
    while part := list(islice(found, STUDENTS_PER_INSERT)):
        yield part
