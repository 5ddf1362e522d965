"""The Financial Center's decisions on a graduate's page: breach notices (and their
withdrawal), breach decisions after the notice period, and dispute resolutions, through the
same services as the API. Release decisions and verification are records (``records``)."""

from datetime import date

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from service.disputes import service as disputes_service
from service.disputes.schemas import DisputeResolution
from service.graduates import access
from service.kit.concurrency import claim_version, etag
from service.kit.errors import ProblemError
from service.kit.fields import IdPath
from service.kit.unit_of_work import UnitOfWorkDep
from service.obligations import breach
from service.obligations.schemas import BreachDecisionCreate, BreachNoticeCreate
from service.ui.forms import OpenForm, parse, refusal
from service.ui.graduate_view import refused
from service.ui.record_forms import Version, form_values
from service.ui.session import PREFIX, MonitorPage, page_router

router = page_router()


def _done(student_id: int) -> Response:
    return RedirectResponse(
        f"{PREFIX}/students/{student_id}?saved=decisions#decisions", status_code=303
    )


@router.post("/students/{student_id}/breach-notices")
async def issue_notice(
    request: Request, uow: UnitOfWorkDep, principal: MonitorPage, student_id: IdPath
) -> Response:
    student = await access.writable(uow, principal, student_id)
    try:
        data = BreachNoticeCreate.model_validate(
            parse(BreachNoticeCreate, await request.form(), clearing=False)
        )
        await breach.issue_notice(uow.session, student, data, date.today())
    except (ValidationError, ProblemError) as exc:
        opened = OpenForm("notice", None, await form_values(request), refusal(exc))
        return await refused(request, uow, principal, student_id, opened)
    return _done(student_id)


@router.post("/students/{student_id}/breach-notices/{notice_id}/withdrawal")
async def withdraw_notice(
    request: Request,
    uow: UnitOfWorkDep,
    principal: MonitorPage,
    student_id: IdPath,
    notice_id: IdPath,
    version: Version,
) -> Response:
    await access.writable(uow, principal, student_id)
    notice = await breach.get_notice(uow.session, student_id, notice_id)
    try:
        await claim_version(uow.session, notice, etag(version))
        await breach.withdraw_notice(uow.session, notice)
    except ProblemError as exc:
        opened = OpenForm("withdraw", notice_id, {}, refusal(exc))
        return await refused(request, uow, principal, student_id, opened)
    return _done(student_id)


@router.post("/students/{student_id}/breach-decisions")
async def decide_breach(
    request: Request, uow: UnitOfWorkDep, principal: MonitorPage, student_id: IdPath
) -> Response:
    student = await access.writable(uow, principal, student_id)
    values = await form_values(request)
    try:
        data = BreachDecisionCreate.model_validate(
            parse(BreachDecisionCreate, await request.form(), clearing=False)
        )
        await breach.decide_breach(uow.session, student, data, date.today())
    except (ValidationError, ProblemError) as exc:
        notice = int(values.get("notice_id") or 0) if values.get("notice_id", "").isdigit() else 0
        opened = OpenForm("decision", notice, values, refusal(exc))
        return await refused(request, uow, principal, student_id, opened)
    return _done(student_id)


@router.post("/students/{student_id}/disputes/{dispute_id}/resolution")
async def resolve_dispute(
    request: Request,
    uow: UnitOfWorkDep,
    principal: MonitorPage,
    student_id: IdPath,
    dispute_id: IdPath,
    version: Version,
) -> Response:
    student = await access.writable(uow, principal, student_id)
    dispute = await disputes_service.get_dispute(uow.session, student, dispute_id)
    try:
        data = DisputeResolution.model_validate(
            parse(DisputeResolution, await request.form(), clearing=False)
        )
        await claim_version(uow.session, dispute, etag(version))
        await disputes_service.resolve(uow.session, dispute, data, principal, date.today())
    except (ValidationError, ProblemError) as exc:
        opened = OpenForm("resolution", dispute_id, await form_values(request), refusal(exc))
        return await refused(request, uow, principal, student_id, opened)
    return _done(student_id)
