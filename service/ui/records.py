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
from service.graduates import access
from service.graduates.access import RECORD_SPECS
from service.kit.concurrency import claim_version, etag
from service.kit.errors import ProblemError
from service.kit.fields import IdPath
from service.kit.unit_of_work import UnitOfWorkDep
from service.students.records import (
    StudentRecordSpec,
    get_record,
    require_role,
    verify_record,
    void_record,
)
from service.students.records_router import Void
from service.ui.forms import OpenForm, parse, refusal
from service.ui.graduate_view import refused
from service.ui.record_forms import (
    Version,
    add_from_form,
    correct_from_form,
    form_values,
)
from service.ui.session import PREFIX, StaffPage, page_router

router = page_router()


def _spec(kind: str, principal: Principal, verify: bool = False) -> StudentRecordSpec[Any, Any]:
    """The kind of record in the path; a role the service would refuse is refused first."""
    spec: StudentRecordSpec[Any, Any] = access.record_spec(kind, RECORD_SPECS)
    require_role(principal, spec.verify_roles if verify else spec.write_roles)
    return spec


def _saved(student_id: int, kind: str) -> Response:
    return RedirectResponse(f"{PREFIX}/students/{student_id}?saved={kind}#{kind}", status_code=303)


@router.post("/students/{student_id}/records/{kind}")
async def add_record(
    request: Request, uow: UnitOfWorkDep, principal: StaffPage, student_id: IdPath, kind: str
) -> Response:
    spec = _spec(kind, principal)
    student = await access.writable(uow, principal, student_id)
    added = await add_from_form(request, uow.session, spec, student, principal)
    if isinstance(added, OpenForm):
        return await refused(request, uow, principal, student_id, added)
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
    student = await access.writable(uow, principal, student_id)
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
    student = await access.writable(uow, principal, student_id)
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
    spec = _spec(kind, principal, verify=True)
    student = await access.writable(uow, principal, student_id)
    row = await get_record(uow.session, spec, student, record_id)
    try:
        await verify_record(uow.session, spec, row, verified, principal, etag(version))
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
    student = await access.writable(uow, principal, student_id)
    enrolment = await enrolments_service.get_for_student(uow.session, student, enrolment_id)
    form = await request.form()
    try:
        change = StatusChangeCreate.model_validate(parse(StatusChangeCreate, form, False))
        await claim_version(uow.session, enrolment, etag(version))
        await enrolments_service.change_status(uow.session, enrolment, change, principal)
    except (ValidationError, ProblemError) as exc:
        opened = OpenForm("status", enrolment_id, await form_values(request), refusal(exc))
        return await refused(request, uow, principal, student_id, opened)
    return _saved(student_id, "enrolments")
