from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.employment.schemas import EmploymentCreate, EmploymentPublic, EmploymentUpdate
from service.enums import EvidenceKind, UserRole
from service.kit.crud import require_refs
from service.kit.errors import Conflict, FieldError, InvalidInput
from service.kit.i18n import _
from service.kit.text import N_
from service.models.employment import Employment
from service.models.organisations import Employer
from service.models.reference import Region
from service.models.students import Student
from service.students.records import StudentRecordSpec


async def prepare(
    session: AsyncSession, student: Student, data: EmploymentCreate, own_id: int | None
) -> EmploymentCreate:
    """Fill the workplace from the employer where not given, and check references.

    Overlapping jobs are allowed (a second part-time job is real); the obligation engine
    decides what a month counts for.
    """
    await require_refs(
        session,
        {"employer_id": (Employer, data.employer_id), "region_code": (Region, data.region_code)},
    )
    employer = await session.get(Employer, data.employer_id)
    assert employer is not None
    filled = data.model_copy(
        update={
            "region_code": data.region_code or employer.region_code,
            "settlement": data.settlement or employer.settlement,
            "settlement_kind": data.settlement_kind or employer.settlement_kind,
        }
    )
    if data.start_date < student.birth_date:
        raise InvalidInput.field(
            "body.start_date", _("Work cannot start before birth."), "date_order"
        )
    same = select(Employment.id).where(
        Employment.student_id == student.id,
        Employment.employer_id == data.employer_id,
        Employment.start_date == data.start_date,
        col(Employment.end_date).is_(None)
        if data.end_date is None
        else Employment.end_date == data.end_date,
        col(Employment.voided_at).is_(None),
        col(Employment.id) != (own_id or 0),
    )
    if (existing := (await session.exec(same)).first()) is not None:
        raise Conflict(
            _("Employment %(existing)s already records this job (same employer and dates).")
            % {"existing": existing},
            [FieldError(field="body.employer_id", message="duplicate", code="duplicate")],
        )
    return filled


spec: StudentRecordSpec[Employment, EmploymentCreate] = StudentRecordSpec(
    model=Employment,
    create=EmploymentCreate,
    update=EmploymentUpdate,
    public=EmploymentPublic,
    path="employments",
    label=N_("employment"),
    tag="employment",
    kind_field="evidence_kind",
    kind_enum=EvidenceKind,
    prepare=prepare,
    write_roles=frozenset({UserRole.admin, UserRole.career_centre}),
    voidable=True,
    period=("start_date", "end_date"),
    verify_roles=frozenset({UserRole.admin, UserRole.financial_center}),
)


@dataclass(frozen=True)
class CurrentJob:
    job: EmploymentPublic
    employer: str


async def current_jobs(session: AsyncSession, student: Student, today: date) -> list[CurrentJob]:
    """The jobs going on today (not voided), with the employer's name, the earliest first."""
    student_id = student.id
    statement: Any = (
        select(Employment, Employer.name)
        .join(Employer, col(Employer.id) == col(Employment.employer_id))
        .where(
            Employment.student_id == student_id,
            col(Employment.voided_at).is_(None),
            col(Employment.start_date) <= today,
            col(Employment.end_date).is_(None) | (col(Employment.end_date) >= today),
        )
        .order_by(col(Employment.start_date))
    )
    return [
        CurrentJob(EmploymentPublic.model_validate(job), name)
        for job, name in await session.exec(statement)
    ]
