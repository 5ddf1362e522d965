from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.enrolments.schemas import (
    EnrolmentCreate,
    EnrolmentFields,
    EnrolmentPublic,
    EnrolmentUpdate,
    StatusChangeCreate,
    StatusChangePublic,
)
from service.enums import ALLOWED_TRANSITIONS, EnrolmentStatus, UserRole
from service.kit.crud import apply, merge_update, require_refs
from service.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from service.kit.i18n import _
from service.kit.pagination import PageParams, paginate
from service.models.enrolments import Enrolment, EnrolmentStatusChange
from service.models.organisations import Employer, Institution
from service.models.programmes import Programme
from service.models.reference import Region
from service.models.students import Student
from service.organisations.schemas import InstitutionPublic
from service.programmes.service import rule_for_cohort
from service.students.records import owned_or_404


def require_own_institution(principal: Principal, institution_id: int) -> None:
    """A career centre enrols at, and changes enrolments of, its own institution only."""
    if principal.role == UserRole.career_centre and institution_id != principal.institution_id:
        raise Forbidden(_("A career centre acts only for its own institution."))


def may_change(principal: Principal, institution_id: int) -> bool:
    """Who changes an enrolment's status: an editor, a career centre at its own institution."""
    return principal.is_editor and (
        principal.role != UserRole.career_centre or institution_id == principal.institution_id
    )


async def own_enrolment_id(session: AsyncSession, student: Student, raw: object) -> int:
    """The enrolment a graduate's form names, if it is theirs; anything else is not found."""
    text = raw if isinstance(raw, str) else ""
    enrolment = (
        await session.get(Enrolment, int(text))
        if text.isascii() and text.isdigit() and len(text) <= 10
        else None
    )
    if enrolment is None or enrolment.student_id != student.id or enrolment.id is None:
        raise NotFound(_("No such enrolment of yours."))
    return enrolment.id


OPEN_STATUSES = (EnrolmentStatus.enrolled, EnrolmentStatus.academic_leave)


async def get_for_student(session: AsyncSession, student: Student, enrolment_id: int) -> Enrolment:
    return await owned_or_404(session, Enrolment, enrolment_id, student.id, "enrolment")


async def _check(session: AsyncSession, data: EnrolmentFields, graduated: bool) -> None:
    await require_refs(
        session,
        {
            "institution_id": (Institution, data.institution_id),
            "programme_id": (Programme, data.programme_id),
            "referral_employer_id": (Employer, data.referral_employer_id),
            "referral_region_code": (Region, data.referral_region_code),
        },
    )
    has_rule = await rule_for_cohort(session, data.programme_id, data.start_date.year) is not None
    check_fields(data, graduated, has_rule)


def check_fields(data: EnrolmentFields, graduated: bool, has_rule: bool) -> None:
    """The rules of an enrolment's own fields, once its references are known to exist."""
    if not has_rule:
        raise InvalidInput.field(
            "body.start_date",
            _("Programme %(programme_id)s has no obligation rule for the %(cohort)s cohort.")
            % {"programme_id": data.programme_id, "cohort": data.start_date.year},
            "no_rule_for_cohort",
        )
    if graduated and data.graduation_date is None:
        raise InvalidInput.field(
            "body.graduation_date",
            _("A graduated enrolment needs its graduation date."),
            "graduation_date_required",
        )
    if not graduated and data.graduation_date is not None:
        raise InvalidInput.field(
            "body.graduation_date",
            _("Only a graduated enrolment has a graduation date; record the status change."),
            "graduation_date_unexpected",
        )
    # The assignment commission refers graduates before they graduate.
    if data.referral_date and data.graduation_date and data.referral_date > data.graduation_date:
        raise InvalidInput.field(
            "body.referral_date",
            _("The work referral is issued before graduation."),
            "referral_after_graduation",
        )


def initial_history(enrolment: Enrolment) -> list[EnrolmentStatusChange]:
    """A new enrolment's history: `enrolled` at the start, then its status when it took effect
    (an enrolment recorded after the fact may already be graduated, say)."""
    assert enrolment.id is not None
    return [
        EnrolmentStatusChange(
            enrolment_id=enrolment.id,
            student_id=enrolment.student_id,
            status=status,
            effective_on=effective_on,
        )
        for status, effective_on in history_entries(
            enrolment.status, enrolment.start_date, enrolment.status_since
        )
    ]


def history_entries(
    status: EnrolmentStatus, start_date: date, status_since: date
) -> list[tuple[EnrolmentStatus, date]]:
    entries = [(EnrolmentStatus.enrolled, start_date)]
    if status != EnrolmentStatus.enrolled:
        entries.append((status, status_since))
    return entries


async def create(session: AsyncSession, student: Student, data: EnrolmentCreate) -> Enrolment:
    assert student.id is not None
    graduated = data.status == EnrolmentStatus.graduated
    await _check(session, data, graduated)
    if data.status in OPEN_STATUSES:
        open_one = await session.exec(
            select(Enrolment.id).where(
                Enrolment.student_id == student.id, col(Enrolment.status).in_(OPEN_STATUSES)
            )
        )
        if (existing := open_one.first()) is not None:
            raise Conflict(
                _("Student %(student_id)s is already studying (enrolment %(existing)s).")
                % {"student_id": student.id, "existing": existing}
            )
    enrolment = new_enrolment(student.id, data)
    session.add(enrolment)
    await session.flush()
    assert enrolment.id is not None
    session.add_all(initial_history(enrolment))
    await session.flush()
    return enrolment


def new_enrolment(student_id: int, data: EnrolmentCreate) -> Enrolment:
    """A new enrolment's row: its cohort, and when its status took effect."""
    return Enrolment.model_validate(enrolment_values(student_id, data))


def enrolment_values(student_id: int, data: EnrolmentCreate) -> dict[str, Any]:
    """What a new enrolment stores beside its fields, by the rules of its status's date."""
    graduated = data.status == EnrolmentStatus.graduated
    status_since = data.status_since or (data.graduation_date if graduated else data.start_date)
    assert status_since is not None
    if graduated and status_since != data.graduation_date:
        raise InvalidInput.field(
            "body.status_since",
            _("A graduated enrolment's status dates from its graduation."),
            "graduation_date_mismatch",
        )
    if status_since < data.start_date:
        raise InvalidInput.field(
            "body.status_since",
            _("The status cannot take effect before the study starts."),
            "date_order",
        )
    return data.model_dump(exclude={"status_since"}) | {
        "student_id": student_id,
        "cohort": data.start_date.year,
        "status_since": status_since,
    }


async def update(
    session: AsyncSession, enrolment: Enrolment, changes: EnrolmentUpdate
) -> Enrolment:
    data = merge_update(enrolment, changes, EnrolmentFields)
    await _check(session, data, enrolment.status == EnrolmentStatus.graduated)
    if data.start_date > enrolment.status_since:
        raise InvalidInput.field(
            "body.start_date",
            _("The study cannot start after its current status took effect."),
            "date_order",
        )
    apply(enrolment, data)
    enrolment.cohort = data.start_date.year
    session.add(enrolment)
    await session.flush()
    return enrolment


async def change_status(
    session: AsyncSession, enrolment: Enrolment, change: StatusChangeCreate, principal: Principal
) -> EnrolmentStatusChange:
    assert enrolment.id is not None
    if not principal.is_editor:
        raise Forbidden(_("Your role may not change these records."))
    require_own_institution(principal, enrolment.institution_id)
    if change.status not in ALLOWED_TRANSITIONS[enrolment.status]:
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[enrolment.status])) or "none"
        raise InvalidInput.field(
            "body.status",
            _(
                "An enrolment that is %(enrolment_status)s cannot become %(change_status)s "
                "(allowed: %(allowed)s)."
            )
            % {
                "enrolment_status": enrolment.status,
                "change_status": change.status,
                "allowed": allowed,
            },
            "status_transition",
        )
    if change.effective_on < enrolment.status_since:
        raise InvalidInput.field(
            "body.effective_on",
            _(
                "The change cannot take effect before the current status "
                "(%(enrolment_status_since)s)."
            )
            % {"enrolment_status_since": enrolment.status_since},
            "date_order",
        )
    if change.status == EnrolmentStatus.graduated:
        if enrolment.referral_date and enrolment.referral_date > change.effective_on:
            raise InvalidInput.field(
                "body.effective_on",
                _("Graduation cannot precede the recorded work referral."),
                "referral_after_graduation",
            )
        enrolment.graduation_date = change.effective_on
    enrolment.status = change.status
    enrolment.status_since = change.effective_on
    entry = EnrolmentStatusChange(
        enrolment_id=enrolment.id,
        student_id=enrolment.student_id,
        status=change.status,
        effective_on=change.effective_on,
        note=change.note,
    )
    session.add_all([enrolment, entry])
    await session.flush()
    return entry


async def status_history(
    session: AsyncSession, enrolment: Enrolment
) -> Sequence[EnrolmentStatusChange]:
    statement = (
        select(EnrolmentStatusChange)
        .where(EnrolmentStatusChange.enrolment_id == enrolment.id)
        .order_by(col(EnrolmentStatusChange.id))
    )
    return (await session.exec(statement)).all()


async def list_page(
    session: AsyncSession,
    page: PageParams,
    student: Student,
    status: EnrolmentStatus | None,
) -> tuple[list[Enrolment], str | None]:
    statement = select(Enrolment).where(Enrolment.student_id == student.id)
    if status:
        statement = statement.where(Enrolment.status == status)
    return await paginate(session, statement, page, [col(Enrolment.id)])


async def of_student(session: AsyncSession, student_id: int) -> list[EnrolmentPublic]:
    statement = (
        select(Enrolment).where(Enrolment.student_id == student_id).order_by(col(Enrolment.id))
    )
    return [EnrolmentPublic.model_validate(e) for e in await session.exec(statement)]


async def history_of_student(session: AsyncSession, student_id: int) -> list[StatusChangePublic]:
    """Every status change of every enrolment of the student, oldest first."""
    statement = (
        select(EnrolmentStatusChange)
        .where(EnrolmentStatusChange.student_id == student_id)
        .order_by(col(EnrolmentStatusChange.id))
    )
    return [StatusChangePublic.model_validate(c) for c in await session.exec(statement)]


async def cohorts(session: AsyncSession, institution_id: int | None) -> list[int]:
    """The cohorts enrolled (at one institution, or anywhere), the latest first."""
    statement: Any = select(Enrolment.cohort).distinct()
    if institution_id is not None:
        statement = statement.where(Enrolment.institution_id == institution_id)
    return sorted(await session.exec(statement), reverse=True)


async def career_centres(session: AsyncSession, student: Student) -> list[InstitutionPublic]:
    """The career centres of the student's institutions, the latest enrolment's first."""
    student_id = student.id
    statement: Any = (
        select(Institution)
        .join(Enrolment, col(Enrolment.institution_id) == col(Institution.id))
        .where(Enrolment.student_id == student_id)
        .order_by(col(Enrolment.start_date).desc())
    )
    seen: dict[int | None, Institution] = {}
    for institution in await session.exec(statement):
        seen.setdefault(institution.id, institution)
    return [InstitutionPublic.model_validate(i) for i in seen.values()]
