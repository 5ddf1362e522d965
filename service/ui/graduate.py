"""A graduate's page: profile, enrolments and their history, the obligation, the ledger, the
risks with their actions, the records with forms to add and correct them, and a timeline of
every change from the audit trail."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from fastapi import Request, Response
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.disputes.schemas import DisputeResolution
from service.employment.service import spec as employment_spec
from service.enrolments.schemas import StatusChangeCreate
from service.enums import ALLOWED_TRANSITIONS, DisputeStatus, NoticeStatus, UserRole
from service.housing.service import application_spec, arrangement_spec
from service.invitations import service as invitations_service
from service.kit.errors import NotFound
from service.kit.fields import IdPath
from service.kit.i18n import current_locale
from service.kit.i18n import gettext as _
from service.kit.pagination import PageParams
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep, UnitOfWork
from service.labels import label
from service.models.audit import PRIVATE_ENTITIES, AuditEvent
from service.models.auth import User
from service.models.disputes import Dispute
from service.models.enrolments import Enrolment, EnrolmentStatusChange
from service.models.obligations import BreachDecision, BreachNotice
from service.models.organisations import Employer, Institution
from service.models.reference import Region
from service.models.students import Student
from service.obligations import service as obligations_service
from service.obligations.loader import region_names
from service.obligations.records import release_spec, suspension_spec
from service.obligations.schemas import BreachDecisionCreate, BreachNoticeCreate
from service.obligations.views import Reading, ledger_public, obligation_public
from service.residence.service import spec as registration_spec
from service.risks import service as risks_service
from service.students import service as students_service
from service.students.records import StudentRecordSpec, list_records
from service.ui.forms import FormErrors, fields_of
from service.ui.session import PREFIX, StaffPage
from service.ui.templating import render

router = Router(prefix=PREFIX, include_in_schema=False)

# The records a graduate's page lists and edits, by the path segment of their forms.
SPECS: dict[str, StudentRecordSpec[Any, Any]] = {
    s.path: s
    for s in (
        employment_spec,
        registration_spec,
        arrangement_spec,
        application_spec,
        suspension_spec,
        release_spec,
    )
}
RECORDS_SHOWN = 200
TIMELINE_SHOWN = 100


def section_titles() -> dict[str, str]:
    return {
        "employments": _("Employment"),
        "registrations": _("Residence registration"),
        "housing": _("Housing"),
        "housing-applications": _("Housing-support applications"),
        "suspensions": _("Suspensions"),
        "release-decisions": _("Release decisions"),
    }


@dataclass
class OpenForm:
    """A form sent back with what the user typed and what was wrong with it."""

    kind: str
    record_id: int | None
    values: dict[str, Any]
    errors: FormErrors
    changes_since: list[dict[str, Any]] = field(default_factory=list)


async def readable_student(session: AsyncSession, principal: Principal, student_id: int) -> Student:
    """The student, if the user may see them: another institution's student is not found."""
    student = await students_service.get_readable(session, principal, student_id)
    if student is None:
        raise NotFound(_("No such student in your scope."))
    return student


async def writable_student(uow: UnitOfWork, principal: Principal, student_id: int) -> Student:
    """The student a form writes under, locked first (the write path's rule), if in scope."""
    await uow.lock_students([student_id])
    return await readable_student(uow.session, principal, student_id)


async def _choices(session: AsyncSession, enrolments: list[Enrolment]) -> dict[str, Any]:
    name = {"kk": Region.name_kk, "ru": Region.name_ru}.get(current_locale.get(), Region.name_en)
    regions: Any = select(Region.code, name).order_by(col(Region.code))
    employers: Any = select(Employer.id, Employer.name).order_by(col(Employer.name)).limit(1000)
    return {
        "region_code": [(c, f"{n} ({c})") for c, n in await session.exec(regions)],
        "employer_id": [(str(i), n) for i, n in await session.exec(employers)],
        "enrolment_id": [(str(e.id), f"{e.specialty_name} ({e.cohort})") for e in enrolments],
    }


async def _timeline(session: AsyncSession, student_id: int) -> list[dict[str, Any]]:
    statement: Any = (
        sa.select(
            col(AuditEvent.occurred_at),
            col(AuditEvent.entity),
            col(AuditEvent.entity_id),
            col(AuditEvent.action),
            col(AuditEvent.changed),
            col(AuditEvent.actor_role),
            col(User.username),
        )
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_user_id))
        .where(
            col(AuditEvent.student_id) == student_id,
            col(AuditEvent.entity).not_in(PRIVATE_ENTITIES),
        )
        .order_by(col(AuditEvent.id).desc())
        .limit(TIMELINE_SHOWN)
    )
    return [dict(row._mapping) for row in await session.exec(statement)]


async def graduate_context(
    session: AsyncSession, principal: Principal, student: Student, form: OpenForm | None = None
) -> dict[str, Any]:
    assert student.id is not None
    today = date.today()
    enrolments = list(
        (
            await session.exec(
                select(Enrolment)
                .where(Enrolment.student_id == student.id)
                .order_by(col(Enrolment.id))
            )
        ).all()
    )
    history = (
        await session.exec(
            select(EnrolmentStatusChange)
            .where(EnrolmentStatusChange.student_id == student.id)
            .order_by(col(EnrolmentStatusChange.id))
        )
    ).all()
    institutions = {
        i.id: i.name
        for i in (
            await session.exec(
                select(Institution).where(
                    col(Institution.id).in_({e.institution_id for e in enrolments})
                )
            )
        ).all()
    }
    names = await region_names(session)
    reading = Reading(
        by_student=False, consent=student.data_sharing_consent, region_names=names, today=today
    )
    try:
        result = await obligations_service.obligation(session, student, today)
        obligation, ledger = obligation_public(result, reading), ledger_public(result)
    except NotFound:
        obligation, ledger = None, None
    records = {}
    for kind, spec in SPECS.items():
        rows, _cursor = await list_records(
            session, spec, student, PageParams(limit=RECORDS_SHOWN), None, None, True
        )
        records[kind] = rows
    choices = await _choices(session, enrolments)
    return await _decisions(session, principal, student.id, form, choices) | {
        "student": student,
        "enrolments": enrolments,
        "history": history,
        "institutions": institutions,
        "obligation": obligation,
        "ledger": ledger,
        "risks": await risks_service.student_flags(session, student, today, by_student=False),
        "records": records,
        "specs": SPECS,
        "titles": section_titles(),
        "timeline": await _timeline(session, student.id),
        "form": form,
        "forms": _forms(principal, form, choices),
        "edit_forms": _edit_forms(principal, records, form, choices),
        "status_form": _status_form(principal, enrolments, form),
        "may_write": {k: principal.role in s.write_roles for k, s in SPECS.items()},
        "may_verify": {k: principal.role in s.verify_roles for k, s in SPECS.items()},
        "may_change_status": principal.role in (UserRole.admin, UserRole.career_centre),
        "region_names": {code: n.get(current_locale.get()) for code, n in names.items()},
        "today": today,
        "self_service": {
            "may_give_link": principal.role in invitations_service.INVITERS,
            "account": await invitations_service.account_of(session, student.id),
        },
        "link": None,
    }


def _forms(principal: Principal, form: OpenForm | None, choices: dict[str, Any]) -> dict[str, Any]:
    """The "add" form of every record the user may write."""
    forms = {}
    for kind, spec in SPECS.items():
        if principal.role not in spec.write_roles:
            continue
        mine = form is not None and form.kind == kind and form.record_id is None
        forms[kind] = fields_of(
            spec.create,
            form.values if mine and form else {},
            form.errors if mine and form else None,
            choices,
        )
    return forms


def _edit_forms(
    principal: Principal,
    records: dict[str, list[Any]],
    form: OpenForm | None,
    choices: dict[str, Any],
) -> dict[tuple[str, int], Any]:
    """A correction form per record the user may change (not voided ones)."""
    forms = {}
    for kind, rows in records.items():
        spec = SPECS[kind]
        if principal.role not in spec.write_roles:
            continue
        for row in rows:
            if getattr(row, "voided_at", None) is not None:
                continue
            mine = form is not None and form.kind == kind and form.record_id == row.id
            values = form.values if mine and form else row.model_dump()
            errors = form.errors if mine and form else None
            forms[(kind, row.id)] = fields_of(spec.create, values, errors, choices)
    return forms


def _status_form(
    principal: Principal, enrolments: list[Enrolment], form: OpenForm | None
) -> dict[int, Any]:
    if principal.role not in (UserRole.admin, UserRole.career_centre):
        return {}
    forms = {}
    for e in enrolments:
        allowed = ALLOWED_TRANSITIONS[e.status]
        if not allowed or (
            principal.institution_id is not None and principal.institution_id != e.institution_id
        ):
            continue
        mine = form is not None and form.kind == "status" and form.record_id == e.id
        fields = fields_of(
            StatusChangeCreate,
            form.values if mine and form else {},
            form.errors if mine and form else None,
            {"status": [(s.value, label(s)) for s in sorted(allowed)]},
        )
        forms[e.id or 0] = fields
    return forms


def _opened(form: OpenForm | None, kind: str, record_id: int | None = None) -> OpenForm | None:
    if form is not None and form.kind == kind and form.record_id == record_id:
        return form
    return None


async def _decisions(
    session: AsyncSession,
    principal: Principal,
    student_id: int,
    form: OpenForm | None,
    choices: dict[str, Any],
) -> dict[str, Any]:
    """The Financial Center's notices, decisions and disputes, with its forms for them."""
    lists = {}
    for name, model in (
        ("notices", BreachNotice),
        ("decisions", BreachDecision),
        ("disputes", Dispute),
    ):
        statement: Any = select(model).where(model.student_id == student_id).order_by(col(model.id))
        lists[name] = list((await session.exec(statement)).all())
    if not principal.sees_everything:
        return lists | {"may_decide": False}
    notice = _opened(form, "notice")
    decision_forms = {
        n.id: fields_of(
            BreachDecisionCreate,
            ((f := _opened(form, "decision", n.id)) and f.values) or {},
            f.errors if f else None,
            {},
            only=("decision_number", "note"),
        )
        for n in lists["notices"]
        if n.status == NoticeStatus.open
    }
    resolution_forms = {
        d.id: fields_of(
            DisputeResolution,
            ((f := _opened(form, "resolution", d.id)) and f.values) or {},
            f.errors if f else None,
            {},
        )
        for d in lists["disputes"]
        if d.status == DisputeStatus.open
    }
    return lists | {
        "may_decide": True,
        "notice_form": fields_of(
            BreachNoticeCreate,
            notice.values if notice else {},
            notice.errors if notice else None,
            {"enrolment_id": choices["enrolment_id"]},
        ),
        "decision_forms": decision_forms,
        "resolution_forms": resolution_forms,
    }


@router.get("/students/{student_id}")
async def graduate_page(
    request: Request, session: SessionDep, principal: StaffPage, student_id: IdPath
) -> Response:
    student = await readable_student(session, principal, student_id)
    context = await graduate_context(session, principal, student)
    context["saved"] = request.query_params.get("saved")
    return render(request, "graduate.html", context)
