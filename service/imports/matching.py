"""Rows that change nothing, found a chunk at a time: the same spreadsheet is imported again
every month, and most of its rows describe what is already stored.

The students a chunk names are read in one statement (only those the principal may change),
then their enrolments or records in another, and each row is compared in memory by the same
``changes`` the writers use. A row found unchanged is reported so without a savepoint or a
lock; every other row (new, changed, or another institution's) goes down the row-by-row
path, whose checks and refusals stand as they are."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.enrolments import service as enrolments_service
from service.enrolments.schemas import EnrolmentCreate, EnrolmentUpdate
from service.imports.columns import ImportKind
from service.imports.writers import (
    NATURAL_KEYS,
    RECORD_SPECS,
    STUDENT_FIELDS,
    Written,
    changes,
    graduate_bodies,
    moved_status_date,
)
from service.kit.errors import ProblemError
from service.kit.sql import any_of
from service.models.enrolments import Enrolment
from service.models.students import Student
from service.students import service as students_service
from service.students.schemas import StudentCreate

ENROLMENT_KEY = ("institution_id", "programme_id", "start_date")
ENROLMENT_FIELDS = frozenset(EnrolmentUpdate.model_fields)


@dataclass
class Candidate:
    number: int
    body: dict[str, Any]
    given: set[str]
    bodies: tuple[StudentCreate, EnrolmentCreate] | None = None
    """A graduates row's request bodies, when already validated (``graduate_bodies``)."""


class _Found:
    """Rows found unchanged, kept only where no other row of the chunk writes the same
    student (graduates) or record: that row is written first, and the second must be compared
    with what it wrote, however each row names the student (by IIN or by id)."""

    def __init__(self) -> None:
        self.targets: Counter[tuple[Any, ...]] = Counter()
        self.target_of: dict[int, tuple[Any, ...]] = {}
        self.written: dict[int, Written] = {}

    def aims(self, row: Candidate, target: tuple[Any, ...]) -> None:
        self.targets[target] += 1
        self.target_of[row.number] = target

    def add(self, row: Candidate, written: Written) -> None:
        self.written[row.number] = written

    def alone(self) -> dict[int, Written]:
        return {n: w for n, w in self.written.items() if self.targets[self.target_of[n]] == 1}


async def _students(
    session: AsyncSession, principal: Principal, rows: Sequence[Candidate]
) -> tuple[dict[str, Student], dict[int, Student]]:
    """The chunk's students that this principal may change, by IIN and by id."""
    iins = {r.body["iin"] for r in rows if r.body.get("iin")}
    ids = {r.body["student_id"] for r in rows if r.body.get("student_id") is not None}
    statement = select(Student).where(any_of(Student.iin, iins) | any_of(Student.id, ids))
    if (clause := students_service.readable_by(principal)) is not None:
        statement = statement.where(clause)
    found = list(await session.exec(statement))
    return {s.iin: s for s in found}, {s.id or 0: s for s in found}


def _student_of(
    body: dict[str, Any], by_iin: dict[str, Student], by_id: dict[int, Student]
) -> Student | None:
    if body.get("student_id") is not None:
        student = by_id.get(body["student_id"])
        if student is not None and body.get("iin") and student.iin != body["iin"]:
            return None  # the row-by-row path names the mismatch
        return student
    return by_iin.get(body.get("iin") or "")


async def unchanged_graduates(
    session: AsyncSession, principal: Principal, rows: Sequence[Candidate]
) -> dict[int, Written]:
    """The graduates rows whose student and enrolment are stored exactly as the row says."""
    by_iin, by_id = await _students(session, principal, rows)
    if not by_iin:
        return {}
    enrolments: dict[tuple[Any, ...], Enrolment] = {}
    stored = await session.exec(select(Enrolment).where(any_of(Enrolment.student_id, list(by_id))))
    for held in stored:
        enrolments[(held.student_id, *(getattr(held, f) for f in ENROLMENT_KEY))] = held
    found = _Found()
    for row in rows:
        student = by_iin.get(row.body.get("iin") or "")
        if student is None:
            continue
        try:
            student_data, enrolment_data = row.bodies or graduate_bodies(row.body)
            enrolments_service.require_own_institution(principal, enrolment_data.institution_id)
        except (ValueError, ProblemError):
            continue  # refused on the row-by-row path, with its fields named
        found.aims(row, (student.id,))
        key = (student.id, *(getattr(enrolment_data, f) for f in ENROLMENT_KEY))
        enrolment = enrolments.get(key)
        if enrolment is None or changes(student, student_data, row.given & STUDENT_FIELDS):
            continue
        status_given = bool(row.given & {"status", "graduation_date"})
        if status_given and enrolment_data.status != enrolment.status:
            continue
        if changes(enrolment, enrolment_data, row.given & ENROLMENT_FIELDS) or (
            moved_status_date(enrolment, enrolment_data, row.given)
        ):
            continue
        found.add(row, Written(student_id=student.id, record_id=enrolment.id))
    return found.alone()


async def unchanged_records(
    session: AsyncSession, principal: Principal, kind: ImportKind, rows: Sequence[Candidate]
) -> dict[int, Written]:
    """The record rows whose record is stored, not voided, exactly as the row says."""
    by_iin, by_id = await _students(session, principal, rows)
    if not by_id:
        return {}
    spec, key = RECORD_SPECS[kind], NATURAL_KEYS[kind]
    model: Any = spec.model
    records: dict[tuple[Any, ...], Any] = {}
    stored = await session.exec(
        select(model).where(any_of(model.student_id, list(by_id)), col(model.voided_at).is_(None))
    )
    for record in stored:
        records.setdefault((record.student_id, *(getattr(record, f) for f in key)), record)
    fields = set(spec.update.model_fields)
    found = _Found()
    for row in rows:
        student = _student_of(row.body, by_iin, by_id)
        if student is None:
            continue
        try:
            data = spec.create.model_validate(
                {k: row.body[k] for k in spec.create.model_fields.keys() & row.body.keys()}
            )
        except (ValueError, ProblemError):
            continue
        target = (student.id, *(getattr(data, f) for f in key))
        found.aims(row, target)
        record = records.get(target)
        if record is None or changes(record, data, row.given & fields):
            continue
        found.add(row, Written(student_id=student.id, record_id=record.id))
    return found.alone()
