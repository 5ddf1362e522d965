from sqlmodel.ext.asyncio.session import AsyncSession

from service.employment.schemas import EmploymentCreate, EmploymentPublic, EmploymentUpdate
from service.enums import EvidenceKind, UserRole
from service.kit.crud import require_refs
from service.kit.errors import InvalidInput
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
        raise InvalidInput.field("body.start_date", "Work cannot start before birth.", "date_order")
    return filled


spec: StudentRecordSpec[Employment, EmploymentCreate] = StudentRecordSpec(
    model=Employment,
    create=EmploymentCreate,
    update=EmploymentUpdate,
    public=EmploymentPublic,
    path="employments",
    label="employment",
    tag="employment",
    kind_field="evidence_kind",
    kind_enum=EvidenceKind,
    prepare=prepare,
    write_roles=frozenset({UserRole.admin, UserRole.career_centre}),
    period=("start_date", "end_date"),
    verify_roles=frozenset({UserRole.admin, UserRole.financial_center}),
)
