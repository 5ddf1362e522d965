from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import RegistrationKind, UserRole
from service.kit.crud import require_refs
from service.kit.text import N_
from service.models.reference import Region
from service.models.residence import ResidenceRegistration
from service.models.students import Student
from service.residence.schemas import RegistrationCreate, RegistrationPublic, RegistrationUpdate
from service.students.records import StudentRecordSpec, refuse_overlap


async def prepare(
    session: AsyncSession, student: Student, data: RegistrationCreate, own_id: int | None
) -> RegistrationCreate:
    """A person has one permanent residence at a time; temporary ones may sit beside it."""
    await require_refs(session, {"region_code": (Region, data.region_code)})
    if data.kind == RegistrationKind.permanent:
        await refuse_overlap(
            session,
            ResidenceRegistration,
            student.id,
            data,
            own_id,
            what=N_("permanent registration"),
            code="permanent_overlap",
            where=(ResidenceRegistration.kind == RegistrationKind.permanent,),
        )
    return data


spec: StudentRecordSpec[ResidenceRegistration, RegistrationCreate] = StudentRecordSpec(
    model=ResidenceRegistration,
    create=RegistrationCreate,
    update=RegistrationUpdate,
    public=RegistrationPublic,
    path="registrations",
    label=N_("residence registration"),
    tag="residence",
    kind_field="kind",
    kind_enum=RegistrationKind,
    prepare=prepare,
    write_roles=frozenset({UserRole.admin, UserRole.career_centre, UserRole.student}),
    voidable=True,
    period=("start_date", "end_date"),
    self_reportable=True,
    # Evidence is checked by the Financial Center, not by who recorded it.
    verify_roles=frozenset({UserRole.admin, UserRole.financial_center}),
)
