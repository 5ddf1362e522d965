"""From a graduate's page, a career centre or the Financial Center gives the graduate a one-time
link to their own account (an invitation, or a password reset): the page then shows the link
to hand over, its expiry and a QR code of it to scan from the screen. The secret is shown in
this one response and nowhere after."""

import qrcode
import qrcode.constants
import qrcode.image.svg
from fastapi import Request, Response
from markupsafe import Markup, escape
from pydantic import ValidationError

from service.graduates import access
from service.invitations import service as invitations_service
from service.kit.errors import Forbidden, ProblemError
from service.kit.fields import IdPath
from service.kit.i18n import gettext as _
from service.kit.unit_of_work import UnitOfWorkDep
from service.ui.forms import OpenForm, refusal
from service.ui.graduate_view import graduate_context, refused
from service.ui.session import StaffPage, page_router
from service.ui.templating import render

router = page_router()
FORM_KIND = "self-service"


def qr_svg(url: str) -> Markup:
    """The link as a QR code, an SVG drawn here (no script, no style attribute: the page's
    policy allows neither), with a white margin that phone cameras need."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    code.add_data(url)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    name = escape(_("QR code of the link"))
    return Markup(svg.replace("<svg ", f'<svg class="qr" role="img" aria-label="{name}" ', 1))


async def _give_link(
    request: Request, uow: UnitOfWorkDep, principal: StaffPage, student_id: int, reset: bool
) -> Response:
    if principal.role not in invitations_service.INVITERS:
        raise Forbidden(_("Your role may not give graduates access."))
    student = await access.writable(uow, principal, student_id)
    try:
        issued = await invitations_service.issue(uow.session, student, reset, principal)
    except (ValidationError, ProblemError) as exc:
        opened = OpenForm(FORM_KIND, None, {}, refusal(exc))
        return await refused(request, uow, principal, student_id, opened)
    url = invitations_service.link_url(issued.token)
    context = await graduate_context(uow.session, principal, student)
    context["saved"] = None
    context["link"] = {
        "url": url,
        "expires_at": issued.row.expires_at,
        "reset": reset,
        "qr": qr_svg(url),
    }
    return render(request, "graduate.html", context)


@router.post("/students/{student_id}/invitation")
async def invite(
    request: Request, uow: UnitOfWorkDep, principal: StaffPage, student_id: IdPath
) -> Response:
    return await _give_link(request, uow, principal, student_id, reset=False)


@router.post("/students/{student_id}/password-reset")
async def reset_password(
    request: Request, uow: UnitOfWorkDep, principal: StaffPage, student_id: IdPath
) -> Response:
    return await _give_link(request, uow, principal, student_id, reset=True)
