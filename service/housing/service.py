from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import HousingKind, SupportKind, UserRole
from service.housing.schemas import (
    HousingArrangementCreate,
    HousingArrangementPublic,
    HousingArrangementUpdate,
    SupportApplicationCreate,
    SupportApplicationPublic,
    SupportApplicationUpdate,
)
from service.kit.crud import require_refs
from service.kit.text import N_
from service.models.housing import HousingArrangement, HousingSupportApplication
from service.models.reference import Region
from service.models.students import Student
from service.students.records import StudentRecordSpec, refuse_overlap


async def prepare_arrangement(
    session: AsyncSession, student: Student, data: HousingArrangementCreate, own_id: int | None
) -> HousingArrangementCreate:
    """One housing arrangement at a time: the next starts after the last one ends."""
    await require_refs(session, {"region_code": (Region, data.region_code)})
    await refuse_overlap(
        session,
        HousingArrangement,
        student.id,
        data,
        own_id,
        what=N_("housing"),
        code="housing_overlap",
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
        label=N_("housing arrangement"),
        tag="housing",
        kind_field="kind",
        kind_enum=HousingKind,
        prepare=prepare_arrangement,
        write_roles=frozenset({UserRole.admin, UserRole.career_centre, UserRole.student}),
        voidable=True,
        period=("start_date", "end_date"),
        self_reportable=True,
        # Evidence is checked by the Financial Center, not by who recorded it.
        verify_roles=frozenset({UserRole.admin, UserRole.financial_center}),
    )
)

application_spec: StudentRecordSpec[HousingSupportApplication, SupportApplicationCreate] = (
    StudentRecordSpec(
        model=HousingSupportApplication,
        create=SupportApplicationCreate,
        update=SupportApplicationUpdate,
        public=SupportApplicationPublic,
        path="housing-applications",
        label=N_("housing-support application"),
        tag="housing",
        kind_field="kind",
        kind_enum=SupportKind,
        prepare=prepare_application,
        write_roles=frozenset({UserRole.admin, UserRole.career_centre}),
        voidable=True,
    )
)
