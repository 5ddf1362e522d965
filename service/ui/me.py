"""A graduate's own pages, under ``/app/me``: the obligation, the months and disputes over
them, the risks with what to do and whom to call. No path names a student: the page is the
signed-in student's, and any id a form sends is checked to be theirs."""

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.disputes import service as disputes_service
from service.disputes.schemas import DisputeCreate
from service.employment.service import spec as employment_spec
from service.enums import DecisionStatus, DisputeStatus, DisputeSubject, NoticeStatus
from service.housing.service import arrangement_spec
from service.kit.concurrency import claim_version, etag
from service.kit.errors import NotFound, ProblemError
from service.kit.fields import IdPath
from service.kit.i18n import current_locale, format_month
from service.kit.i18n import gettext as _
from service.kit.pagination import PageParams
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep, UnitOfWorkDep
from service.labels import label
from service.models.disputes import Dispute
from service.models.employment import Employment
from service.models.enrolments import Enrolment
from service.models.obligations import BreachDecision, BreachNotice
from service.models.organisations import Employer, Institution
from service.models.students import Student
from service.obligations import service as obligations_service
from service.obligations.loader import region_names
from service.obligations.views import (
    LedgerPublic,
    ObligationPublic,
    Reading,
    ledger_public,
    obligation_public,
)
from service.residence.service import spec as registration_spec
from service.risks import service as risks_service
from service.students.records import list_records
from service.ui.forms import FormErrors, refusal
from service.ui.record_forms import form_values
from service.ui.session import PREFIX, StudentPage
from service.ui.templating import render

router = Router(prefix=f"{PREFIX}/me", include_in_schema=False)
RECORDS_SHOWN = 100
# The records whose verification a graduate follows on their obligation page.
FOLLOWED = (employment_spec, registration_spec, arrangement_spec)


async def own_student(session: AsyncSession, principal: Principal) -> Student:
    student = await session.get(Student, principal.student_id)
    if student is None:  # the account outlived its record
        raise NotFound(_("No student record is linked to this account."))
    return student


@dataclass
class Standing:
    """The obligation as the graduate reads it today (None before graduation)."""

    obligation: ObligationPublic | None
    ledger: LedgerPublic | None
    names: dict[str, str]


async def standing(session: AsyncSession, student: Student, today: date) -> Standing:
    names = await region_names(session)
    reading = Reading(
        by_student=True, consent=student.data_sharing_consent, region_names=names, today=today
    )
    shown = {code: n.get(current_locale.get()) for code, n in names.items()}
    try:
        result = await obligations_service.obligation(session, student, today)
    except NotFound:
        return Standing(None, None, shown)
    return Standing(obligation_public(result, reading), ledger_public(result), shown)


async def _work(session: AsyncSession, student: Student, today: date) -> list[dict[str, Any]]:
    """The jobs going on today, with the employer's name."""
    statement: Any = (
        select(Employment, Employer.name)
        .join(Employer, col(Employer.id) == col(Employment.employer_id))
        .where(
            Employment.student_id == student.id,
            col(Employment.voided_at).is_(None),
            col(Employment.start_date) <= today,
            col(Employment.end_date).is_(None) | (col(Employment.end_date) >= today),
        )
        .order_by(col(Employment.start_date))
    )
    return [{"job": job, "employer": name} for job, name in await session.exec(statement)]


async def _records(session: AsyncSession, student: Student) -> list[dict[str, Any]]:
    titles = {
        employment_spec.path: _("Employment"),
        registration_spec.path: _("Residence registration"),
        arrangement_spec.path: _("Housing"),
    }
    found = []
    for spec in FOLLOWED:
        rows, _cursor = await list_records(
            session, cast(Any, spec), student, PageParams(limit=RECORDS_SHOWN), None, None
        )
        found += [
            {
                "kind": spec.path,
                "title": titles[spec.path],
                "what": label(getattr(r, spec.kind_field)),
                "row": r,
            }
            for r in rows
        ]
    return found


@router.get("")
async def my_obligation(request: Request, session: SessionDep, principal: StudentPage) -> Response:
    student = await own_student(session, principal)
    today = date.today()
    mine = await standing(session, student, today)
    return render(
        request,
        "me_obligation.html",
        {
            "student": student,
            "obligation": mine.obligation,
            "region_names": mine.names,
            "work": await _work(session, student, today),
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
    session: AsyncSession,
    student: Student,
    form: DisputeForm | None = None,
    status: int = 200,
) -> Response:
    mine = await standing(session, student, date.today())
    disputes = (
        await session.exec(
            select(Dispute).where(Dispute.student_id == student.id).order_by(col(Dispute.id).desc())
        )
    ).all()
    months = []
    if mine.ledger is not None:
        for m in reversed(mine.ledger.months):
            first = date.fromisoformat(f"{m.month}-01")
            months.append({"m": m, "first": first, "name": format_month(first)})
    notices: Any = select(BreachNotice).where(
        BreachNotice.student_id == student.id, BreachNotice.status == NoticeStatus.open
    )
    decisions: Any = select(BreachDecision).where(
        BreachDecision.student_id == student.id,
        BreachDecision.status == DecisionStatus.in_force,
    )
    disputed = {(d.subject, d.subject_id) for d in disputes if d.status == DisputeStatus.open}
    against = [
        {"subject": subject, "row": row, "key": f"{subject.value}-{row.id}"}
        for subject, rows in (
            (DisputeSubject.breach_notice, (await session.exec(notices)).all()),
            (DisputeSubject.breach_decision, (await session.exec(decisions)).all()),
        )
        for row in rows
        if (subject, row.id) not in disputed
    ]
    open_months = {
        f"{d.month:%Y-%m}"
        for d in disputes
        if d.status == DisputeStatus.open and d.month is not None
    }
    return render(
        request,
        "me_months.html",
        {
            "ledger": mine.ledger,
            "months": months,
            "disputes": disputes,
            "against": against,
            "open_months": open_months,
            "form": form,
            "sent": request.query_params.get("sent"),
        },
        status,
    )


@router.get("/months")
async def my_months(request: Request, session: SessionDep, principal: StudentPage) -> Response:
    return await months_page(request, session, await own_student(session, principal))


async def _own_enrolment(session: AsyncSession, student: Student, raw: Any) -> int:
    """The enrolment a form names, if it is the student's; anything else is not found."""
    text = raw if isinstance(raw, str) else ""
    enrolment = (
        await session.get(Enrolment, int(text)) if text.isascii() and text.isdigit() else None
    )
    if enrolment is None or enrolment.student_id != student.id:
        raise NotFound(_("No such enrolment of yours."))
    assert enrolment.id is not None
    return enrolment.id


@router.post("/disputes")
async def open_dispute(request: Request, uow: UnitOfWorkDep, principal: StudentPage) -> Response:
    await uow.lock_students([principal.student_id or 0])
    student = await own_student(uow.session, principal)
    form = await request.form()
    values = await form_values(request)
    enrolment_id = await _own_enrolment(uow.session, student, form.get("enrolment_id"))
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
        student = await own_student(uow.session, principal)
        return await months_page(request, uow.session, student, opened, opened.errors.status)
    return RedirectResponse(f"{PREFIX}/me/months?sent=1#disputes", status_code=303)


@router.post("/disputes/{dispute_id}/withdrawal")
async def withdraw_dispute(
    request: Request, uow: UnitOfWorkDep, principal: StudentPage, dispute_id: IdPath
) -> Response:
    await uow.lock_students([principal.student_id or 0])
    student = await own_student(uow.session, principal)
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
        student = await own_student(uow.session, principal)
        return await months_page(request, uow.session, student, opened, opened.errors.status)
    return RedirectResponse(f"{PREFIX}/me/months#disputes", status_code=303)


async def _contacts(session: AsyncSession, student: Student) -> list[Institution]:
    """The career centres of the student's institutions, the latest enrolment's first."""
    statement: Any = (
        select(Institution)
        .join(Enrolment, col(Enrolment.institution_id) == col(Institution.id))
        .where(Enrolment.student_id == student.id)
        .order_by(col(Enrolment.start_date).desc())
    )
    seen: dict[int | None, Institution] = {}
    for institution in await session.exec(statement):
        seen.setdefault(institution.id, institution)
    return list(seen.values())


@router.get("/risks")
async def my_risks(request: Request, session: SessionDep, principal: StudentPage) -> Response:
    student = await own_student(session, principal)
    flags = await risks_service.student_flags(session, student, date.today(), by_student=True)
    contacts = await _contacts(session, student)
    by_id = {i.id: i for i in contacts}
    first = contacts[0] if contacts else None
    return render(
        request,
        "me_risks.html",
        {
            "flags": [{"flag": f, "centre": by_id.get(f.institution_id, first)} for f in flags],
            "contacts": contacts,
        },
    )
