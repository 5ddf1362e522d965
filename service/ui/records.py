"""The forms of a graduate's page: add, correct, void and verify records, and change an
enrolment's status, through the API's own services. A refused change is undone whole and the
page comes back with the form open, what was typed, and what was wrong, beside each field; an
edit over a version someone else changed meanwhile says so and shows their change."""

from typing import Annotated, Any

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from service.auth.principal import Principal
from service.enrolments import service as enrolments_service
from service.enrolments.schemas import StatusChangeCreate
from service.enums import UserRole
from service.kit.concurrency import claim_version, etag
from service.kit.errors import Forbidden, NotFound, ProblemError
from service.kit.fields import IdPath
from service.kit.i18n import gettext as _
from service.kit.routing import Router
from service.kit.unit_of_work import UnitOfWorkDep
from service.students.records import (
    StudentRecordSpec,
    get_record,
    verify_record,
    void_record,
)
from service.students.records_router import Void
from service.ui.forms import parse, refusal
from service.ui.graduate import (
    SPECS,
    OpenForm,
    graduate_context,
    readable_student,
    writable_student,
)
from service.ui.record_forms import (
    Version,
    add_from_form,
    correct_from_form,
    form_values,
)
from service.ui.session import PREFIX, StaffPage
from service.ui.templating import render

router = Router(prefix=PREFIX, include_in_schema=False)


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


@router.post("/students/{student_id}/records/{kind}")
async def add_record(
    request: Request, uow: UnitOfWorkDep, principal: StaffPage, student_id: IdPath, kind: str
) -> Response:
    spec = _spec(kind, principal)
    student = await writable_student(uow, principal, student_id)
    opened = await add_from_form(request, uow.session, spec, student, principal)
    if opened is not None:
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
    opened = await correct_from_form(request, uow.session, spec, student, row, principal, version)
    if opened is not None:
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
        given = Void.model_validate({"reason": reason})
        await void_record(uow.session, spec, row, given.reason, principal, etag(version))
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
