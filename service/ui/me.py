"""A graduate's own pages, under ``/app/me``: the obligation, the months and disputes over
them, the risks with what to do and whom to call. No path names a student: the page is the
signed-in student's, and any id a form sends is checked to be theirs."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from service.disputes import service as disputes_service
from service.disputes.schemas import DisputeCreate
from service.employment import service as employment_service
from service.enrolments import service as enrolments_service
from service.enums import DisputeSubject
from service.graduates import access
from service.graduates.access import FOLLOWED
from service.graduates.file import records_of, standing
from service.graduates.month_runs import by_year
from service.kit.concurrency import claim_version, etag
from service.kit.errors import ProblemError
from service.kit.fields import IdPath
from service.kit.i18n import current_locale
from service.kit.unit_of_work import SessionDep, UnitOfWorkDep
from service.labels import label
from service.ui.forms import FormErrors, refusal
from service.ui.record_forms import form_values
from service.ui.session import PREFIX, StudentPage, page_router
from service.ui.templating import render
from service.ui.words import section_titles

router = page_router(f"{PREFIX}/me")
MONTH = re.compile(r"20[0-9]{2}-(0[1-9]|1[0-2])")
"""A ledger month as a page's query writes it (``2026-09``)."""
RECORDS_SHOWN = 100


def _shown_names(names: dict[str, Any]) -> dict[str, str]:
    return {code: n.get(current_locale.get()) for code, n in names.items()}


async def _records(session: SessionDep, student: Any) -> list[dict[str, Any]]:
    """The records whose verification the graduate follows, each with what it is."""
    specs = {s.path: s for s in FOLLOWED}
    titles = section_titles()
    found = await records_of(session, student, specs, RECORDS_SHOWN, False)
    return [
        {
            "kind": kind,
            "title": titles[kind],
            "what": label(getattr(r, specs[kind].kind_field)),
            "row": r,
        }
        for kind, rows in found.items()
        for r in rows
    ]


@router.get("")
async def my_obligation(request: Request, session: SessionDep, principal: StudentPage) -> Response:
    student = await access.own(session, principal)
    today = date.today()
    mine = await standing(session, student, today, by_student=True)
    return render(
        request,
        "me_obligation.html",
        {
            "student": student,
            "obligation": mine.obligation,
            # The most urgent risk first: the flags come sorted as a reader works them.
            "urgent": mine.flags[0] if mine.flags else None,
            "today": today,
            "region_names": _shown_names(mine.region_names),
            "work": await employment_service.current_jobs(session, student, today),
            "records": await _records(session, student),
        },
    )


@dataclass
class DisputeForm:
    month: str
    values: dict[str, str]
    errors: FormErrors


async def months_page(
    request: Request,
    session: SessionDep,
    student: Any,
    form: DisputeForm | None = None,
    status: int = 200,
) -> Response:
    mine = await standing(session, student, date.today(), by_student=True)
    years = by_year(mine.ledger.months) if mine.ledger is not None else []
    still = await disputes_service.disputable(session, student)
    against = [
        {"subject": subject, "row": row, "key": f"{subject.value}-{row.id}"}
        for subject, rows in (
            (DisputeSubject.breach_notice, still.notices),
            (DisputeSubject.breach_decision, still.decisions),
        )
        for row in rows
    ]
    return render(
        request,
        "me_months.html",
        {
            "ledger": mine.ledger,
            "years": years,
            # The month to show unfolded: one jumped to, or the one whose dispute was refused.
            "shown_month": form.month if form else _month_param(request, "open"),
            "disputes": still.disputes,
            "against": against,
            "open_months": still.open_months,
            "form": form,
            "sent": request.query_params.get("sent"),
        },
        status,
    )


def _month_param(request: Request, name: str) -> str | None:
    written = request.query_params.get(name, "")
    return written if MONTH.fullmatch(written) else None


@router.get("/months/jump")
async def jump_to_month(request: Request, principal: StudentPage) -> Response:
    """The month chosen in the list, unfolded and scrolled to (a fragment survives the
    redirect, so no script is needed)."""
    month = _month_param(request, "month")
    if month is None:
        return RedirectResponse(f"{PREFIX}/me/months", status_code=303)
    return RedirectResponse(f"{PREFIX}/me/months?open={month}#month-{month}", status_code=303)


@router.get("/months")
async def my_months(request: Request, session: SessionDep, principal: StudentPage) -> Response:
    return await months_page(request, session, await access.own(session, principal))


@router.post("/disputes")
async def open_dispute(request: Request, uow: UnitOfWorkDep, principal: StudentPage) -> Response:
    student = await access.own_writable(uow, principal)
    form = await request.form()
    values = await form_values(request)
    enrolment_id = await enrolments_service.own_enrolment_id(
        uow.session, student, form.get("enrolment_id")
    )
    month = values.get("month", "")
    # A month of the ledger, or a notice or decision of the Financial Center (by its id).
    subject = values.get("subject", DisputeSubject.ledger_month.value)
    decision = subject in (DisputeSubject.breach_notice, DisputeSubject.breach_decision)
    subject_id = values.get("subject_id", "")
    try:
        data = DisputeCreate.model_validate(
            {
                "enrolment_id": enrolment_id,
                "subject": subject if decision else DisputeSubject.ledger_month,
                "subject_id": subject_id if decision else None,
                "month": None if decision else (f"{month}-01" if len(month) == 7 else month),
                "reason": values.get("reason", ""),
                "evidence": values.get("evidence", "").strip() or None,
            }
        )
        await disputes_service.open_dispute(uow.session, student, data, principal, date.today())
    except (ValidationError, ProblemError) as exc:
        await uow.discard()
        opened = DisputeForm(f"{subject}-{subject_id}" if decision else month, values, refusal(exc))
        student = await access.own(uow.session, principal)
        return await months_page(request, uow.session, student, opened, opened.errors.status)
    return RedirectResponse(f"{PREFIX}/me/months?sent=1#disputes", status_code=303)


@router.post("/disputes/{dispute_id}/withdrawal")
async def withdraw_dispute(
    request: Request, uow: UnitOfWorkDep, principal: StudentPage, dispute_id: IdPath
) -> Response:
    student = await access.own_writable(uow, principal)
    dispute = await disputes_service.get_dispute(uow.session, student, dispute_id)
    form = await request.form()
    version = form.get("version")
    try:
        if isinstance(version, str) and version.isascii() and version.isdigit():
            await claim_version(uow.session, dispute, etag(int(version)))
        await disputes_service.withdraw(uow.session, dispute, principal, date.today())
    except ProblemError as exc:
        await uow.discard()
        opened = DisputeForm("", {}, refusal(exc))
        student = await access.own(uow.session, principal)
        return await months_page(request, uow.session, student, opened, opened.errors.status)
    return RedirectResponse(f"{PREFIX}/me/months#disputes", status_code=303)


@router.get("/risks")
async def my_risks(request: Request, session: SessionDep, principal: StudentPage) -> Response:
    student = await access.own(session, principal)
    flags = (await standing(session, student, date.today(), by_student=True)).flags
    contacts = await enrolments_service.career_centres(session, student)
    by_id: dict[int | None, Any] = {i.id: i for i in contacts}
    first = contacts[0] if contacts else None
    return render(
        request,
        "me_risks.html",
        {
            "flags": [{"flag": f, "centre": by_id.get(f.institution_id, first)} for f in flags],
            "contacts": contacts,
        },
    )
