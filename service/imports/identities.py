"""Who each row of an import is about, as the person reading the preview knows them: the
graduate's name and the IIN's last four digits, never the whole IIN.

A graduates row names the person itself. A record row names a student by IIN or id, so
their name is read from the students the principal may change, one statement a chunk; a
student the principal may not see keeps only what the row itself wrote."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import or_
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.imports import values
from service.imports.columns import ImportKind
from service.imports.files import Cell, Row
from service.imports.values import CellError
from service.kit.fields import MAX_ID
from service.kit.sql import any_of
from service.models.students import Student
from service.risks.service import full_name, mask_iin
from service.students import service as students_service


@dataclass(frozen=True)
class Identity:
    name: str | None = None
    iin_masked: str | None = None


def _iin(cell: Cell) -> str | None:
    written = values.digits(cell) if cell is not None else ""
    return written if written.isascii() and written.isdigit() and len(written) == 12 else None


def _student_id(cell: Cell) -> int | None:
    try:
        found = values.whole(cell) if cell is not None else None
    except CellError:
        return None
    return found if found is not None and 1 <= found <= MAX_ID else None


def _written_name(row: Row) -> str | None:
    parts = [
        values.text(row.values[f])
        for f in ("last_name", "first_name", "patronymic")
        if row.values.get(f) is not None
    ]
    return " ".join(p for p in parts if p)[:200] or None


async def identities(
    session: AsyncSession, principal: Principal, kind: ImportKind, rows: list[Row]
) -> dict[int, Identity]:
    """Each row's identity by its number (a row naming no one it may show: empty)."""
    iins = {row.number: _iin(row.values.get("iin")) for row in rows}
    if kind == ImportKind.graduates:
        return {row.number: Identity(_written_name(row), _masked(iins[row.number])) for row in rows}
    ids = {row.number: _student_id(row.values.get("student_id")) for row in rows}
    wanted_iins = {i for i in iins.values() if i}
    wanted_ids = {i for i in ids.values() if i}
    by_iin: dict[str, tuple[str, str]] = {}
    by_id: dict[int, tuple[str, str]] = {}
    if wanted_iins or wanted_ids:
        table: Any = Student.__table__  # type: ignore[attr-defined]
        statement: Any = sa.select(
            table.c.id, table.c.iin, table.c.last_name, table.c.first_name, table.c.patronymic
        ).where(
            or_(
                *([any_of(col(Student.iin), wanted_iins)] if wanted_iins else []),
                *([any_of(col(Student.id), wanted_ids)] if wanted_ids else []),
            )
        )
        if (clause := students_service.readable_by(principal)) is not None:
            statement = statement.where(clause)
        for student_id, iin, last, first, patronymic in await session.exec(statement):
            found = (full_name(last, first, patronymic), iin)
            by_iin[iin] = by_id[student_id] = found
    found_rows = {}
    for row in rows:
        iin, student_id = iins[row.number], ids[row.number]
        known = (by_id.get(student_id) if student_id else None) or by_iin.get(iin or "")
        found_rows[row.number] = (
            Identity(known[0], mask_iin(known[1])) if known else Identity(None, _masked(iin))
        )
    return found_rows


def _masked(iin: str | None) -> str | None:
    return mask_iin(iin) if iin else None
