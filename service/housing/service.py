from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.models import UserRole
from service.crud import require_refs
from service.errors import InvalidInput
from service.housing.models import (
    HousingArrangement,
    HousingKind,
    HousingSupportApplication,
    SupportKind,
)
from service.housing.schemas import (
    HousingArrangementCreate,
    HousingArrangementPublic,
    HousingArrangementUpdate,
    SupportApplicationCreate,
    SupportApplicationPublic,
    SupportApplicationUpdate,
)
from service.periods import periods_overlap
from service.reference.models import Region
from service.student_records import StudentRecordSpec
from service.students.models import Student


async def prepare_arrangement(
    session: AsyncSession, student: Student, data: HousingArrangementCreate, own_id: int | None
) -> HousingArrangementCreate:
    """One housing arrangement at a time: the next starts after the last one ends."""
    await require_refs(session, {"region_code": (Region, data.region_code)})
    others = await session.exec(
        select(HousingArrangement).where(HousingArrangement.student_id == student.id)
    )
    for other in others:
        if other.id != own_id and periods_overlap(
            data.start_date, data.end_date, other.start_date, other.end_date
        ):
            raise InvalidInput.field(
                "body.start_date",
                f"Overlaps housing {other.id} ({other.kind}, {other.start_date} to "
                f"{other.end_date or 'open'}); end that one first.",
                "housing_overlap",
            )
    return data


async def prepare_application(
    session: AsyncSession, student: Student, data: SupportApplicationCreate, own_id: int | None
) -> SupportApplicationCreate:
    await require_refs(session, {"region_code": (Region, data.region_code)})
    return data


arrangement_spec: StudentRecordSpec[HousingArrangement, HousingArrangementCreate] = (
    StudentRecordSpec(
        model=HousingArrangement,
        create=HousingArrangementCreate,
        update=HousingArrangementUpdate,
        public=HousingArrangementPublic,
        path="housing",
        label="housing arrangement",
        tag="housing",
        kind_field="kind",
        kind_enum=HousingKind,
        prepare=prepare_arrangement,
        write_roles=frozenset({UserRole.admin, UserRole.career_centre, UserRole.student}),
        period=("start_date", "end_date"),
        self_reportable=True,
        verify_roles=frozenset({UserRole.admin, UserRole.financial_center, UserRole.career_centre}),
    )
)

application_spec: StudentRecordSpec[HousingSupportApplication, SupportApplicationCreate] = (
    StudentRecordSpec(
        model=HousingSupportApplication,
        create=SupportApplicationCreate,
        update=SupportApplicationUpdate,
        public=SupportApplicationPublic,
        path="housing-applications",
        label="housing-support application",
        tag="housing",
        kind_field="kind",
        kind_enum=SupportKind,
        prepare=prepare_application,
        write_roles=frozenset({UserRole.admin, UserRole.career_centre}),
    )
)
