"""A graduate's page drawn from their file: the file is read once by its domain, and this
module adds only what a page adds, the forms (with what was typed and what was wrong) and
what the user's role may do, as the services would decide it."""

from datetime import date
from typing import Any

from fastapi import Request, Response

from service.auth.principal import Principal
from service.auth.schemas import UserPublic
from service.disputes.schemas import DisputeResolution
from service.enrolments import service as enrolments_service
from service.enrolments.schemas import EnrolmentPublic, StatusChangeCreate
from service.enums import ALLOWED_TRANSITIONS, DisputeStatus, NoticeStatus
from service.graduates import access
from service.graduates.access import RECORD_SPECS
from service.graduates.file import GraduateFile, read_file
from service.invitations import service as invitations_service
from service.kit.i18n import current_locale
from service.kit.unit_of_work import SessionDep, UnitOfWork
from service.labels import label
from service.obligations.schemas import BreachDecisionCreate, BreachNoticeCreate
from service.organisations import service as organisations_service
from service.reference import service as reference_service
from service.ui.forms import OpenForm, fields_of, opened
from service.ui.templating import render
from service.ui.words import section_titles


async def _choices(session: SessionDep, enrolments: list[EnrolmentPublic]) -> dict[str, Any]:
    regions = await reference_service.region_choices(session)
    employers = await organisations_service.employer_choices(session)
    return {
        "region_code": [(c, f"{n} ({c})") for c, n in regions],
        "employer_id": [(str(i), n) for i, n in employers],
        "enrolment_id": [(str(e.id), f"{e.specialty_name} ({e.cohort})") for e in enrolments],
    }


async def graduate_context(
    session: SessionDep, principal: Principal, student: Any, form: OpenForm | None = None
) -> dict[str, Any]:
    today = date.today()
    file = await read_file(session, student, today)
    choices = await _choices(session, file.enrolments)
    names = file.standing.region_names
    return _decisions(principal, file, form, choices) | {
        "student": file.student,
        "enrolments": file.enrolments,
        "history": file.history,
        "institutions": file.institutions,
        "obligation": file.standing.obligation,
        "ledger": file.standing.ledger,
        "risks": file.standing.flags,
        "records": file.records,
        "specs": RECORD_SPECS,
        "titles": section_titles(),
        "timeline": file.timeline,
        "form": form,
        "forms": _forms(principal, form, choices),
        "edit_forms": _edit_forms(principal, file.records, form, choices),
        "status_form": _status_form(principal, file.enrolments, form),
        "may_write": {k: principal.role in s.write_roles for k, s in RECORD_SPECS.items()},
        "may_verify": {k: principal.role in s.verify_roles for k, s in RECORD_SPECS.items()},
        "may_change_status": principal.is_editor,
        "region_names": {code: n.get(current_locale.get()) for code, n in names.items()},
        "today": today,
        "self_service": {
            "may_give_link": principal.role in invitations_service.INVITERS,
            "account": UserPublic.model_validate(file.account) if file.account else None,
        },
        "link": None,
    }


def _forms(principal: Principal, form: OpenForm | None, choices: dict[str, Any]) -> dict[str, Any]:
    """The "add" form of every record the user may write."""
    forms = {}
    for kind, spec in RECORD_SPECS.items():
        if principal.role not in spec.write_roles:
            continue
        mine = opened(form, kind)
        forms[kind] = fields_of(
            spec.create, mine.values if mine else {}, mine.errors if mine else None, choices
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
        spec = RECORD_SPECS[kind]
        if principal.role not in spec.write_roles:
            continue
        for row in rows:
            if getattr(row, "voided_at", None) is not None:
                continue
            mine = opened(form, kind, row.id)
            values = mine.values if mine else row.model_dump()
            errors = mine.errors if mine else None
            forms[(kind, row.id)] = fields_of(spec.create, values, errors, choices)
    return forms


def _status_form(
    principal: Principal, enrolments: list[EnrolmentPublic], form: OpenForm | None
) -> dict[int, Any]:
    """A status form per enrolment the user may move on (the service's rule decides)."""
    forms = {}
    for e in enrolments:
        allowed = ALLOWED_TRANSITIONS[e.status]
        if not allowed or not enrolments_service.may_change(principal, e.institution_id):
            continue
        mine = opened(form, "status", e.id)
        forms[e.id] = fields_of(
            StatusChangeCreate,
            mine.values if mine else {},
            mine.errors if mine else None,
            {"status": [(s.value, label(s)) for s in sorted(allowed)]},
        )
    return forms


def _decisions(
    principal: Principal, file: GraduateFile, form: OpenForm | None, choices: dict[str, Any]
) -> dict[str, Any]:
    """The Financial Center's notices, decisions and disputes, with its forms for them."""
    lists = {"notices": file.notices, "decisions": file.decisions, "disputes": file.disputes}
    if not principal.sees_everything:
        return lists | {"may_decide": False}
    notice = opened(form, "notice")
    decision_forms = {
        n.id: fields_of(
            BreachDecisionCreate,
            (f.values if (f := opened(form, "decision", n.id)) else {}),
            f.errors if f else None,
            {},
            only=("decision_number", "note"),
        )
        for n in file.notices
        if n.status == NoticeStatus.open
    }
    resolution_forms = {
        d.id: fields_of(
            DisputeResolution,
            (f.values if (f := opened(form, "resolution", d.id)) else {}),
            f.errors if f else None,
            {},
        )
        for d in file.disputes
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


async def show_graduate(
    request: Request, session: SessionDep, principal: Principal, student_id: int
) -> Response:
    student = await access.readable(session, principal, student_id)
    context = await graduate_context(session, principal, student)
    context["saved"] = request.query_params.get("saved")
    return render(request, "graduate.html", context)


async def refused(
    request: Request, uow: UnitOfWork, principal: Principal, student_id: int, form: OpenForm
) -> Response:
    """Undo the write and show the page again, the form open with its errors."""
    await uow.discard()
    student = await access.readable(uow.session, principal, student_id)
    context = await graduate_context(uow.session, principal, student, form)
    context["saved"] = None
    return render(request, "graduate.html", context, form.errors.status)
