"""What one row does to the database, kind by kind, through the same services as the API:
the same rules, the same audit trail and change feed, the same re-evaluation at the commit.

A row is matched to what is already stored by its natural key (a student by IIN, an
enrolment by institution, programme and start, a record by its kind or employer and start),
so importing the same file twice changes nothing the second time. Blank cells leave the
stored values as they are."""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.employment.service import spec as employment_spec
from service.enrolments import service as enrolments_service
from service.enrolments.schemas import EnrolmentCreate, EnrolmentUpdate, StatusChangeCreate
from service.enums import EnrolmentStatus
from service.housing.service import arrangement_spec
from service.imports.columns import ImportKind
from service.kit.concurrency import claim_version, etag
from service.kit.i18n import _
from service.kit.unit_of_work import UnitOfWork
from service.models.enrolments import Enrolment
from service.models.students import Student
from service.residence.service import spec as registration_spec
from service.students import service as students_service
from service.students.records import StudentRecordSpec, create_record, update_record
from service.students.schemas import StudentCreate, StudentUpdate

RECORD_SPECS: dict[ImportKind, StudentRecordSpec[Any, Any]] = {
    ImportKind.employments: employment_spec,
    ImportKind.registrations: registration_spec,
    ImportKind.housing: arrangement_spec,
}
# What identifies a stored record of each kind, beside its student.
NATURAL_KEYS: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.employments: ("employer_id", "start_date"),
    ImportKind.registrations: ("kind", "start_date"),
    ImportKind.housing: ("kind", "start_date"),
}
STUDENT_FIELDS = frozenset(StudentCreate.model_fields)
ENROLMENT_FIELDS = frozenset(EnrolmentCreate.model_fields)


class RowRefused(Exception):
    """A row the rules refuse for a reason of the row, not of one cell's value."""

    def __init__(self, field: str | None, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


@dataclass
class Written:
    created: bool = False
    updated: bool = False
    student_id: int | None = None
    record_id: int | None = None


def changes(row: Any, data: BaseModel, given: set[str]) -> dict[str, Any]:
    """The given fields whose value differs from the stored one."""
    values = data.model_dump()
    return {f: values[f] for f in sorted(given) if f in values and getattr(row, f) != values[f]}


async def _readable(session: AsyncSession, principal: Principal, student: Student) -> None:
    assert student.id is not None
    if await students_service.get_readable(session, principal, student.id) is None:
        # Whether the IIN is known elsewhere is not this institution's to learn.
        raise RowRefused(
            "iin",
            "other_institution",
            _(
                "This IIN belongs to a student of another institution; their career centre "
                "or the Financial Center can change the record."
            ),
        )


def graduate_bodies(body: dict[str, Any]) -> tuple[StudentCreate, EnrolmentCreate]:
    """A graduates row as the API's two request bodies (a ValidationError if either fails)."""
    student = {k: body[k] for k in STUDENT_FIELDS & body.keys()}
    enrolment = {k: body[k] for k in ENROLMENT_FIELDS & body.keys()}
    return StudentCreate.model_validate(student), EnrolmentCreate.model_validate(enrolment)


async def write_graduate(
    uow: UnitOfWork,
    principal: Principal,
    body: dict[str, Any],
    given: set[str],
    bodies: tuple[StudentCreate, EnrolmentCreate] | None = None,
) -> Written:
    """A graduates row through the services (``bodies``: the row already validated)."""
    session, out = uow.session, Written()
    student_data, enrolment_data = bodies or graduate_bodies(body)
    enrolments_service.require_own_institution(principal, enrolment_data.institution_id)
    student = (await session.exec(select(Student).where(Student.iin == student_data.iin))).first()
    if student is None:
        student = await students_service.create(session, student_data, principal)
        out.created = True
    else:
        await _readable(session, principal, student)
        await uow.lock_students([student.id or 0])
        if found := changes(student, student_data, given & STUDENT_FIELDS):
            await claim_version(session, student, etag(student.version))
            await students_service.update(session, student, StudentUpdate(**found))
            out.updated = True
    out.student_id = student.id
    enrolment = (
        await session.exec(
            select(Enrolment).where(
                Enrolment.student_id == student.id,
                Enrolment.institution_id == enrolment_data.institution_id,
                Enrolment.programme_id == enrolment_data.programme_id,
                Enrolment.start_date == enrolment_data.start_date,
            )
        )
    ).first()
    if enrolment is None:
        enrolment = await enrolments_service.create(session, student, enrolment_data)
        out.created = True
    else:
        out.updated |= await _update_enrolment(session, enrolment, enrolment_data, given, principal)
    out.record_id = enrolment.id
    return out


def moved_status_date(enrolment: Enrolment, data: EnrolmentCreate, given: set[str]) -> bool:
    """Whether the row gives another date for the status the enrolment already has."""
    return (
        "status_since" in given
        and data.status_since is not None
        and data.status == enrolment.status
        and data.status_since != enrolment.status_since
    )


async def _update_enrolment(
    session: AsyncSession,
    enrolment: Enrolment,
    data: EnrolmentCreate,
    given: set[str],
    principal: Principal,
) -> bool:
    status_given = bool(given & {"status", "graduation_date"})
    new_status = status_given and data.status != enrolment.status
    if not new_status and moved_status_date(enrolment, data, given):
        raise RowRefused(
            "status_since",
            "status_date_fixed",
            _(
                "The status is the same; the date it took effect is corrected in the "
                "graduate's status history, not by an import."
            ),
        )
    fields = given & set(EnrolmentUpdate.model_fields)
    if new_status:
        # The status change brings the graduation date with it.
        fields -= {"graduation_date"}
    found = changes(enrolment, data, fields)
    if found:
        await claim_version(session, enrolment, etag(enrolment.version))
        await enrolments_service.update(session, enrolment, EnrolmentUpdate(**found))
    if new_status:
        effective_on = (
            data.graduation_date if data.status == EnrolmentStatus.graduated else data.status_since
        )
        if effective_on is None:
            raise RowRefused(
                "status_since",
                "status_date_required",
                _("Give the date the status took effect."),
            )
        await claim_version(session, enrolment, etag(enrolment.version))
        await enrolments_service.change_status(
            session,
            enrolment,
            StatusChangeCreate(status=data.status, effective_on=effective_on),
            principal,
        )
    return bool(found) or new_status


async def write_record(
    uow: UnitOfWork,
    principal: Principal,
    kind: ImportKind,
    body: dict[str, Any],
    given: set[str],
) -> Written:
    session, spec = uow.session, RECORD_SPECS[kind]
    student = await _student_of(session, principal, body)
    assert student.id is not None
    await uow.lock_students([student.id])
    data = spec.create.model_validate(
        {k: body[k] for k in spec.create.model_fields.keys() & body.keys()}
    )
    model: Any = spec.model
    key = NATURAL_KEYS[kind]
    stored = (
        await session.exec(
            select(model).where(
                model.student_id == student.id,
                col(model.voided_at).is_(None),
                *(getattr(model, f) == getattr(data, f) for f in key),
            )
        )
    ).first()
    out = Written(student_id=student.id)
    if stored is None:
        stored = await create_record(session, spec, student, data, principal)
        out.created = True
    elif found := changes(stored, data, given & set(spec.update.model_fields)):
        await update_record(
            session, spec, student, stored, spec.update(**found), principal, etag(stored.version)
        )
        out.updated = True
    out.record_id = stored.id
    return out


async def _student_of(session: AsyncSession, principal: Principal, body: dict[str, Any]) -> Student:
    """The row's student, by id or IIN, if this principal may change them."""
    statement = select(Student)
    if body.get("student_id") is not None:
        statement = statement.where(Student.id == body["student_id"])
    else:
        statement = statement.where(Student.iin == body.get("iin"))
    if (clause := students_service.readable_by(principal)) is not None:
        statement = statement.where(clause)
    student = (await session.exec(statement)).first()
    if student is None:
        field = "student_id" if body.get("student_id") is not None else "iin"
        raise RowRefused(field, "unknown_student", _("No student of yours has this IIN or id."))
    if body.get("iin") and body.get("student_id") is not None and student.iin != body["iin"]:
        raise RowRefused("iin", "iin_mismatch", _("The IIN is not that student's."))
    return student
