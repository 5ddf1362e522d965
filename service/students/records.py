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

from fastapi import Depends, Query, Response, status
from pydantic import BaseModel, Field
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.dependencies import Allow, Reader
from service.auth.principal import Principal
from service.enums import UserRole
from service.kit.concurrency import IfMatch, claim_version, set_etag
from service.kit.crud import apply, merge_update
from service.kit.errors import Forbidden, InvalidInput, NotFound, problem_responses
from service.kit.fields import Day, IdPath
from service.kit.pagination import Page, PageDep, paginate
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.models.students import Student
from service.students.dependencies import StudentDep
from service.students.periods import periods_overlap

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
    write_roles: frozenset[UserRole]
    period: tuple[str, str] | None = None
    """Start and end columns, for the ``active_on`` filter."""
    self_reportable: bool = False
    """Students may report these themselves; such rows are marked self-reported."""
    verify_roles: frozenset[UserRole] = frozenset()
    """Who may mark a row verified (none: the record has no verification)."""


async def owned(
    session: AsyncSession,
    model: type[M],
    row_id: int,
    student_id: int | None,
    *,
    fresh: bool = False,
) -> M | None:
    """The row if it exists and belongs to the student, else None (``fresh``: re-read it)."""
    row = await session.get(model, row_id, populate_existing=fresh)
    return row if row is not None and cast(Any, row).student_id == student_id else None


async def owned_or_404(
    session: AsyncSession, model: type[M], row_id: int, student_id: int | None, label: str
) -> M:
    """Another student's record is as absent as one that does not exist."""
    row = await owned(session, model, row_id, student_id)
    if row is None:
        raise NotFound(f"No {label} {row_id} for student {student_id}.")
    return row


async def owned_reference(
    session: AsyncSession,
    model: type[M],
    row_id: int,
    student_id: int | None,
    field: str,
    label: str,
    *,
    fresh: bool = False,
) -> M:
    """A body field naming one of the student's own records; anything else is refused."""
    row = await owned(session, model, row_id, student_id, fresh=fresh)
    if row is None:
        raise InvalidInput.field(
            f"body.{field}", f"Student {student_id} has no {label} {row_id}.", "unknown_reference"
        )
    return row


async def refuse_overlap(
    session: AsyncSession,
    model: type[M],
    student_id: int | None,
    data: Any,
    own_id: int | None,
    *,
    what: str,
    code: str,
    where: tuple[Any, ...] = (),
) -> None:
    """Refuse a period (``data.start_date`` to ``data.end_date``) that overlaps another of the
    student's records of ``model`` (``where`` narrows which ones count), naming that record."""
    table: Any = model
    statement = select(table).where(table.student_id == student_id, *where)
    for other in await session.exec(statement):
        if other.id != own_id and periods_overlap(
            data.start_date, data.end_date, other.start_date, other.end_date
        ):
            raise InvalidInput.field(
                "body.start_date",
                f"Overlaps {what} {other.id} ({other.start_date} to {other.end_date or 'open'}); "
                "end that one first.",
                code,
            )


async def get_record(
    session: AsyncSession, spec: StudentRecordSpec[M, C], student: Student, record_id: int
) -> M:
    return await owned_or_404(session, spec.model, record_id, student.id, spec.label)


async def create_record(
    session: AsyncSession,
    spec: StudentRecordSpec[M, C],
    student: Student,
    data: C,
    principal: Principal,
) -> M:
    data = await spec.prepare(session, student, data, None)
    marks: dict[str, Any] = {"student_id": student.id}
    if spec.self_reportable:
        marks["self_reported"] = principal.role == UserRole.student
    row = spec.model.model_validate(data, update=marks)
    session.add(row)
    await session.flush()
    return row


async def update_record(
    session: AsyncSession,
    spec: StudentRecordSpec[M, C],
    student: Student,
    row: M,
    changes: BaseModel,
    principal: Principal,
    if_match: str | None,
) -> M:
    if principal.role == UserRole.student and not cast(Any, row).self_reported:
        raise Forbidden("Students change only what they reported themselves.")
    await claim_version(session, row, if_match)
    before = row.model_dump(include=set(spec.create.model_fields))
    data = merge_update(row, changes, spec.create)
    data = await spec.prepare(session, student, data, cast(Any, row).id)
    apply(row, data)
    if spec.verify_roles and row.model_dump(include=set(before)) != before:
        # What was verified is no longer what the record says: it must be checked again.
        cast(Any, row).verified = False
    session.add(row)
    await session.flush()
    return row


async def verify_record(session: AsyncSession, row: M, verified: bool, if_match: str | None) -> M:
    await claim_version(session, row, if_match)
    cast(Any, row).verified = verified
    session.add(row)
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


class Verification(BaseModel):
    verified: bool = Field(description="Whether the evidence behind the record was checked.")


def student_records_router(spec: StudentRecordSpec[M, C]) -> Router:
    router = Router(
        prefix=f"/students/{{student_id}}/{spec.path}",
        tags=[spec.tag],
        responses=problem_responses(401, 403, 404),
    )
    public = spec.public
    create_schema: Any = spec.create
    update_schema: Any = spec.update
    kind_enum: Any = spec.kind_enum
    writers = Annotated[Principal, Allow(*spec.write_roles)]

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
        _principal: Reader,
        student: StudentDep,
        page: PageDep,
        kind: Annotated[kind_enum | None, Query(alias=spec.kind_field)] = None,
        active_on: Annotated[Day | None, Query(description=active_help)] = None,
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
    async def create(
        session: SessionDep,
        principal: writers,
        student: StudentDep,
        data: create_schema,
        response: Response,
    ) -> Any:
        row = await create_record(session, spec, student, data, principal)
        set_etag(response, row)
        return public.model_validate(row)

    @router.get(
        "/{record_id}",
        summary=f"Get a {spec.label}",
        response_model=public,
        operation_id=f"get_{spec.path}",
    )
    async def get(_principal: Reader, record: record_dep, response: Response) -> Any:
        set_etag(response, record)
        return public.model_validate(record)

    @router.patch(
        "/{record_id}",
        summary=f"Update a {spec.label}",
        response_model=public,
        operation_id=f"update_{spec.path}",
        responses=problem_responses(409, 412, 428),
    )
    async def update(
        session: SessionDep,
        principal: writers,
        student: StudentDep,
        record: record_dep,
        data: update_schema,
        response: Response,
        if_match: IfMatch = None,
    ) -> Any:
        row = await update_record(session, spec, student, record, data, principal, if_match)
        set_etag(response, row)
        return public.model_validate(row)

    if spec.verify_roles:
        verifiers = Annotated[Principal, Allow(*spec.verify_roles)]

        @router.post(
            "/{record_id}/verification",
            summary=f"Record whether a {spec.label} is verified",
            response_model=public,
            operation_id=f"verify_{spec.path}",
            responses=problem_responses(412, 428),
        )
        async def verify(
            session: SessionDep,
            _principal: verifiers,
            record: record_dep,
            data: Verification,
            response: Response,
            if_match: IfMatch = None,
        ) -> Any:
            row = await verify_record(session, record, data.verified, if_match)
            set_etag(response, row)
            return public.model_validate(row)

    return router
