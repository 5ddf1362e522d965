from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.models import UserRole
from service.crud import require_refs
from service.errors import InvalidInput
from service.periods import periods_overlap
from service.reference.models import Region
from service.residence.models import RegistrationKind, ResidenceRegistration
from service.residence.schemas import RegistrationCreate, RegistrationPublic, RegistrationUpdate
from service.student_records import StudentRecordSpec
from service.students.models import Student


async def prepare(
    session: AsyncSession, student: Student, data: RegistrationCreate, own_id: int | None
) -> RegistrationCreate:
    """A person has one permanent residence at a time; temporary ones may sit beside it."""
    await require_refs(session, {"region_code": (Region, data.region_code)})
    if data.kind == RegistrationKind.permanent:
        others = await session.exec(
            select(ResidenceRegistration).where(
                ResidenceRegistration.student_id == student.id,
                ResidenceRegistration.kind == RegistrationKind.permanent,
            )
        )
        for other in others:
            if other.id != own_id and periods_overlap(
                data.start_date, data.end_date, other.start_date, other.end_date
            ):
                raise InvalidInput.field(
                    "body.start_date",
                    f"Overlaps permanent registration {other.id} "
                    f"({other.start_date} to {other.end_date or 'open'}); end that one first.",
                    "permanent_overlap",
                )
    return data


spec: StudentRecordSpec[ResidenceRegistration, RegistrationCreate] = StudentRecordSpec(
    model=ResidenceRegistration,
    create=RegistrationCreate,
    update=RegistrationUpdate,
    public=RegistrationPublic,
    path="registrations",
    label="residence registration",
    tag="residence",
    kind_field="kind",
    kind_enum=RegistrationKind,
    prepare=prepare,
    write_roles=frozenset({UserRole.admin, UserRole.career_centre, UserRole.student}),
    period=("start_date", "end_date"),
    self_reportable=True,
    verify_roles=frozenset({UserRole.admin, UserRole.financial_center, UserRole.career_centre}),
)
