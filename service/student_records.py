"""One router shape for the records a student owns: employments, registrations, housing,
support applications, suspensions and release decisions.

Each domain supplies its models, schemas and a ``prepare`` step with its own rules; this
module gives them all the same list/create/get/patch behaviour, scoping to the student in
the path, keyset pages and whole-record validation of partial updates.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar, cast

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.crud import apply, merge_update
from service.db import SessionDep
from service.errors import NotFound, problem_responses
from service.fields import IdPath
from service.pagination import Page, PageDep, paginate
from service.students.models import Student
from service.students.router import StudentDep

M = TypeVar("M", bound=SQLModel)
C = TypeVar("C", bound=BaseModel)

Prepare = Callable[[AsyncSession, Student, C, int | None], Awaitable[C]]


@dataclass(frozen=True)
class StudentRecordSpec(Generic[M, C]):
    model: type[M]
    create: type[C]
    update: type[BaseModel]
    public: type[BaseModel]
    path: str
    label: str
    tag: str
    kind_field: str
    kind_enum: type[StrEnum]
    prepare: Prepare[C]
    period: tuple[str, str] | None = None
    """Start and end columns, for the ``active_on`` filter."""


async def get_record(
    session: AsyncSession, spec: StudentRecordSpec[M, C], student: Student, record_id: int
) -> M:
    row = await session.get(spec.model, record_id)
    if row is None or cast(Any, row).student_id != student.id:
        raise NotFound(f"No {spec.label} {record_id} for student {student.id}.")
    return row


async def create_record(
    session: AsyncSession, spec: StudentRecordSpec[M, C], student: Student, data: C
) -> M:
    data = await spec.prepare(session, student, data, None)
    row = spec.model.model_validate(data, update={"student_id": student.id})
    session.add(row)
    await session.flush()
    return row


async def update_record(
    session: AsyncSession,
    spec: StudentRecordSpec[M, C],
    student: Student,
    row: M,
    changes: BaseModel,
) -> M:
    data = merge_update(row, changes, spec.create)
    data = await spec.prepare(session, student, data, cast(Any, row).id)
    session.add(apply(row, data))
    await session.flush()
    return row


async def list_records(
    session: AsyncSession,
    spec: StudentRecordSpec[M, C],
    student: Student,
    page: Any,
    kind: StrEnum | None,
    active_on: date | None,
) -> tuple[list[M], str | None]:
    model: Any = spec.model
    statement = select(model).where(model.student_id == student.id)
    if kind is not None:
        statement = statement.where(getattr(model, spec.kind_field) == kind)
    if active_on is not None and spec.period is not None:
        start, end = (getattr(model, name) for name in spec.period)
        statement = statement.where(start <= active_on, col(end).is_(None) | (end >= active_on))
    return await paginate(session, statement, page, [col(model.id)])


def student_records_router(spec: StudentRecordSpec[M, C]) -> APIRouter:
    router = APIRouter(
        prefix=f"/students/{{student_id}}/{spec.path}",
        tags=[spec.tag],
        responses=problem_responses(404),
    )
    public = spec.public
    create_schema: Any = spec.create
    update_schema: Any = spec.update
    kind_enum: Any = spec.kind_enum

    async def _record(session: SessionDep, student: StudentDep, record_id: IdPath) -> Any:
        return await get_record(session, spec, student, record_id)

    record_dep = Annotated[Any, Depends(_record)]
    active_help = "Only records whose period covers this date." if spec.period else "Ignored."

    @router.get(
        "",
        summary=f"List a student's {spec.label}s",
        response_model=Page[public],  # type: ignore[valid-type]
        operation_id=f"list_{spec.path}",
    )
    async def list_(
        session: SessionDep,
        student: StudentDep,
        page: PageDep,
        kind: Annotated[kind_enum | None, Query(alias=spec.kind_field)] = None,
        active_on: Annotated[date | None, Query(description=active_help)] = None,
    ) -> Any:
        rows, cursor = await list_records(session, spec, student, page, kind, active_on)
        return Page(items=[public.model_validate(r) for r in rows], next_cursor=cursor)

    @router.post(
        "",
        status_code=status.HTTP_201_CREATED,
        summary=f"Add a {spec.label}",
        response_model=public,
        operation_id=f"create_{spec.path}",
        responses=problem_responses(409),
    )
    async def create(session: SessionDep, student: StudentDep, data: create_schema) -> Any:
        row = await create_record(session, spec, student, data)
        await session.commit()
        return public.model_validate(row)

    @router.get(
        "/{record_id}",
        summary=f"Get a {spec.label}",
        response_model=public,
        operation_id=f"get_{spec.path}",
    )
    async def get(record: record_dep) -> Any:
        return public.model_validate(record)

    @router.patch(
        "/{record_id}",
        summary=f"Update a {spec.label}",
        response_model=public,
        operation_id=f"update_{spec.path}",
        responses=problem_responses(409),
    )
    async def update(
        session: SessionDep, student: StudentDep, record: record_dep, data: update_schema
    ) -> Any:
        row = await update_record(session, spec, student, record, data)
        await session.commit()
        return public.model_validate(row)

    return router
