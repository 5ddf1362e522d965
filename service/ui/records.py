"""The forms of a graduate's page: add, correct, void and verify records, and change an
enrolment's status, through the API's own services. A refused change is undone whole and the
page comes back with the form open, what was typed, and what was wrong, beside each field; an
edit over a version someone else changed meanwhile says so and shows their change."""

from typing import Annotated, Any

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.enrolments import service as enrolments_service
from service.enrolments.schemas import StatusChangeCreate
from service.enums import UserRole
from service.kit.concurrency import claim_version, etag
from service.kit.errors import Forbidden, NotFound, PreconditionFailed, ProblemError
from service.kit.fields import IdPath
from service.kit.i18n import gettext as _
from service.kit.routing import Router
from service.kit.unit_of_work import UnitOfWorkDep
from service.models.audit import AuditEvent
from service.models.auth import User
from service.students.records import (
    StudentRecordSpec,
    create_record,
    get_record,
    update_record,
    verify_record,
    void_record,
)
from service.ui.forms import field_labels, parse, refusal
from service.ui.graduate import (
    SPECS,
    OpenForm,
    graduate_context,
    readable_student,
    writable_student,
)
from service.ui.session import PREFIX, StaffPage
from service.ui.templating import render

router = Router(prefix=PREFIX, include_in_schema=False)
Version = Annotated[int, Form(ge=1, le=2**31 - 1)]


def _spec(
    kind: str, principal: Principal, roles: str = "write_roles"
) -> StudentRecordSpec[Any, Any]:
    spec = SPECS.get(kind)
    if spec is None:
        raise NotFound(_("No such kind of record."))
    if principal.role not in getattr(spec, roles):
        raise Forbidden(_("Your role may not change these records."))
    return spec


def _saved(student_id: int, kind: str) -> Response:
    return RedirectResponse(f"{PREFIX}/students/{student_id}?saved={kind}#{kind}", status_code=303)


async def changes_since(
    session: AsyncSession, entity: str, entity_id: int, version: int
) -> list[dict[str, Any]]:
    """What others changed in a record after the version a form was opened on."""
    statement: Any = (
        select(AuditEvent, User.username)
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_user_id))
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id))
        .order_by(col(AuditEvent.id))
    )
    found = []
    names = field_labels()
    for event, username in await session.exec(statement):
        after = event.after or {}
        if int(after.get("version") or 0) <= version:
            continue
        before = event.before or {}
        for name in event.changed:
            if name in ("version", "updated_at", "created_at"):
                continue
            found.append(
                {
                    "at": event.occurred_at,
                    "by": username or event.actor_role,
                    "field": names.get(name, name),
                    "before": before.get(name),
                    "after": after.get(name),
                }
            )
    return found


async def refused(
    request: Request,
    uow: UnitOfWorkDep,
    principal: Principal,
    student_id: int,
    form: OpenForm,
) -> Response:
    """Undo the write and show the page again, the form open with its errors."""
    await uow.discard()
    student = await readable_student(uow.session, principal, student_id)
    context = await graduate_context(uow.session, principal, student, form)
    context["saved"] = None
    return render(request, "graduate.html", context, form.errors.status)


async def form_values(request: Request) -> dict[str, Any]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


@router.post("/students/{student_id}/records/{kind}")
async def add_record(
    request: Request, uow: UnitOfWorkDep, principal: StaffPage, student_id: IdPath, kind: str
) -> Response:
    spec = _spec(kind, principal)
    student = await writable_student(uow, principal, student_id)
    form = await request.form()
    try:
        data = spec.create.model_validate(parse(spec.create, form, clearing=False))
        await create_record(uow.session, spec, student, data, principal)
    except (ValidationError, ProblemError) as exc:
        opened = OpenForm(kind, None, await form_values(request), refusal(exc))
        return await refused(request, uow, principal, student_id, opened)
    return _saved(student_id, kind)


@router.post("/students/{student_id}/records/{kind}/{record_id}")
async def correct_record(
    request: Request,
    uow: UnitOfWorkDep,
    principal: StaffPage,
    student_id: IdPath,
    kind: str,
    record_id: IdPath,
    version: Version,
) -> Response:
    spec = _spec(kind, principal)
    student = await writable_student(uow, principal, student_id)
    row = await get_record(uow.session, spec, student, record_id)
    form = await request.form()
    try:
        changes = spec.update.model_validate(parse(spec.update, form, clearing=True))
        await update_record(uow.session, spec, student, row, changes, principal, etag(version))
    except (ValidationError, ProblemError) as exc:
        errors = refusal(exc)
        opened = OpenForm(kind, record_id, await form_values(request), errors)
        if isinstance(exc, PreconditionFailed):
            errors.general = [
                _(
                    "Someone changed this record after you opened it. Nothing was saved: check "
                    "their change below, then save yours again if it is still right."
                )
            ]
            opened.changes_since = await changes_since(
                uow.session, spec.model.__tablename__, record_id, version
            )
            # Saving again applies over the change just shown, and only over that one.
            opened.values["version"] = str(row.version)
        return await refused(request, uow, principal, student_id, opened)
    return _saved(student_id, kind)


@router.post("/students/{student_id}/records/{kind}/{record_id}/void")
async def void(
    request: Request,
    uow: UnitOfWorkDep,
    principal: StaffPage,
    student_id: IdPath,
    kind: str,
    record_id: IdPath,
    version: Version,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    spec = _spec(kind, principal)
    student = await writable_student(uow, principal, student_id)
    row = await get_record(uow.session, spec, student, record_id)
    try:
        if not reason.strip():
            raise ValidationError.from_exception_data(
                "void", [{"type": "missing", "loc": ("reason",), "input": reason}]
            )
        await void_record(uow.session, spec, row, reason.strip(), principal, etag(version))
    except (ValidationError, ProblemError) as exc:
        opened = OpenForm(f"void-{kind}", record_id, {"reason": reason}, refusal(exc))
        return await refused(request, uow, principal, student_id, opened)
    return _saved(student_id, kind)


@router.post("/students/{student_id}/records/{kind}/{record_id}/verification")
async def verify(
    request: Request,
    uow: UnitOfWorkDep,
    principal: StaffPage,
    student_id: IdPath,
    kind: str,
    record_id: IdPath,
    version: Version,
    verified: Annotated[bool, Form()],
) -> Response:
    spec = _spec(kind, principal, "verify_roles")
    student = await writable_student(uow, principal, student_id)
    row = await get_record(uow.session, spec, student, record_id)
    try:
        await verify_record(uow.session, row, verified, etag(version))
    except ProblemError as exc:
        opened = OpenForm(f"verify-{kind}", record_id, {}, refusal(exc))
        return await refused(request, uow, principal, student_id, opened)
    return _saved(student_id, kind)


@router.post("/students/{student_id}/enrolments/{enrolment_id}/status")
async def change_status(
    request: Request,
    uow: UnitOfWorkDep,
    principal: StaffPage,
    student_id: IdPath,
    enrolment_id: IdPath,
    version: Version,
) -> Response:
    if principal.role not in (UserRole.admin, UserRole.career_centre):
        raise Forbidden(_("Your role may not change these records."))
    student = await writable_student(uow, principal, student_id)
    enrolment = await enrolments_service.get_for_student(uow.session, student, enrolment_id)
    form = await request.form()
    try:
        enrolments_service.require_own_institution(principal, enrolment.institution_id)
        change = StatusChangeCreate.model_validate(parse(StatusChangeCreate, form, False))
        await claim_version(uow.session, enrolment, etag(version))
        await enrolments_service.change_status(uow.session, enrolment, change)
    except (ValidationError, ProblemError) as exc:
        opened = OpenForm("status", enrolment_id, await form_values(request), refusal(exc))
        return await refused(request, uow, principal, student_id, opened)
    return _saved(student_id, "enrolments")
