from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import DecisionStatus, ReleaseGround, SuspensionReason, UserRole
from service.kit.crud import require_unique
from service.kit.errors import Conflict, InvalidInput
from service.kit.i18n import _
from service.kit.text import N_
from service.models.enrolments import Enrolment
from service.models.obligations import BreachDecision, ReleaseDecision, Suspension
from service.models.students import Student
from service.obligations.schemas import (
    ReleaseDecisionCreate,
    ReleaseDecisionPublic,
    ReleaseDecisionUpdate,
    SuspensionCreate,
    SuspensionPublic,
    SuspensionUpdate,
)
from service.students.records import StudentRecordSpec, owned_reference, refuse_overlap


async def prepare_suspension(
    session: AsyncSession, student: Student, data: SuspensionCreate, own_id: int | None
) -> SuspensionCreate:
    """Suspensions do not overlap: each paused month must have one reason."""
    await refuse_overlap(
        session,
        Suspension,
        student.id,
        data,
        own_id,
        what=N_("suspension"),
        code="suspension_overlap",
    )
    return data


async def prepare_release(
    session: AsyncSession, student: Student, data: ReleaseDecisionCreate, own_id: int | None
) -> ReleaseDecisionCreate:
    """A release concerns one of the student's own enrolments, once."""
    enrolment = await owned_reference(
        session, Enrolment, data.enrolment_id, student.id, "enrolment_id", "enrolment"
    )
    await require_unique(session, ReleaseDecision, "enrolment_id", data.enrolment_id, own_id)
    breach = await session.exec(
        select(BreachDecision.id).where(
            BreachDecision.enrolment_id == enrolment.id,
            BreachDecision.status == DecisionStatus.in_force,
        )
    )
    if (breach_id := breach.first()) is not None:
        raise Conflict(
            _("Breach decision %(breach_id)s is in force for this enrolment; dispute it first.")
            % {"breach_id": breach_id}
        )
    graduation_year = (enrolment.graduation_date or enrolment.expected_graduation_date).year
    if data.decided_on.year != graduation_year:
        raise InvalidInput.field(
            "body.decided_on",
            _(
                "The assignment commission releases graduates only in the year of graduation "
                "(%(graduation_year)s)."
            )
            % {"graduation_year": graduation_year},
            "release_outside_graduation_year",
        )
    if data.decided_on < enrolment.start_date:
        raise InvalidInput.field(
            "body.decided_on",
            _("A release cannot be decided before the study starts."),
            "date_order",
        )
    return data


suspension_spec: StudentRecordSpec[Suspension, SuspensionCreate] = StudentRecordSpec(
    model=Suspension,
    create=SuspensionCreate,
    update=SuspensionUpdate,
    public=SuspensionPublic,
    path="suspensions",
    label=N_("suspension"),
    tag="obligations",
    kind_field="reason",
    kind_enum=SuspensionReason,
    prepare=prepare_suspension,
    write_roles=frozenset({UserRole.admin, UserRole.career_centre}),
    voidable=True,
    period=("start_date", "end_date"),
)

release_spec: StudentRecordSpec[ReleaseDecision, ReleaseDecisionCreate] = StudentRecordSpec(
    model=ReleaseDecision,
    create=ReleaseDecisionCreate,
    update=ReleaseDecisionUpdate,
    public=ReleaseDecisionPublic,
    path="release-decisions",
    label=N_("release decision"),
    tag="obligations",
    kind_field="ground",
    kind_enum=ReleaseGround,
    prepare=prepare_release,
    write_roles=frozenset({UserRole.admin, UserRole.financial_center}),
)
