"""The graduate reports their housing and residence registration: added or corrected with the
forms, validation and messages staff see, stored self-reported and unverified as the API
stores them. What staff recorded is shown, not editable: the student asks them to correct it."""

from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from service.auth.principal import Principal
from service.graduates import access
from service.graduates.access import SELF_REPORTED
from service.graduates.file import records_of
from service.kit.fields import IdPath
from service.kit.unit_of_work import SessionDep, UnitOfWorkDep
from service.reference import service as reference_service
from service.students.records import get_record
from service.ui.forms import OpenForm, fields_of
from service.ui.record_forms import Version, add_from_form, correct_from_form
from service.ui.session import PREFIX, StudentPage, page_router
from service.ui.templating import render
from service.ui.words import section_titles

RECORDS_SHOWN = 100
router = page_router(f"{PREFIX}/me")


async def _choices(session: SessionDep) -> dict[str, list[tuple[str, str]]]:
    regions = await reference_service.region_choices(session)
    return {"region_code": [(c, f"{n} ({c})") for c, n in regions]}


async def report_context(
    session: SessionDep, student: Any, form: OpenForm | None = None
) -> dict[str, Any]:
    choices = await _choices(session)
    sections = []
    titles = section_titles()
    found = await records_of(session, student, SELF_REPORTED, RECORDS_SHOWN, False)
    for kind, spec in SELF_REPORTED.items():
        rows = found[kind]
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
                    if getattr(row, "self_reported", False)
                    else None,
                    "open": editing,
                }
            )
        sections.append(
            {
                "kind": kind,
                "title": titles[kind],
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
    student = await access.own(session, principal)
    context = await report_context(session, student)
    context["saved"] = request.query_params.get("saved")
    return render(request, "me_report.html", context)


async def _refused(
    request: Request, uow: UnitOfWorkDep, principal: Principal, form: OpenForm
) -> Response:
    await uow.discard()
    student = await access.own(uow.session, principal)
    context = await report_context(uow.session, student, form)
    context["saved"] = None
    return render(request, "me_report.html", context, form.errors.status)


def _saved(kind: str, record_id: int) -> Response:
    # The saved record, with its confirmation beside it, is what the page scrolls to.
    target = f"{kind}-{record_id}"
    return RedirectResponse(f"{PREFIX}/me/report?saved={target}#{target}", status_code=303)


@router.post("/report/{kind}")
async def report(
    request: Request, uow: UnitOfWorkDep, principal: StudentPage, kind: str
) -> Response:
    spec = access.record_spec(kind, SELF_REPORTED)
    student = await access.own_writable(uow, principal)
    added = await add_from_form(request, uow.session, spec, student, principal)
    if isinstance(added, OpenForm):
        return await _refused(request, uow, principal, added)
    return _saved(kind, added)


@router.post("/report/{kind}/{record_id}")
async def correct(
    request: Request,
    uow: UnitOfWorkDep,
    principal: StudentPage,
    kind: str,
    record_id: IdPath,
    version: Version,
) -> Response:
    spec = access.record_spec(kind, SELF_REPORTED)
    student = await access.own_writable(uow, principal)
    # Another student's record is not found, and nothing is written.
    row = await get_record(uow.session, spec, student, record_id)
    opened = await correct_from_form(request, uow.session, spec, student, row, principal, version)
    if opened is not None:
        return await _refused(request, uow, principal, opened)
    return _saved(kind, record_id)
