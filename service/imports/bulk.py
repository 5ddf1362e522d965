"""New graduates in bulk: the rows of a file that register a student not yet known, with
their enrolment, written a chunk at a time instead of a row at a time.

Each row is checked by the same rules and built by the same constructors as the API's
(``StudentCreate``, ``EnrolmentCreate``, ``enrolments.service.check_fields``,
``new_student``, ``new_enrolment``, ``initial_history``), against reference data loaded once;
the rows are then inserted with one multi-row statement per table, and audited by the audit
recorder exactly as a flush would (so they reach the change feed and are re-evaluated at the
commit). What needs a stored row to compare with (a known IIN, an IIN twice in one file) is
left to the row-by-row path."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.audit.recorder import record_inserted
from service.auth.principal import Principal
from service.enrolments import service as enrolments_service
from service.enrolments.schemas import EnrolmentCreate
from service.enums import EnrolmentStatus
from service.kit.bulk import copy_rows, new_ids
from service.kit.sql import any_of
from service.kit.unit_of_work import UnitOfWork
from service.models.enrolments import Enrolment, EnrolmentStatusChange
from service.models.students import Student
from service.obligations.facts import RuleFacts
from service.obligations.loader import load_rules
from service.students import service as students_service
from service.students.schemas import StudentCreate


@dataclass
class NewGraduate:
    row: int
    student: dict[str, Any]
    enrolment: dict[str, Any]


class Rules:
    """The obligation rules, to tell whether a cohort has one (a small table, read once)."""

    def __init__(self, rules: Sequence[RuleFacts]) -> None:
        self.rules = rules

    @classmethod
    async def load(cls, session: AsyncSession) -> "Rules":
        return cls(await load_rules(session))

    def exist(self, programme_id: int, cohort: int) -> bool:
        return any(rule.covers(programme_id, cohort) for rule in self.rules)


def new_graduate(
    row: int,
    student_data: StudentCreate,
    enrolment_data: EnrolmentCreate,
    principal: Principal,
    rules: Rules,
) -> NewGraduate:
    """The rows a new student and their enrolment would be, or the service's refusal."""
    enrolments_service.require_own_institution(principal, enrolment_data.institution_id)
    enrolments_service.check_fields(
        enrolment_data,
        enrolment_data.status == EnrolmentStatus.graduated,
        rules.exist(enrolment_data.programme_id, enrolment_data.start_date.year),
    )
    return NewGraduate(
        row,
        _complete(Student, students_service.student_values(student_data, principal)),
        # The student's id is known once the student is inserted (``insert``).
        _complete(Enrolment, enrolments_service.enrolment_values(0, enrolment_data)),
    )


async def known_iins(session: AsyncSession, iins: Sequence[str]) -> set[str]:
    found = await session.exec(select(Student.iin).where(any_of(Student.iin, iins)))
    return set(found)


def _complete(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    """A row's every column: the model's defaults (times, version) where values are silent."""
    row = {}
    for name, field in model.model_fields.items():
        if name == "id":
            continue
        if name in values:
            row[name] = values[name]
        elif field.default_factory is not None:
            row[name] = field.default_factory()
        else:
            row[name] = field.default
    return row


async def _insert(uow: UnitOfWork, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert the rows, each given its id, in one COPY (PostgreSQL) or executemany; audit them."""
    table: sa.Table = model.__table__
    connection = await uow.session.connection()
    if connection.dialect.name == "postgresql":
        # Ids drawn first let the rows go in as one COPY stream.
        for row, new_id in zip(rows, await new_ids(connection, table, len(rows)), strict=True):
            row["id"] = new_id
        await copy_rows(connection, table, rows)
    else:
        statement = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
        result = await connection.execute(statement, rows)
        for row, (new_id,) in zip(rows, result.all(), strict=True):
            row["id"] = new_id
    await record_inserted(uow, table, rows)


async def insert(uow: UnitOfWork, graduates: Sequence[NewGraduate]) -> None:
    """Write new students, their enrolments and their status histories, audited."""
    if not graduates:
        return
    await _insert(uow, Student, [g.student for g in graduates])
    for g in graduates:
        g.enrolment["student_id"] = g.student["id"]
    await _insert(uow, Enrolment, [g.enrolment for g in graduates])
    history = [
        _complete(
            EnrolmentStatusChange,
            {
                "enrolment_id": e["id"],
                "student_id": e["student_id"],
                "status": status,
                "effective_on": effective_on,
            },
        )
        for e in (g.enrolment for g in graduates)
        for status, effective_on in enrolments_service.history_entries(
            e["status"], e["start_date"], e["status_since"]
        )
    ]
    await _insert(uow, EnrolmentStatusChange, history)
