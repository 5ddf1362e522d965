"""The graduate reports their housing and residence registration: added or corrected with the
forms, validation and messages staff see, stored self-reported and unverified as the API
stores them. What staff recorded is shown, not editable: the student asks them to correct it."""

from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.enums import UserRole
from service.housing.service import arrangement_spec
from service.kit.errors import NotFound
from service.kit.fields import IdPath
from service.kit.i18n import current_locale
from service.kit.i18n import gettext as _
from service.kit.pagination import PageParams
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep, UnitOfWorkDep
from service.models.reference import Region
from service.models.students import Student
from service.residence.service import spec as registration_spec
from service.students.records import (
    StudentRecordSpec,
    get_record,
    list_records,
)
from service.ui.forms import fields_of
from service.ui.graduate import OpenForm
from service.ui.me import RECORDS_SHOWN, own_student
from service.ui.record_forms import Version, add_from_form, correct_from_form
from service.ui.session import PREFIX, StudentPage
from service.ui.templating import render

# What a graduate may report, by the path segment of its forms: the specs say so.
router = Router(prefix=f"{PREFIX}/me", include_in_schema=False)
REPORTABLE: dict[str, StudentRecordSpec[Any, Any]] = {
    s.path: s
    for s in (registration_spec, arrangement_spec)
    if s.self_reportable and UserRole.student in s.write_roles
}


def _titles() -> dict[str, str]:
    return {"registrations": _("Residence registration"), "housing": _("Housing")}


def _spec(kind: str) -> StudentRecordSpec[Any, Any]:
    spec = REPORTABLE.get(kind)
    if spec is None:
        raise NotFound(_("No such kind of record."))
    return spec


async def _choices(session: AsyncSession) -> dict[str, list[tuple[str, str]]]:
    name = {"kk": Region.name_kk, "ru": Region.name_ru}.get(current_locale.get(), Region.name_en)
    regions: Any = select(Region.code, name).order_by(col(Region.code))
    return {"region_code": [(c, f"{n} ({c})") for c, n in await session.exec(regions)]}


async def report_context(
    session: AsyncSession, student: Student, form: OpenForm | None = None
) -> dict[str, Any]:
    choices = await _choices(session)
    sections = []
    for kind, spec in REPORTABLE.items():
        rows, _cursor = await list_records(
            session, spec, student, PageParams(limit=RECORDS_SHOWN), None, None
        )
        mine = form is not None and form.kind == kind and form.record_id is None
        items = []
        for row in rows:
            editing = form is not None and form.kind == kind and form.record_id == row.id
            items.append(
                {
                    "row": row,
                    "fields": fields_of(
                        spec.create,
                        form.values if editing and form else row.model_dump(),
                        form.errors if editing and form else None,
                        choices,
                    )
                    if row.self_reported
                    else None,
                    "open": editing,
                }
            )
        sections.append(
            {
                "kind": kind,
                "title": _titles()[kind],
                "rows": items,
                "new": fields_of(
                    spec.create,
                    form.values if mine and form else {},
                    form.errors if mine and form else None,
                    choices,
                ),
                "open": mine,
            }
        )
    names = dict(choices["region_code"])
    return {"sections": sections, "form": form, "region_names": names}


@router.get("/report")
async def report_page(request: Request, session: SessionDep, principal: StudentPage) -> Response:
    student = await own_student(session, principal)
    context = await report_context(session, student)
    context["saved"] = request.query_params.get("saved")
    return render(request, "me_report.html", context)


async def _refused(
    request: Request, uow: UnitOfWorkDep, principal: Principal, form: OpenForm
) -> Response:
    await uow.discard()
    student = await own_student(uow.session, principal)
    context = await report_context(uow.session, student, form)
    context["saved"] = None
    return render(request, "me_report.html", context, form.errors.status)


def _saved(kind: str) -> Response:
    return RedirectResponse(f"{PREFIX}/me/report?saved={kind}#{kind}", status_code=303)


async def _locked_student(uow: UnitOfWorkDep, principal: Principal) -> Student:
    await uow.lock_students([principal.student_id or 0])
    return await own_student(uow.session, principal)


@router.post("/report/{kind}")
async def report(
    request: Request, uow: UnitOfWorkDep, principal: StudentPage, kind: str
) -> Response:
    spec = _spec(kind)
    student = await _locked_student(uow, principal)
    opened = await add_from_form(request, uow.session, spec, student, principal)
    if opened is not None:
        return await _refused(request, uow, principal, opened)
    return _saved(kind)


@router.post("/report/{kind}/{record_id}")
async def correct(
    request: Request,
    uow: UnitOfWorkDep,
    principal: StudentPage,
    kind: str,
    record_id: IdPath,
    version: Version,
) -> Response:
    spec = _spec(kind)
    student = await _locked_student(uow, principal)
    # Another student's record is not found, and nothing is written.
    row = await get_record(uow.session, spec, student, record_id)
    opened = await correct_from_form(request, uow.session, spec, student, row, principal, version)
    if opened is not None:
        return await _refused(request, uow, principal, opened)
    return _saved(kind)
