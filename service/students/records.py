"""The records a student owns (employments, registrations, housing, support applications,
suspensions, release decisions) behave alike: this module is that behaviour.

Each domain supplies its models, schemas and a ``prepare`` step with its own rules (a
``StudentRecordSpec``); these functions give them all the same create/read/correct/void/list
logic, scoped to the student, with whole-record validation of partial updates. The routes
are built from the same spec in ``records_router``.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.enums import UserRole
from service.kit.concurrency import claim_version
from service.kit.crud import apply, merge_update
from service.kit.db import utcnow
from service.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from service.kit.i18n import _
from service.kit.pagination import paginate
from service.models.students import Student
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
    voidable: bool = False
    """A mistaken record can be voided (``models.common.Voidable``): kept, audited, and left
    out of lists, the ledger and the risk flags."""


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
        raise NotFound(
            _("No %(label)s %(row_id)s for student %(student_id)s.")
            % {"label": _(label), "row_id": row_id, "student_id": student_id}
        )
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
            f"body.{field}",
            _("Student %(student_id)s has no %(label)s %(row_id)s.")
            % {"student_id": student_id, "label": _(label), "row_id": row_id},
            "unknown_reference",
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
    if hasattr(table, "voided_at"):
        statement = statement.where(col(table.voided_at).is_(None))
    for other in await session.exec(statement):
        if other.id != own_id and periods_overlap(
            data.start_date, data.end_date, other.start_date, other.end_date
        ):
            raise InvalidInput.field(
                "body.start_date",
                _(
                    "Overlaps %(what)s %(other_id)s (%(other_start_date)s to "
                    "%(other_end_date_or_open)s); end that one first."
                )
                % {
                    "what": _(what),
                    "other_id": other.id,
                    "other_start_date": other.start_date,
                    "other_end_date_or_open": other.end_date or _("open-ended"),
                },
                code,
            )


async def get_record(
    session: AsyncSession, spec: StudentRecordSpec[M, C], student: Student, record_id: int
) -> M:
    return await owned_or_404(session, spec.model, record_id, student.id, spec.label)


def require_role(principal: Principal, roles: frozenset[UserRole]) -> None:
    """The spec's roles decide who writes or verifies a kind of record, whoever calls."""
    if principal.role not in roles:
        raise Forbidden(_("Your role may not change these records."))


async def create_record(
    session: AsyncSession,
    spec: StudentRecordSpec[M, C],
    student: Student,
    data: C,
    principal: Principal,
) -> M:
    require_role(principal, spec.write_roles)
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
    _may_change(spec, row, principal)
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


def _may_change(spec: StudentRecordSpec[M, C], row: M, principal: Principal) -> None:
    require_role(principal, spec.write_roles)
    if getattr(row, "voided_at", None) is not None:
        raise Conflict(
            _("This %(label)s was voided: it is kept as it was and not changed.")
            % {"label": _(spec.label)}
        )
    if principal.role == UserRole.student and not getattr(row, "self_reported", False):
        raise Forbidden(_("Students change only what they reported themselves."))


async def void_record(
    session: AsyncSession,
    spec: StudentRecordSpec[M, C],
    row: M,
    reason: str,
    principal: Principal,
    if_match: str | None,
) -> M:
    """Undo a mistake without erasing it: the record stays, marked void with who and why."""
    _may_change(spec, row, principal)
    await claim_version(session, row, if_match)
    record = cast(Any, row)
    record.voided_at, record.voided_by_user_id, record.void_reason = (
        utcnow(),
        principal.user_id,
        reason,
    )
    session.add(row)
    await session.flush()
    return row


async def verify_record(
    session: AsyncSession,
    spec: StudentRecordSpec[M, C],
    row: M,
    verified: bool,
    principal: Principal,
    if_match: str | None,
) -> M:
    require_role(principal, spec.verify_roles)
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
    include_voided: bool = False,
) -> tuple[list[M], str | None]:
    model: Any = spec.model
    statement = select(model).where(model.student_id == student.id)
    if spec.voidable and not include_voided:
        statement = statement.where(col(model.voided_at).is_(None))
    if kind is not None:
        statement = statement.where(getattr(model, spec.kind_field) == kind)
    if active_on is not None and spec.period is not None:
        start, end = (getattr(model, name) for name in spec.period)
        statement = statement.where(start <= active_on, col(end).is_(None) | (end >= active_on))
    return await paginate(session, statement, page, [col(model.id)])
